package org.btcfed.node.network.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import org.btcfed.node.config.NodeKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both roles of {@link NoiseHandler} on two {@link EmbeddedChannel}s pumping bytes to each other:
 * the handshake, its event, the transport in both directions and the rules for early writes.
 * Every buffer is released (run with {@code -Dio.netty.leakDetection.level=paranoid} to have
 * Netty check).
 */
class NoiseHandlerTests {

	private final NodeKey initiatorKey = NodeKey.generate();

	private final NodeKey responderKey = NodeKey.generate();

	private final NoisePipes.Events initiatorEvents = new NoisePipes.Events();

	private final NoisePipes.Events responderEvents = new NoisePipes.Events();

	private final EmbeddedChannel initiator = new EmbeddedChannel(new NoiseHandler(true, this.initiatorKey),
			this.initiatorEvents);

	private final EmbeddedChannel responder = new EmbeddedChannel(new NoiseHandler(false, this.responderKey),
			this.responderEvents);

	@AfterEach
	void tearDown() {
		this.initiator.finishAndReleaseAll();
		this.responder.finishAndReleaseAll();
	}

	@Test
	void handshakeWhenBothSidesExchangeMessagesShouldEstablishWithEachOthersIdentity() {
		byte[] message1 = NoisePipes.nextOutbound(this.initiator);
		assertThat(message1).hasSize(2 + 32);
		assertThat(message1[0]).isEqualTo((byte) 0x00);
		assertThat(message1[1]).isEqualTo((byte) 0x20);
		this.responder.writeInbound(Unpooled.wrappedBuffer(message1));
		byte[] message2 = NoisePipes.nextOutbound(this.responder);
		assertThat(message2).hasSize(2 + 200);
		assertThat(Hex.of(message2).substring(0, 4)).isEqualTo("00c8");
		assertThat(this.initiatorEvents.events).isEmpty();
		this.initiator.writeInbound(Unpooled.wrappedBuffer(message2));
		assertThat(this.initiatorEvents.events)
			.containsExactly(new NoiseHandler.Established(this.responderKey.publicKey()));
		byte[] message3 = NoisePipes.nextOutbound(this.initiator);
		assertThat(message3).hasSize(2 + 168);
		assertThat(Hex.of(message3).substring(0, 4)).isEqualTo("00a8");
		assertThat(this.responderEvents.events).isEmpty();
		this.responder.writeInbound(Unpooled.wrappedBuffer(message3));
		assertThat(this.responderEvents.events)
			.containsExactly(new NoiseHandler.Established(this.initiatorKey.publicKey()));
		assertThat(this.initiator.pipeline().get(NoiseHandler.class).isEstablished()).isTrue();
		assertThat(this.responder.pipeline().get(NoiseHandler.class).isEstablished()).isTrue();
		assertThat((Object) this.initiator.readOutbound()).isNull();
		assertThat((Object) this.responder.readOutbound()).isNull();
	}

	@Test
	void handshakeWhenBytesArriveOneAtATimeShouldEstablish() {
		NoisePipes.pump(this.initiator, this.responder, true);
		assertThat(this.initiatorEvents.events)
			.containsExactly(new NoiseHandler.Established(this.responderKey.publicKey()));
		assertThat(this.responderEvents.events)
			.containsExactly(new NoiseHandler.Established(this.initiatorKey.publicKey()));
	}

	@Test
	void writeWhenEstablishedShouldCarry200KibBothWaysInFramesOfAtMost65535Bytes() {
		NoisePipes.pump(this.initiator, this.responder, false);
		byte[] toResponder = random(200 * 1024, 1);
		byte[] toInitiator = random(200 * 1024, 2);
		ChannelFuture sent = this.initiator.writeAndFlush(Unpooled.wrappedBuffer(toResponder));
		ChannelFuture answered = this.responder.writeAndFlush(Unpooled.wrappedBuffer(toInitiator));
		assertThat(sent.isSuccess()).isTrue();
		assertThat(answered.isSuccess()).isTrue();
		ByteBuf wire = this.initiator.readOutbound();
		assertThat(frameLengths(wire)).containsExactly(65535, 65535, 65535, 8243 + 16);
		this.responder.writeInbound(wire);
		NoisePipes.pump(this.initiator, this.responder, false);
		assertThat(NoisePipes.allInbound(this.responder)).isEqualTo(toResponder);
		assertThat(NoisePipes.allInbound(this.initiator)).isEqualTo(toInitiator);
	}

	@Test
	void writeWhenEstablishedAndBytesArriveOneAtATimeShouldDeliverThemUnchanged() {
		NoisePipes.pump(this.initiator, this.responder, true);
		byte[] data = random(70_000, 3);
		ChannelFuture sent = this.responder.writeAndFlush(Unpooled.wrappedBuffer(data));
		NoisePipes.pump(this.initiator, this.responder, true);
		assertThat(sent.isSuccess()).isTrue();
		assertThat(NoisePipes.allInbound(this.initiator)).isEqualTo(data);
	}

	@Test
	void writeWhenMessageIsEmptyShouldSendNothingAndSucceed() {
		NoisePipes.pump(this.initiator, this.responder, false);
		ChannelFuture sent = this.initiator.writeAndFlush(Unpooled.EMPTY_BUFFER);
		assertThat(sent.isSuccess()).isTrue();
		NoisePipes.pump(this.initiator, this.responder, false);
		assertThat((Object) this.responder.readInbound()).isNull();
	}

	@Test
	void writeWhenDirectBufferShouldEncryptItToo() {
		NoisePipes.pump(this.initiator, this.responder, false);
		ByteBuf direct = Unpooled.directBuffer(5).writeBytes(new byte[] { 1, 2, 3, 4, 5 });
		assertThat(this.initiator.writeAndFlush(direct).isSuccess()).isTrue();
		assertThat(direct.refCnt()).isZero();
		ByteBuf wire = this.initiator.readOutbound();
		ByteBuf directWire = Unpooled.directBuffer(wire.readableBytes()).writeBytes(wire);
		wire.release();
		this.responder.writeInbound(directWire);
		assertThat(NoisePipes.allInbound(this.responder)).containsExactly(1, 2, 3, 4, 5);
	}

	@Test
	void writeWhenHandshakeIsNotCompleteShouldFailThePromiseAndReleaseTheMessage() {
		ByteBuf early = Unpooled.copiedBuffer(new byte[] { 1, 2, 3 });
		ChannelFuture write = this.responder.writeAndFlush(early);
		assertThat(write.isSuccess()).isFalse();
		assertThat(write.cause()).isInstanceOf(IllegalStateException.class)
			.hasMessage("the Noise handshake is not complete; nothing can be sent yet");
		assertThat(early.refCnt()).isZero();
		assertThat((Object) this.responder.readOutbound()).isNull();
		assertThat(this.responder.pipeline().get(NoiseHandler.class).isEstablished()).isFalse();
	}

	@Test
	void writeWhenMessageIsNotAByteBufShouldFailThePromise() {
		NoisePipes.pump(this.initiator, this.responder, false);
		ChannelFuture write = this.initiator.writeAndFlush("text");
		assertThat(write.cause()).isInstanceOf(UnsupportedMessageTypeException.class);
		assertThat((Object) this.initiator.readOutbound()).isNull();
	}

	@Test
	void handlerAddedWhenChannelIsAlreadyActiveShouldWriteMessageOneAtOnce() {
		EmbeddedChannel active = new EmbeddedChannel();
		active.pipeline().addLast(new NoiseHandler(true, this.initiatorKey));
		byte[] message1 = NoisePipes.nextOutbound(active);
		assertThat(message1).hasSize(34);
		assertThat((Object) active.readOutbound()).isNull();
		assertThat(active.finishAndReleaseAll()).isFalse();
	}

	@Test
	void handlerAddedWhenChannelIsNotYetActiveShouldWriteMessageOneOnChannelActive() throws Exception {
		EmbeddedChannel later = new EmbeddedChannel(false, false);
		later.pipeline().addLast(new NoiseHandler(true, this.initiatorKey));
		assertThat((Object) later.readOutbound()).isNull();
		later.register();
		assertThat(NoisePipes.nextOutbound(later)).hasSize(34);
		assertThat(later.finishAndReleaseAll()).isFalse();
	}

	@Test
	void channelReadWhenMessageOneAndOtherBytesArriveTogetherShouldHandleThemInOrder() {
		// The responder's multistream-select forwards message 1 as leftover bytes; here the
		// leftovers hold message 1 and, after the handshake, transport data follows message 3.
		NoisePipes.pump(this.initiator, this.responder, false);
		ByteBuf first = this.initiator.alloc().buffer();
		this.initiator.writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 7 }));
		this.initiator.writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 8, 9 }));
		first.writeBytes(NoisePipes.nextOutbound(this.initiator)).writeBytes(NoisePipes.nextOutbound(this.initiator));
		this.responder.writeInbound(first);
		assertThat(NoisePipes.allInbound(this.responder)).containsExactly(7, 8, 9);
	}

	@Test
	void transportWhenMessageThreeAndDataShareOneReadShouldFireEstablishedBeforeTheData() {
		this.responder.writeInbound(Unpooled.wrappedBuffer(NoisePipes.nextOutbound(this.initiator)));
		this.initiator.writeInbound(Unpooled.wrappedBuffer(NoisePipes.nextOutbound(this.responder)));
		byte[] message3 = NoisePipes.nextOutbound(this.initiator);
		this.initiator.writeAndFlush(Unpooled.wrappedBuffer(new byte[] { 42 }));
		byte[] data = NoisePipes.nextOutbound(this.initiator);
		List<Object> seen = new ArrayList<>();
		this.responder.pipeline().addBefore(this.responder.pipeline().context(this.responderEvents).name(), "order",
				new ChannelInboundHandlerAdapter() {
					@Override
					public void channelRead(ChannelHandlerContext ctx, Object msg) {
						seen.add("data");
						ctx.fireChannelRead(msg);
					}

					@Override
					public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
						seen.add(evt);
						ctx.fireUserEventTriggered(evt);
					}
				});
		this.responder.writeInbound(Unpooled.wrappedBuffer(message3, data));
		assertThat(seen).containsExactly(new NoiseHandler.Established(this.initiatorKey.publicKey()), "data");
		assertThat(NoisePipes.allInbound(this.responder)).containsExactly(42);
	}

	@Test
	void channelInactiveWhenAFrameIsIncompleteShouldDropItQuietly() {
		ByteBuf partial = Unpooled.wrappedBuffer(new byte[] { 0, 32, 1, 2, 3 });
		this.responder.writeInbound(partial);
		this.responder.close();
		assertThat(partial.refCnt()).isZero();
		assertThat(this.responderEvents.events).isEmpty();
		assertThat((Object) this.responder.readOutbound()).isNull();
	}

	@Test
	void establishedShouldCopyItsKeyAndShowIt() {
		byte[] key = this.responderKey.publicKey();
		NoiseHandler.Established event = new NoiseHandler.Established(key);
		key[0] ^= 1;
		assertThat(event.remoteEd25519PublicKey()).isEqualTo(this.responderKey.publicKey());
		event.remoteEd25519PublicKey()[1] ^= 1;
		assertThat(event.remoteEd25519PublicKey()).isEqualTo(this.responderKey.publicKey());
		assertThat(event).hasToString("Established[remote=" + this.responderKey.publicKeyBase64() + "]")
			.hasSameHashCodeAs(new NoiseHandler.Established(this.responderKey.publicKey()))
			.isNotEqualTo(new NoiseHandler.Established(this.initiatorKey.publicKey()))
			.isNotEqualTo("other");
	}

	static List<Integer> frameLengths(ByteBuf wire) {
		List<Integer> lengths = new ArrayList<>();
		for (int index = wire.readerIndex(); index < wire.writerIndex();) {
			int length = wire.getUnsignedShort(index);
			lengths.add(length);
			index += 2 + length;
		}
		return lengths;
	}

	static byte[] random(int size, long seed) {
		byte[] data = new byte[size];
		new Random(seed).nextBytes(data);
		return data;
	}

}
