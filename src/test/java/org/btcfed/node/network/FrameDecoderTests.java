package org.btcfed.node.network;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The length-prefixed frame codec, on an {@link EmbeddedChannel}; every frame read is released.
 */
class FrameDecoderTests {

	private final AtomicInteger limit = new AtomicInteger(16);

	private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(this.limit::get));

	@AfterEach
	void tearDown() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void decodeWhenFrameArrivesInPiecesShouldReassembleIt() {
		ByteBuf whole = frame("hello");
		assertThat(this.channel.writeInbound(whole.readRetainedSlice(2))).isFalse();
		assertThat(this.channel.writeInbound(whole.readRetainedSlice(3))).isFalse();
		assertThat(this.channel.writeInbound(whole.readRetainedSlice(whole.readableBytes()))).isTrue();
		whole.release();
		assertFrame(this.channel.readInbound(), "hello");
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenSeveralFramesShareABufferShouldEmitEachInOrder() {
		ByteBuf buffer = Unpooled.wrappedBuffer(frame("one"), frame("two"), frame("three"));
		assertThat(this.channel.writeInbound(buffer)).isTrue();
		assertFrame(this.channel.readInbound(), "one");
		assertFrame(this.channel.readInbound(), "two");
		assertFrame(this.channel.readInbound(), "three");
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenSecondFrameIsPartialShouldKeepItForTheNextRead() {
		ByteBuf second = frame("second");
		ByteBuf buffer = Unpooled.wrappedBuffer(frame("first"), second.readRetainedSlice(6));
		assertThat(this.channel.writeInbound(buffer)).isTrue();
		assertFrame(this.channel.readInbound(), "first");
		assertThat((Object) this.channel.readInbound()).isNull();
		this.channel.writeInbound(second);
		assertFrame(this.channel.readInbound(), "second");
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenFrameIsOversizedShouldFailOnTheHeaderWithoutReadingTheBody() {
		ByteBuf header = Unpooled.buffer(4).writeInt(17);
		assertThatExceptionOfType(TooLongFrameException.class).isThrownBy(() -> this.channel.writeInbound(header))
			.withMessageContaining("17 bytes exceeds the limit of 16 bytes");
		assertThat(header.refCnt()).isZero();
		assertThat((Object) this.channel.readInbound()).isNull();
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenOversizedFrameIsFollowedByMoreBytesShouldDiscardThem() {
		ByteBuf buffer = Unpooled.buffer().writeInt(1000).writeBytes(new byte[100]);
		assertThatExceptionOfType(TooLongFrameException.class).isThrownBy(() -> this.channel.writeInbound(buffer));
		assertThat(buffer.refCnt()).isZero();
		assertThat((Object) this.channel.readInbound()).isNull();
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenLengthIsZeroShouldRejectTheFrameAsCorrupted() {
		ByteBuf buffer = Unpooled.buffer().writeInt(0).writeBytes(frame("next"));
		assertThatExceptionOfType(CorruptedFrameException.class).isThrownBy(() -> this.channel.writeInbound(buffer))
			.withMessageContaining("frame length 0 is not positive");
		assertThat(buffer.refCnt()).isZero();
		assertThat((Object) this.channel.readInbound()).isNull();
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenLengthIsNegativeShouldRejectTheFrameAsCorrupted() {
		ByteBuf buffer = Unpooled.buffer().writeInt(-5).writeByte(1);
		assertThatExceptionOfType(CorruptedFrameException.class).isThrownBy(() -> this.channel.writeInbound(buffer))
			.withMessageContaining("frame length -5 is not positive");
		assertThat(buffer.refCnt()).isZero();
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenFrameIsExactlyTheLimitShouldAcceptIt() {
		String sixteen = "0123456789abcdef";
		assertThat(this.channel.writeInbound(frame(sixteen))).isTrue();
		assertFrame(this.channel.readInbound(), sixteen);
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenLimitIsLoweredShouldApplyItToTheNextFrame() {
		String ten = "0123456789";
		assertThat(this.channel.writeInbound(frame(ten))).isTrue();
		assertFrame(this.channel.readInbound(), ten);
		this.limit.set(5);
		ByteBuf next = frame(ten);
		assertThatExceptionOfType(TooLongFrameException.class).isThrownBy(() -> this.channel.writeInbound(next))
			.withMessageContaining("exceeds the limit of 5 bytes");
		assertThat(next.refCnt()).isZero();
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenLimitIsRaisedShouldAcceptALargerNextFrame() {
		this.limit.set(4);
		ByteBuf tooLarge = frame("12345");
		assertThatExceptionOfType(TooLongFrameException.class).isThrownBy(() -> this.channel.writeInbound(tooLarge));
		this.limit.set(64);
		String large = "x".repeat(64);
		assertThat(this.channel.writeInbound(frame(large))).isTrue();
		assertFrame(this.channel.readInbound(), large);
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeWhenLimitIsLoweredWhileABodyIsAwaitedShouldFinishThatFrameAndApplyItToTheNext() {
		ByteBuf whole = frame("0123456789");
		assertThat(this.channel.writeInbound(whole.readRetainedSlice(6))).isFalse();
		this.limit.set(5);
		assertThat(this.channel.writeInbound(whole)).isTrue();
		assertFrame(this.channel.readInbound(), "0123456789");
		ByteBuf next = frame("0123456789");
		assertThatExceptionOfType(TooLongFrameException.class).isThrownBy(() -> this.channel.writeInbound(next));
		assertThat(next.refCnt()).isZero();
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void decodeShouldReadTheLimitOncePerFrame() {
		AtomicInteger reads = new AtomicInteger();
		EmbeddedChannel counting = new EmbeddedChannel(new FrameDecoder(() -> {
			reads.incrementAndGet();
			return 16;
		}));
		ByteBuf first = frame("first");
		counting.writeInbound(first.readRetainedSlice(5));
		counting.writeInbound(first.readRetainedSlice(2));
		counting.writeInbound(Unpooled.wrappedBuffer(first, frame("second")));
		assertFrame(counting.readInbound(), "first");
		assertFrame(counting.readInbound(), "second");
		assertThat(reads).hasValue(2);
		assertThat(counting.finish()).isFalse();
	}

	static ByteBuf frame(String body) {
		byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
		return Unpooled.buffer(4 + bytes.length).writeInt(bytes.length).writeBytes(bytes);
	}

	private static void assertFrame(ByteBuf frame, String expected) {
		try {
			assertThat(frame).isNotNull();
			assertThat(frame.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
		}
		finally {
			frame.release();
		}
	}

}
