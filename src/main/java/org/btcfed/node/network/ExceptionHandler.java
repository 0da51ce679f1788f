package org.btcfed.node.network;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.btcfed.node.network.multistream.MultistreamException;
import org.btcfed.node.network.noise.NoiseException;
import org.btcfed.node.network.yamux.YamuxException;

/**
 * The pipeline's last handler: any exception closes that connection, with the reason recorded
 * for counting and the one log line; nothing else is affected.
 */
@ChannelHandler.Sharable
final class ExceptionHandler extends ChannelInboundHandlerAdapter {

	static final ExceptionHandler INSTANCE = new ExceptionHandler();

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.channel().attr(Connection.CLOSE_REASON).setIfAbsent(reasonOf(cause));
		ctx.channel().attr(ChannelSetup.CLOSE_DETAIL).setIfAbsent(String.valueOf(cause.getMessage()));
		ctx.close();
	}

	static RejectReason reasonOf(Throwable cause) {
		if (cause instanceof NoiseException noise) {
			return switch (noise.kind()) {
				case BAD_SIGNATURE -> RejectReason.BAD_SIGNATURE;
				case DECRYPTION_FAILED -> RejectReason.DECRYPTION_FAILED;
				default -> RejectReason.MALFORMED;
			};
		}
		if (cause instanceof MultistreamException multistream) {
			return switch (multistream.kind()) {
				case NOT_SUPPORTED -> RejectReason.NEGOTIATION_FAILED;
				case TOO_LONG -> RejectReason.OVERSIZED_FRAME;
				default -> RejectReason.MALFORMED;
			};
		}
		if (cause instanceof YamuxException yamux) {
			return (yamux.kind() == YamuxException.Kind.WINDOW_EXCEEDED) ? RejectReason.WINDOW_EXCEEDED
					: RejectReason.MALFORMED;
		}
		if (cause instanceof TooLongFrameException
				|| (cause instanceof DecoderException && cause.getCause() instanceof TooLongFrameException)) {
			return RejectReason.OVERSIZED_FRAME;
		}
		if (cause instanceof DecoderException) {
			return RejectReason.MALFORMED;
		}
		return RejectReason.CLOSED_BY_PEER;
	}

}
