package org.btcfed.node.network.multistream;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btcfed.node.network.multistream.MultistreamSelectTests.HEADER;
import static org.btcfed.node.network.multistream.MultistreamSelectTests.NA;
import static org.btcfed.node.network.multistream.MultistreamSelectTests.NOISE;
import static org.btcfed.node.network.multistream.MultistreamSelectTests.TLS;
import static org.btcfed.node.network.multistream.MultistreamSelectTests.bytes;
import static org.btcfed.node.network.multistream.MultistreamSelectTests.hexAndRelease;

/**
 * {@link MultistreamHandler} in pipelines: two {@link EmbeddedChannel}s wired to each other,
 * and once over real loopback sockets. Every buffer read is released.
 */
class MultistreamHandlerTests {

	private final Received initiatorApp = new Received();

	private final Received responderApp = new Received();

	private final List<String> selected = new CopyOnWriteArrayList<>();

	private final List<Throwable> failures = new CopyOnWriteArrayList<>();

	private final EmbeddedChannel initiator = new EmbeddedChannel(
			new MultistreamHandler(MultistreamSelect.initiator(List.of("/tls/1.0.0", "/noise")), select(this.initiatorApp)),
			new Failures());

	private final EmbeddedChannel responder = new EmbeddedChannel(
			new MultistreamHandler(MultistreamSelect.responder("/noise"::equals), (ctx, protocol) -> {
				select(this.responderApp).accept(ctx, protocol);
				// The protocol speaks at once, like an identify responder after its echo.
				ctx.writeAndFlush(Unpooled.copiedBuffer("first", StandardCharsets.US_ASCII));
			}), new Failures());

	@AfterEach
	void releaseAll() {
		this.initiator.finishAndReleaseAll();
		this.responder.finishAndReleaseAll();
		this.initiatorApp.bytes.release();
		this.responderApp.bytes.release();
	}

	@Test
	void handlersWiredToEachOtherShouldRefuseTlsAgreeOnNoiseAndStepAside() {
		shuttle(false);
		assertThat(this.selected).containsExactlyInAnyOrder("/noise", "/noise");
		assertThat(this.initiator.pipeline().get(MultistreamHandler.class)).isNull();
		assertThat(this.responder.pipeline().get(MultistreamHandler.class)).isNull();
		assertThat(this.initiatorApp.text()).isEqualTo("first");
		assertThat(this.failures).isEmpty();
		this.initiator.writeOutbound(Unpooled.copiedBuffer("reply", StandardCharsets.US_ASCII));
		shuttle(false);
		assertThat(this.responderApp.text()).isEqualTo("reply");
	}

	@Test
	void handlersFedOneByteAtATimeShouldAgreeAllTheSame() {
		shuttle(true);
		assertThat(this.selected).containsExactly("/noise", "/noise");
		assertThat(this.initiatorApp.text()).isEqualTo("first");
		assertThat(this.failures).isEmpty();
	}

	@Test
	void responderShouldWriteItsHeaderBeforeReadingAndPassOnTheBytesAfterTheProposal() {
		assertThat(hexAndRelease(this.responder.readOutbound())).isEqualTo(HEADER);
		this.responder.writeInbound(bytes(HEADER + TLS + NOISE + "0102"));
		assertThat(hexAndRelease(this.responder.readOutbound())).isEqualTo(NA + NOISE);
		assertThat(hexAndRelease(this.responder.readOutbound())).isEqualTo(ByteBufUtil.hexDump("first".getBytes()));
		assertThat(ByteBufUtil.hexDump(this.responderApp.bytes)).isEqualTo("0102");
		assertThat(this.responderApp.readCompletes).isPositive();
		this.responder.writeInbound(bytes("03"));
		assertThat(ByteBufUtil.hexDump(this.responderApp.bytes)).isEqualTo("010203");
		assertThat(this.responder.pipeline().get(MultistreamHandler.class)).isNull();
	}

	@Test
	void initiatorWhenResponderHeaderArrivesInAnotherReadShouldStillSelect() {
		assertThat(hexAndRelease(this.initiator.readOutbound())).isEqualTo(HEADER + TLS);
		this.initiator.writeInbound(bytes(HEADER));
		assertThat((Object) this.initiator.readOutbound()).isNull();
		this.initiator.writeInbound(bytes(NA));
		assertThat(hexAndRelease(this.initiator.readOutbound())).isEqualTo(NOISE);
		this.initiator.writeInbound(bytes(NOISE));
		assertThat(this.selected).containsExactly("/noise");
	}

	@Test
	void failureShouldBePassedOnOnceAndLaterBytesDiscarded() {
		this.responder.readOutbound(); // header
		this.responder.writeInbound(bytes(NOISE));
		assertThat(this.failures).singleElement()
			.isInstanceOfSatisfying(MultistreamException.class,
					(ex) -> assertThat(ex.kind()).isEqualTo(MultistreamException.Kind.BAD_HEADER));
		this.responder.writeInbound(bytes(HEADER + NOISE));
		assertThat(this.failures).hasSize(1);
		assertThat((Object) this.responder.readOutbound()).isNull();
		assertThat(this.selected).isEmpty();
		assertThat(this.responder.pipeline().get(MultistreamHandler.class)).isNotNull();
	}

	@Test
	void handlersOverLoopbackSocketsShouldNegotiateAndCarryTheProtocolsBytes() throws Exception {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		try {
			CompletableFuture<String> serverGot = new CompletableFuture<>();
			CompletableFuture<String> clientSelected = new CompletableFuture<>();
			Channel server = new ServerBootstrap().group(group)
				.channel(NioServerSocketChannel.class)
				.childHandler(serverInitializer(serverGot))
				.bind(new InetSocketAddress("127.0.0.1", 0))
				.sync()
				.channel();
			Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline().addLast(new MultistreamHandler(MultistreamSelect.initiator(List.of("/noise")),
							(ctx, protocol) -> {
								clientSelected.complete(protocol);
								ctx.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
							}));
				}
			}).connect(server.localAddress()).sync().channel();
			assertThat(clientSelected.get(5, TimeUnit.SECONDS)).isEqualTo("/noise");
			assertThat(serverGot.get(5, TimeUnit.SECONDS)).isEqualTo("/noise:hello");
			client.close().sync();
			server.close().sync();
		}
		finally {
			group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
		}
	}

	private static ChannelInitializer<Channel> serverInitializer(CompletableFuture<String> got) {
		return new ChannelInitializer<>() {
			@Override
			protected void initChannel(Channel channel) {
				channel.pipeline().addLast(new MultistreamHandler(MultistreamSelect.responder("/noise"::equals),
						(ctx, protocol) -> ctx.pipeline().addAfter(ctx.name(), "app", new ChannelInboundHandlerAdapter() {
							@Override
							public void channelRead(ChannelHandlerContext app, Object msg) {
								ByteBuf data = (ByteBuf) msg;
								got.complete(protocol + ":" + data.toString(StandardCharsets.US_ASCII));
								data.release();
							}
						})));
			}
		};
	}

	private BiConsumer<ChannelHandlerContext, String> select(Received app) {
		return (ctx, protocol) -> {
			this.selected.add(protocol);
			ctx.pipeline().addAfter(ctx.name(), "app", app);
		};
	}

	/** Moves what each side wrote to the other until both are quiet, whole or one byte a read. */
	private void shuttle(boolean byteByByte) {
		boolean moved = true;
		while (moved) {
			moved = move(this.initiator, this.responder, byteByByte) | move(this.responder, this.initiator, byteByByte);
		}
	}

	private static boolean move(EmbeddedChannel from, EmbeddedChannel to, boolean byteByByte) {
		ByteBuf all = Unpooled.buffer();
		for (ByteBuf out = from.readOutbound(); out != null; out = from.readOutbound()) {
			all.writeBytes(out);
			out.release();
		}
		boolean moved = all.isReadable();
		while (all.isReadable()) {
			to.writeInbound(all.readRetainedSlice(byteByByte ? 1 : all.readableBytes()));
		}
		all.release();
		return moved;
	}

	/** The protocol's handler: collects what it reads. */
	private static final class Received extends ChannelInboundHandlerAdapter {

		final ByteBuf bytes = Unpooled.buffer();

		int readCompletes;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			ByteBuf data = (ByteBuf) msg;
			this.bytes.writeBytes(data);
			data.release();
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			this.readCompletes++;
		}

		String text() {
			return this.bytes.toString(StandardCharsets.US_ASCII);
		}

	}

	private final class Failures extends ChannelInboundHandlerAdapter {

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			MultistreamHandlerTests.this.failures.add(cause);
		}

	}

}
