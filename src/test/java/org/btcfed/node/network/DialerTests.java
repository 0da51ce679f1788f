package org.btcfed.node.network;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.btcfed.node.FreePorts;
import org.btcfed.node.config.Multiaddr;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dialling with backoff over a real event loop, against a loopback port nobody listens on.
 */
class DialerTests {

	private static final String PEER = "peer";

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final List<Integer> attempts = new CopyOnWriteArrayList<>();

	private volatile @Nullable Multiaddr address = Multiaddr.parse(FreePorts.loopbackAddress());

	private final Dialer dialer = new Dialer(
			new Bootstrap().group(this.group)
				.channel(NioSocketChannel.class)
				.handler(new ChannelInboundHandlerAdapter()),
			this.group, (peerKey, attempt) -> {
				this.attempts.add(attempt);
				return this.address;
			});

	@AfterEach
	void tearDown() {
		this.dialer.stop();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void scheduleWhenDialsFailShouldRetryWithTheNextAttempt() {
		this.dialer.setTimeout(Duration.ofSeconds(1));
		this.dialer.schedule(PEER, false);
		await().untilAsserted(() -> assertThat(this.attempts).startsWith(0, 1, 2));
	}

	@Test
	void scheduleWhenTargetSaysNotNowShouldNotDial() {
		this.address = null;
		this.dialer.schedule(PEER, false);
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.attempts).containsExactly(0));
	}

	@Test
	void scheduleWhenADialIsPendingShouldNotScheduleAnother() {
		this.address = null;
		this.dialer.schedule(PEER, true);
		this.dialer.schedule(PEER, true);
		this.dialer.schedule(PEER, true);
		await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.attempts).containsExactly(0));
	}

	@Test
	void stopShouldCancelPendingDialsAndIgnoreLaterSchedules() {
		this.dialer.schedule(PEER, true);
		this.dialer.stop();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		// A connection closing at shutdown asks for a redial: it must be ignored, not rejected.
		this.dialer.schedule(PEER, false);
		assertThat(this.attempts).isEmpty();
	}

}
