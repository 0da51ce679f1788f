package org.btcfed.node.network;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;

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
		if (cause instanceof TooLongFrameException
				|| (cause instanceof DecoderException && cause.getCause() instanceof TooLongFrameException)) {
			return RejectReason.OVERSIZED_FRAME;
		}
		if (cause instanceof CorruptedFrameException || cause instanceof DecoderException) {
			return RejectReason.MALFORMED;
		}
		return RejectReason.CLOSED_BY_PEER;
	}

}
