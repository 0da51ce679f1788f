package org.btcfed.node.network.yamux;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two sessions over a real TCP connection on loopback, driven from the test thread: every call
 * hops to the event loop, and frames are chunked however TCP delivers them.
 */
class YamuxLoopbackTests {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	private final CompletableFuture<YamuxSession> serverSession = new CompletableFuture<>();

	private Channel server;

	private Channel client;

	private YamuxSession clientSession;

	@BeforeEach
	void connect() throws InterruptedException {
		this.server = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					YamuxSession session = new YamuxSession(false, YamuxConfig.defaults(), (stream) -> new Echo());
					channel.pipeline().addLast(session);
					YamuxLoopbackTests.this.serverSession.complete(session);
				}
			})
			.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
			.sync()
			.channel();
		this.clientSession = new YamuxSession(true, YamuxConfig.defaults(), (stream) -> null);
		this.client = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.handler(this.clientSession)
			.connect(this.server.localAddress())
			.sync()
			.channel();
	}

	@AfterEach
	void close() throws InterruptedException {
		this.client.close().sync();
		this.server.close().sync();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
	}

	@Test
	void writeWhenCalledOffTheEventLoopShouldEchoEveryByteOfManyStreams() {
		byte[] payload = new byte[1024 * 1024];
		new Random(11).nextBytes(payload);
		List<Collector> collectors = new ArrayList<>();
		List<ChannelFuture> writes = new ArrayList<>();
		for (int s = 0; s < 4; s++) {
			Collector collector = new Collector();
			collectors.add(collector);
			YamuxStream stream = this.clientSession.open(collector);
			for (int offset = 0; offset < payload.length; offset += 100_000) {
				int length = Math.min(100_000, payload.length - offset);
				writes.add(stream.write(Unpooled.wrappedBuffer(payload, offset, length)));
			}
			stream.closeWrite();
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> collectors.stream().allMatch((collector) -> collector.closed.isDone()));
		for (Collector collector : collectors) {
			assertThat(collector.closed.join()).isEqualTo("clean");
			assertThat(collector.bytes()).isEqualTo(payload);
		}
		assertThat(writes).allMatch(ChannelFuture::isSuccess);
		await().until(() -> this.clientSession.streamCount() == 0 && this.serverSession.join().streamCount() == 0);
	}

	@Test
	void pingAndGoAwayWhenCalledOffTheEventLoopShouldComplete() throws Exception {
		Future<Duration> rtt = this.clientSession.ping();
		assertThat(rtt.get(10, TimeUnit.SECONDS)).isPositive();
		Future<Duration> back = this.serverSession.join().ping();
		assertThat(back.get(10, TimeUnit.SECONDS)).isPositive();
		assertThat(this.clientSession.goAway(0).await(10, TimeUnit.SECONDS)).isTrue();
		Collector refused = new Collector();
		YamuxStream stream = this.clientSession.open(refused);
		assertThat(stream.write(Unpooled.wrappedBuffer(new byte[1])).await().cause()).isInstanceOf(YamuxStreamException.class);
		assertThat(refused.closed.get(10, TimeUnit.SECONDS)).contains("this side sent GO_AWAY");
		assertThat(YamuxSession.of(this.client)).isSameAs(this.clientSession);
	}

	@Test
	void resetWhenCalledOffTheEventLoopShouldCloseTheStreamOnBothSides() throws Exception {
		Collector collector = new Collector();
		YamuxStream stream = this.clientSession.open(collector);
		stream.write(Unpooled.wrappedBuffer(new byte[10])).sync();
		await().until(() -> collector.bytes().length == 10);
		stream.reset();
		assertThat(collector.closed.get(10, TimeUnit.SECONDS)).contains("reset locally");
		await().until(() -> this.serverSession.join().streamCount() == 0);
	}

	/** Sends back what it receives and finishes when the remote does. */
	private static final class Echo implements YamuxStreamHandler {

		@Override
		public void data(YamuxStream stream, ByteBuf data) {
			stream.write(data.retain());
		}

		@Override
		public void remoteClosed(YamuxStream stream) {
			stream.closeWrite();
		}

	}

	/** Collects the bytes and how the stream ended, readable from the test thread. */
	private static final class Collector implements YamuxStreamHandler {

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		final CompletableFuture<String> closed = new CompletableFuture<>();

		@Override
		public void data(YamuxStream stream, ByteBuf data) {
			byte[] bytes = new byte[data.readableBytes()];
			data.readBytes(bytes);
			synchronized (this.received) {
				this.received.writeBytes(bytes);
			}
		}

		@Override
		public void closed(YamuxStream stream, @Nullable Throwable cause) {
			this.closed.complete((cause != null) ? String.valueOf(cause.getMessage()) : "clean");
		}

		byte[] bytes() {
			synchronized (this.received) {
				return this.received.toByteArray();
			}
		}

	}

}
