package org.btcfed.node.network.noise;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.btcfed.node.config.NodeKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two {@link NoiseHandler}s over a real loopback TCP connection: the server echoes what it
 * decrypts once {@link NoiseHandler.Established} arrived, the client sends 200 KiB.
 */
class NoiseLoopbackTests {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

	@AfterEach
	void tearDown() {
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void connectionWhenBothSidesRunNoiseShouldAuthenticateAndEcho200Kib() throws Exception {
		NodeKey serverKey = NodeKey.generate();
		NodeKey clientKey = NodeKey.generate();
		AtomicReference<byte[]> serverSaw = new AtomicReference<>();
		Channel server = new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline().addLast(new NoiseHandler(false, serverKey), new ChannelInboundHandlerAdapter() {
						@Override
						public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
							serverSaw.set(((NoiseHandler.Established) evt).remoteEd25519PublicKey());
						}

						@Override
						public void channelRead(ChannelHandlerContext ctx, Object msg) {
							ctx.writeAndFlush(msg);
						}
					});
				}
			})
			.bind(new InetSocketAddress("127.0.0.1", 0))
			.sync()
			.channel();
		AtomicReference<byte[]> clientSaw = new AtomicReference<>();
		ByteArrayOutputStream echoed = new ByteArrayOutputStream();
		Channel client = new Bootstrap().group(this.group)
			.channel(NioSocketChannel.class)
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					channel.pipeline().addLast(new NoiseHandler(true, clientKey), new ChannelInboundHandlerAdapter() {
						@Override
						public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
							clientSaw.set(((NoiseHandler.Established) evt).remoteEd25519PublicKey());
						}

						@Override
						public void channelRead(ChannelHandlerContext ctx, Object msg) {
							ByteBuf buf = (ByteBuf) msg;
							synchronized (echoed) {
								echoed.writeBytes(ByteBufUtil.getBytes(buf));
							}
							buf.release();
						}
					});
				}
			})
			.connect(server.localAddress())
			.sync()
			.channel();
		await().atMost(Duration.ofSeconds(10)).until(() -> clientSaw.get() != null && serverSaw.get() != null);
		assertThat(clientSaw.get()).isEqualTo(serverKey.publicKey());
		assertThat(serverSaw.get()).isEqualTo(clientKey.publicKey());
		byte[] data = NoiseHandlerTests.random(200 * 1024, 7);
		ChannelFuture sent = client.writeAndFlush(Unpooled.wrappedBuffer(data));
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			synchronized (echoed) {
				return echoed.size() == data.length;
			}
		});
		assertThat(sent.isSuccess()).isTrue();
		synchronized (echoed) {
			assertThat(echoed.toByteArray()).isEqualTo(data);
		}
		client.close().sync();
		server.close().sync();
	}

}
