package org.btcfed.node.network;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.multistream.MultistreamHandler;
import org.btcfed.node.network.multistream.MultistreamSelect;
import org.btcfed.node.network.noise.NoiseHandler;
import org.btcfed.node.network.yamux.YamuxConfig;
import org.btcfed.node.network.yamux.YamuxGoAway;
import org.btcfed.node.network.yamux.YamuxSession;
import org.btcfed.node.network.yamux.YamuxStream;
import org.btcfed.node.network.yamux.YamuxStreamHandler;
import org.jspecify.annotations.Nullable;

/**
 * A dialler built from the node's own layers on a Netty event loop of its own: the real
 * {@link MultistreamHandler} for {@code /noise}, the real {@link NoiseHandler}, then, once Noise
 * is established, a {@link MultistreamHandler} proposing the muxers the test gives and, if
 * {@code /yamux/1.0.0} is agreed, a {@link YamuxSession} (refusing inbound streams). It never
 * closes the connection on a failure: what the node does about it is what a test looks at.
 */
final class Libp2pClient implements AutoCloseable {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	/** Completes with the muxer agreed on inside Noise. */
	final CompletableFuture<String> muxer = new CompletableFuture<>();

	/** Everything the client's pipeline failed with, in order. */
	final List<Throwable> errors = new CopyOnWriteArrayList<>();

	/** GO_AWAY frames the node sent. */
	final List<YamuxGoAway> goAways = new CopyOnWriteArrayList<>();

	final Channel channel;

	private Libp2pClient(int port, NodeKey key, List<String> muxers) {
		this.channel = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline()
						.addLast("mss", new MultistreamHandler(MultistreamSelect.initiator(List.of(Upgrader.NOISE)),
								(mss, protocol) -> mss.pipeline().addAfter(mss.name(), "noise", new NoiseHandler(true, key))))
						.addLast("client", new Events(muxers));
				}
			})
			.connect(new InetSocketAddress("127.0.0.1", port))
			.syncUninterruptibly()
			.channel();
	}

	/**
	 * Dials a node as the holder of a key.
	 * @param muxers what to propose inside Noise, in order
	 */
	static Libp2pClient connect(int port, NodeKey key, String... muxers) {
		return new Libp2pClient(port, key, List.of(muxers));
	}

	/** The yamux session, once agreed on. */
	YamuxSession session() {
		this.muxer.orTimeout(10, TimeUnit.SECONDS).join();
		YamuxSession session = YamuxSession.of(this.channel);
		if (session == null) {
			throw new IllegalStateException("no yamux session: " + this.muxer.join() + " was agreed");
		}
		return session;
	}

	/**
	 * Writes bytes below the yamux session, as if it had framed them: Noise still encrypts them.
	 */
	void writeBelowYamux(byte[] bytes) {
		session();
		this.channel.pipeline().context(YamuxSession.class).writeAndFlush(Unpooled.wrappedBuffer(bytes));
	}

	/** Opens a yamux stream that records what the node sends on it. */
	RecordedStream openStream() {
		RecordedStream recorded = new RecordedStream();
		recorded.stream = session().open(recorded);
		return recorded;
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/** A client stream: what arrived, and whether and how it ended. */
	static final class RecordedStream implements YamuxStreamHandler {

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		final CompletableFuture<@Nullable Throwable> closed = new CompletableFuture<>();

		@Nullable YamuxStream stream;

		void write(byte[] bytes) {
			this.stream.write(Unpooled.wrappedBuffer(bytes));
		}

		void write(String text) {
			write(text.getBytes(StandardCharsets.UTF_8));
		}

		synchronized byte[] received() {
			return this.received.toByteArray();
		}

		@Override
		public synchronized void data(YamuxStream stream, ByteBuf data) {
			this.received.writeBytes(ByteBufUtil.getBytes(data));
		}

		@Override
		public void closed(YamuxStream stream, @Nullable Throwable cause) {
			this.closed.complete(cause);
		}

	}

	/** Starts the muxer negotiation once Noise is established, and records what happens. */
	private final class Events extends ChannelInboundHandlerAdapter {

		private final List<String> muxers;

		Events(List<String> muxers) {
			this.muxers = muxers;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
			if (event instanceof NoiseHandler.Established) {
				ctx.pipeline().addBefore(ctx.name(), "mss-muxer", new MultistreamHandler(
						MultistreamSelect.initiator(this.muxers), (mss, protocol) -> agreed(ctx, protocol)));
			}
			else if (event instanceof YamuxGoAway goAway) {
				Libp2pClient.this.goAways.add(goAway);
			}
		}

		private void agreed(ChannelHandlerContext ctx, String protocol) {
			if (Upgrader.YAMUX.equals(protocol)) {
				ctx.pipeline().addBefore(ctx.name(), "yamux",
						new YamuxSession(true, YamuxConfig.defaults(), stream -> null));
			}
			Libp2pClient.this.muxer.complete(protocol);
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ReferenceCountUtil.release(msg);
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			Libp2pClient.this.errors.add(cause);
			Libp2pClient.this.muxer.completeExceptionally(cause);
		}

	}

}
