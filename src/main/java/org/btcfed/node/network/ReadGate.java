package org.btcfed.node.network;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.btcfed.node.reload.HotReloadable;

/**
 * Pauses reading on every peer connection while a component changes: {@code autoRead} is
 * switched off, so incoming bytes wait in the socket buffers (TCP flow control pushes back on
 * the sender) and nothing is lost or reordered; reading resumes when the last pause is released.
 * Connections opened while paused start paused. Thread-safe.
 */
@org.springframework.stereotype.Component
public final class ReadGate {

	private final ChannelGroup channels = new DefaultChannelGroup("btcfed-peers", GlobalEventExecutor.INSTANCE);

	private int pauses;

	/**
	 * Pauses reads until the returned isolation is closed.
	 * @return the isolation; close it once
	 */
	public HotReloadable.Isolation pause() {
		synchronized (this) {
			if (this.pauses++ == 0) {
				this.channels.forEach(channel -> channel.config().setAutoRead(false));
			}
		}
		java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
		return () -> {
			if (closed.compareAndSet(false, true)) {
				resume();
			}
		};
	}

	private synchronized void resume() {
		if (--this.pauses == 0) {
			this.channels.forEach(channel -> channel.config().setAutoRead(true));
		}
	}

	/**
	 * @return whether reads are paused
	 */
	public synchronized boolean isPaused() {
		return this.pauses > 0;
	}

	/**
	 * @return how many peer connections are open, authenticated or still in the handshake
	 */
	public int channelCount() {
		return this.channels.size();
	}

	synchronized void register(Channel channel) {
		this.channels.add(channel);
		if (this.pauses > 0) {
			channel.config().setAutoRead(false);
		}
	}

}
