package org.btcfed.node.network;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.btcfed.node.reload.HotReloadable;
import org.springframework.stereotype.Component;

/**
 * Pauses reading on every peer connection while a component changes: {@code autoRead} is
 * switched off, so incoming bytes wait in the socket buffers (TCP flow control pushes back on
 * the sender) and nothing is lost or reordered; reading resumes when the last pause is released.
 * Connections opened while paused start paused. Thread-safe.
 */
@Component
public final class ReadGate {

	private final ChannelGroup channels = new DefaultChannelGroup("btcfed-peers", GlobalEventExecutor.INSTANCE);

	private int pauses;

	private volatile long resumedAt = System.nanoTime();

	/** Done when the current pause has reached every event loop. Guarded by this. */
	private CountDownLatch pausing = new CountDownLatch(0);

	/**
	 * Pauses reads until the returned isolation is closed.
	 * @return the isolation; close it once
	 */
	public HotReloadable.Isolation pause() {
		CountDownLatch paused;
		synchronized (this) {
			if (this.pauses++ == 0) {
				this.pausing = setAutoRead(false);
			}
			paused = this.pausing;
		}
		// Waited for outside the lock: an event loop registering a new channel takes it.
		try {
			await(paused);
		}
		catch (RuntimeException ex) {
			resume();
			throw ex;
		}
		AtomicBoolean closed = new AtomicBoolean();
		return () -> {
			if (closed.compareAndSet(false, true)) {
				resume();
			}
		};
	}

	private static void await(CountDownLatch paused) {
		try {
			if (!paused.await(5, TimeUnit.SECONDS)) {
				throw new IllegalStateException("event loops did not pause reading within 5 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private synchronized void resume() {
		if (--this.pauses == 0) {
			setAutoRead(true);
			this.resumedAt = System.nanoTime();
		}
	}

	/**
	 * When reads last resumed, so that a keepalive does not count a pause as the peer's silence
	 * (its answer waited in the socket buffer meanwhile).
	 * @return {@link System#nanoTime()} at the last resume, or when the gate was created
	 */
	public long resumedAtNanos() {
		return this.resumedAt;
	}

	/**
	 * Switches reading on every channel with one task per event loop rather than one per channel
	 * (a thousand connections would be a thousand wake-ups). Pausing waits until every loop has
	 * done it (outside the lock), so that no read starts once {@link #pause()} has returned.
	 */
	private CountDownLatch setAutoRead(boolean autoRead) {
		Map<EventLoop, List<Channel>> byLoop = new HashMap<>();
		this.channels.forEach(channel -> byLoop.computeIfAbsent(channel.eventLoop(), loop -> new ArrayList<>()).add(channel));
		CountDownLatch done = new CountDownLatch(byLoop.size());
		byLoop.forEach((loop, channels) -> {
			Runnable task = () -> {
				channels.forEach(channel -> channel.config().setAutoRead(autoRead));
				done.countDown();
			};
			if (loop.inEventLoop()) {
				task.run();
			}
			else {
				try {
					loop.execute(task);
				}
				catch (RejectedExecutionException ex) {
					// The loop is shutting down with its channels: nothing left to read.
					done.countDown();
				}
			}
		});
		return done;
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
