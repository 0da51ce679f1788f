package org.btcfed.node.network.yamux;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.netty.util.concurrent.Promise;

/**
 * The session pings of ours awaiting their ACK, by opaque value. Confined to the event loop.
 */
final class Pings {

	private final Map<Integer, Sent> sent = new HashMap<>();

	private int nextOpaque;

	/** Registers a ping about to be sent; returns its opaque value. */
	int start(Promise<Duration> promise) {
		int opaque = this.nextOpaque++;
		this.sent.put(opaque, new Sent(promise, System.nanoTime()));
		return opaque;
	}

	/** An ACK arrived: completes its ping with the round-trip time; false for an unknown one. */
	boolean acknowledged(int opaque) {
		Sent ping = this.sent.remove(opaque);
		if (ping == null) {
			return false;
		}
		ping.promise.trySuccess(Duration.ofNanos(System.nanoTime() - ping.startNanos));
		return true;
	}

	/** The session ended: every ping still waiting fails. */
	void failAll(Throwable cause) {
		this.sent.values().forEach((ping) -> ping.promise.tryFailure(cause));
		this.sent.clear();
	}

	private record Sent(Promise<Duration> promise, long startNanos) {
	}

}
