package org.btcfed.node.reload.trigger;

import java.util.concurrent.atomic.AtomicBoolean;

import org.btcfed.node.config.SelfWrites;
import org.jspecify.annotations.Nullable;

/**
 * Where reload signals go, and the masking API that holds them back.
 * <p>
 * A signal is delivered to the sink at once when the gate is {@linkplain #open(Runnable) open}
 * and no mask is held. Otherwise it is held: however many signals arrive meanwhile, one
 * delivery follows when the gate opens (the node is ready) and the last mask is released.
 * <pre>
 * try (SignalGate.Mask mask = gate.mask()) {
 *     // write peers.yaml: no reload reads it half-written
 * }   // a SIGHUP that arrived meanwhile is delivered here
 * </pre>
 * Masks nest and may be taken and released on any thread. Thread-safe; the sink is called
 * outside the gate's lock and must not block.
 */
public final class SignalGate {

	private @Nullable Runnable sink;

	private int masks;

	private boolean held;

	private volatile boolean sighup;

	/**
	 * Opens the gate: signals are delivered from now on, starting with any held one.
	 * @param sink what a signal does (asks the coordinator for a reload)
	 */
	public void open(Runnable sink) {
		boolean deliver;
		synchronized (this) {
			this.sink = sink;
			deliver = takeHeldIfDeliverable();
		}
		if (deliver) {
			sink.run();
		}
	}

	/**
	 * @return whether SIGHUP reaches this gate: its handler is installed and the signal is not
	 * ignored (as under {@code nohup})
	 */
	public boolean isSighupInstalled() {
		return this.sighup;
	}

	void sighupInstalled() {
		this.sighup = true;
	}

	/**
	 * A reload signal arrived.
	 */
	public void signal() {
		Runnable target;
		synchronized (this) {
			if (this.sink == null || this.masks > 0) {
				this.held = true;
				return;
			}
			target = this.sink;
		}
		target.run();
	}

	/**
	 * Masks reload signals until the returned mask is closed.
	 * @return the mask; close it exactly once (try-with-resources)
	 */
	public Mask mask() {
		synchronized (this) {
			this.masks++;
		}
		return new Mask();
	}

	private void release() {
		Runnable target;
		synchronized (this) {
			this.masks--;
			if (!takeHeldIfDeliverable()) {
				return;
			}
			target = this.sink;
		}
		target.run();
	}

	private boolean takeHeldIfDeliverable() {
		if (this.held && this.masks == 0 && this.sink != null) {
			this.held = false;
			return true;
		}
		return false;
	}

	/** A held mask; closing it (once; further closes do nothing) releases it. */
	public final class Mask implements SelfWrites.Stretch {

		private final AtomicBoolean released = new AtomicBoolean();

		private Mask() {
		}

		@Override
		public void close() {
			if (this.released.compareAndSet(false, true)) {
				release();
			}
		}

	}

}
