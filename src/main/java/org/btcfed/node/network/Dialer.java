package org.btcfed.node.network;

import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.btcfed.node.config.Multiaddr;
import org.jspecify.annotations.Nullable;

/**
 * Dials peers with exponential backoff and jitter: 200 ms after the first failure, doubling up to
 * 10 s, reset by a successful session. At most one dial per peer is scheduled at a time; whether
 * and where to dial is asked of the node when the dial is due, so it always uses the newest
 * addresses.
 */
final class Dialer {

	private static final long INITIAL_BACKOFF_MILLIS = 200;

	private static final long MAX_BACKOFF_MILLIS = 10_000;

	/** Where to dial a peer on a given attempt, or null when it should not be dialled now. */
	@FunctionalInterface
	interface Target {

		@Nullable Multiaddr of(String peerKey, int attempt);

	}

	private final Bootstrap bootstrap;

	private final EventLoopGroup group;

	private final Target target;

	private final Map<String, Integer> attempts = new ConcurrentHashMap<>();

	private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();

	private final ExecutorService resolver = Executors
		.newSingleThreadExecutor(new DefaultThreadFactory("btcfed-dialer", true));

	private volatile boolean stopped;

	Dialer(Bootstrap bootstrap, EventLoopGroup group, Target target) {
		this.bootstrap = bootstrap;
		this.group = group;
		this.target = target;
	}

	void setTimeout(Duration timeout) {
		this.bootstrap.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
	}

	/**
	 * Schedules a dial unless one is pending.
	 * @param peerKey the peer
	 * @param backoff whether to wait (after a failure or a lost connection) or dial now
	 */
	void schedule(String peerKey, boolean backoff) {
		if (this.stopped) {
			// Connections closing at shutdown must not schedule on an event loop that is going away.
			return;
		}
		long delay = backoff ? delayFor(this.attempts.getOrDefault(peerKey, 0)) : 0;
		this.scheduled.computeIfAbsent(peerKey,
				key -> this.group.next().schedule(() -> resolveAndDial(key), delay, TimeUnit.MILLISECONDS));
	}

	private static long delayFor(int attempt) {
		long base = Math.min(MAX_BACKOFF_MILLIS, INITIAL_BACKOFF_MILLIS << Math.min(attempt, 10));
		return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
	}

	/** A /dns4 or /dns6 peer is resolved off the event loop: a slow DNS must not stall sessions. */
	private void resolveAndDial(String peerKey) {
		try {
			this.resolver.execute(() -> dial(peerKey));
		}
		catch (RejectedExecutionException ex) {
			this.scheduled.remove(peerKey);
		}
	}

	private void dial(String peerKey) {
		this.scheduled.remove(peerKey);
		int attempt = this.attempts.getOrDefault(peerKey, 0);
		Multiaddr address = this.target.of(peerKey, attempt);
		if (address == null) {
			return;
		}
		this.attempts.put(peerKey, attempt + 1);
		ChannelFuture connect;
		try {
			// The remote must prove the identity dialled (LIBP2P.md: go's checkPeerID).
			connect = this.bootstrap.clone().attr(ChannelSetup.EXPECTED_PEER, peerKey).connect(address.toSocketAddress());
		}
		catch (UnknownHostException ex) {
			schedule(peerKey, true);
			return;
		}
		connect.addListener((ChannelFuture future) -> {
			if (!future.isSuccess()) {
				schedule(peerKey, true);
				return;
			}
			// A refused handshake closes the channel: try again later (the peer may add us soon).
			future.channel().closeFuture().addListener(closed -> schedule(peerKey, true));
		});
	}

	/** A session with the peer is up: the next failure starts the backoff afresh. */
	void connected(String peerKey) {
		this.attempts.remove(peerKey);
	}

	/** Cancels the pending dials; none are scheduled from now on. */
	void stop() {
		this.stopped = true;
		this.resolver.shutdownNow();
		this.scheduled.values().forEach(future -> future.cancel(false));
		this.scheduled.clear();
	}

}
