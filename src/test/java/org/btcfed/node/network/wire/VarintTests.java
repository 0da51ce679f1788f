package org.btcfed.node.network.wire;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Varint}, with the vectors of multiformats' unsigned-varint spec.
 */
class VarintTests {

	@ParameterizedTest
	@CsvSource({ "0, 00", "1, 01", "127, 7f", "128, 8001", "255, ff01", "300, ac02", "16384, 808001",
			"421, a503", "9223372036854775807, ffffffffffffffff7f" })
	void writeShouldProduceTheSpecBytesAndReadShouldReturnTheValue(long value, String hex) {
		ByteBuf buffer = Unpooled.buffer();
		Varint.write(buffer, value);
		assertThat(ByteBufUtil.hexDump(buffer)).isEqualTo(hex);
		assertThat(Varint.size(value)).isEqualTo(hex.length() / 2);
		buffer.writeByte(0x42);
		assertThat(Varint.read(buffer)).isEqualTo(value);
		assertThat(buffer.readableBytes()).isOne();
		buffer.release();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "80", "ff", "8080", "ffffffffffffffff" })
	void readWhenIncompleteShouldReturnIncompleteAndLeaveTheReaderIndex(String hex) {
		ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
		assertThat(Varint.read(buffer)).isEqualTo(Varint.INCOMPLETE);
		assertThat(buffer.readerIndex()).isZero();
	}

	@Test
	void readWhenLongerThanNineBytesShouldReject() {
		ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("ffffffffffffffffff01"));
		assertThatExceptionOfType(CorruptedFrameException.class).isThrownBy(() -> Varint.read(buffer))
			.withMessage("varint is longer than 9 bytes (over 63 bits)");
		assertThat(buffer.readerIndex()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "8000", "8100", "ff8000", "808080808080808000" })
	void readWhenNotMinimalShouldRejectAsGoVarintDoes(String hex) {
		ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
		assertThatExceptionOfType(CorruptedFrameException.class).isThrownBy(() -> Varint.read(buffer))
			.withMessageContaining("not minimally encoded");
		assertThat(buffer.readerIndex()).isZero();
	}

	@Test
	void writeWhenNegativeShouldReject() {
		ByteBuf buffer = Unpooled.buffer();
		assertThatIllegalArgumentException().isThrownBy(() -> Varint.write(buffer, -1))
			.withMessage("a varint holds 0 to 2^63-1, was -1");
		assertThatIllegalArgumentException().isThrownBy(() -> Varint.size(Long.MIN_VALUE));
		assertThat(buffer.readableBytes()).isZero();
	}

	@Test
	void readLengthPrefixedShouldReturnThePayloadAndKeepWhatFollows() {
		ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("036e610a" + "ff"));
		ByteBuf payload = Varint.readLengthPrefixed(buffer, 1024);
		assertThat(payload).isNotNull();
		assertThat(payload.toString(StandardCharsets.UTF_8)).isEqualTo("na\n");
		payload.release();
		assertThat(ByteBufUtil.hexDump(buffer)).isEqualTo("ff");
		buffer.release();
		assertThat(buffer.refCnt()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "03", "036e61", "80" })
	void readLengthPrefixedWhenIncompleteShouldReturnNullAndLeaveTheReaderIndex(String hex) {
		ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
		assertThat(Varint.readLengthPrefixed(buffer, 1024)).isNull();
		assertThat(buffer.readerIndex()).isZero();
	}

	@Test
	void readLengthPrefixedWhenTooLongShouldRejectBeforeThePayloadArrives() {
		ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("8108"));
		assertThatExceptionOfType(TooLongFrameException.class)
			.isThrownBy(() -> Varint.readLengthPrefixed(buffer, 1024))
			.withMessage("message of 1025 bytes exceeds the limit of 1024");
		assertThat(buffer.readerIndex()).isZero();
		ByteBuf exact = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("8008"));
		assertThat(Varint.readLengthPrefixed(exact, 1024)).isNull();
	}

	@Test
	void readLengthPrefixedWhenPrefixCorruptShouldReject() {
		ByteBuf buffer = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("8000"));
		assertThatExceptionOfType(CorruptedFrameException.class)
			.isThrownBy(() -> Varint.readLengthPrefixed(buffer, 1024));
	}

	@Test
	void writeLengthPrefixedShouldPrefixTheReadableBytesWithoutConsumingThem() {
		ByteBuf payload = Unpooled.copiedBuffer("/noise\n", StandardCharsets.UTF_8);
		ByteBuf out = Unpooled.buffer();
		Varint.writeLengthPrefixed(out, payload);
		assertThat(ByteBufUtil.hexDump(out)).isEqualTo("072f6e6f6973650a");
		assertThat(payload.readableBytes()).isEqualTo(7);
		payload.release();
		out.release();
	}

}
