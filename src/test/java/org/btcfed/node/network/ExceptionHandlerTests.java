package org.btcfed.node.network;

import java.io.IOException;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pipeline's last handler: the reason a failure is counted under, and that it closes only
 * its own channel.
 */
class ExceptionHandlerTests {

	@Test
	void reasonOfShouldClassifyFramingAndDecodingFailures() {
		assertThat(ExceptionHandler.reasonOf(new TooLongFrameException("big"))).isEqualTo(RejectReason.OVERSIZED_FRAME);
		assertThat(ExceptionHandler.reasonOf(new DecoderException(new TooLongFrameException("big"))))
			.isEqualTo(RejectReason.OVERSIZED_FRAME);
		assertThat(ExceptionHandler.reasonOf(new CorruptedFrameException("bad"))).isEqualTo(RejectReason.MALFORMED);
		assertThat(ExceptionHandler.reasonOf(new DecoderException("bad"))).isEqualTo(RejectReason.MALFORMED);
		assertThat(ExceptionHandler.reasonOf(new IOException("Connection reset by peer")))
			.isEqualTo(RejectReason.CLOSED_BY_PEER);
	}

	@Test
	void exceptionCaughtShouldCloseThatChannelOnlyAndRecordReasonAndDetail() {
		EmbeddedChannel failing = new EmbeddedChannel(ExceptionHandler.INSTANCE);
		EmbeddedChannel other = new EmbeddedChannel(ExceptionHandler.INSTANCE);
		failing.pipeline().fireExceptionCaught(new CorruptedFrameException("bad frame"));
		assertThat(failing.isOpen()).isFalse();
		assertThat(failing.attr(Connection.CLOSE_REASON).get()).isEqualTo(RejectReason.MALFORMED);
		assertThat(failing.attr(ChannelSetup.CLOSE_DETAIL).get()).isEqualTo("bad frame");
		assertThat(other.isOpen()).isTrue();
		assertThat(failing.finish()).isFalse();
		assertThat(other.finish()).isFalse();
	}

	@Test
	void exceptionCaughtWhenAReasonIsAlreadyRecordedShouldKeepIt() {
		EmbeddedChannel channel = new EmbeddedChannel(ExceptionHandler.INSTANCE);
		channel.attr(Connection.CLOSE_REASON).set(RejectReason.REVOKED);
		channel.pipeline().fireExceptionCaught(new IOException("Broken pipe"));
		assertThat(channel.isOpen()).isFalse();
		assertThat(channel.attr(Connection.CLOSE_REASON).get()).isEqualTo(RejectReason.REVOKED);
		assertThat(channel.finish()).isFalse();
	}

}
