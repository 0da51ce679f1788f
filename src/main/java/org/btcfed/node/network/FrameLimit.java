package org.btcfed.node.network;

import java.time.Duration;

/**
 * The largest frame read from an authenticated peer. When the limit is lowered, frames up to the
 * old one are still read for a grace period: a peer may have sent a larger message before it
 * knew, and that must not close its connection. Thread-safe.
 */
final class FrameLimit {

	/** How long frames up to a lowered limit are still read. */
	static final Duration GRACE = Duration.ofSeconds(30);

	private volatile int limit;

	private volatile int graceLimit;

	private volatile long graceUntilNanos = System.nanoTime();

	void set(int next) {
		if (next < this.limit) {
			this.graceLimit = this.limit;
			this.graceUntilNanos = System.nanoTime() + GRACE.toNanos();
		}
		this.limit = next;
	}

	int get() {
		int current = this.limit;
		return (System.nanoTime() - this.graceUntilNanos < 0) ? Math.max(current, this.graceLimit) : current;
	}

}
