package org.btcfed.node.network;

import java.util.List;
import java.util.function.IntSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Splits the stream into frames: a 4-byte big-endian length, then the frame. The largest frame
 * accepted is read for every frame from a supplier, so that {@code protocol.max_message_size}
 * changes in place; an oversized or empty frame fails the connection before its body is read.
 */
final class FrameDecoder extends ByteToMessageDecoder {

	private final IntSupplier maxFrameLength;

	FrameDecoder(IntSupplier maxFrameLength) {
		this.maxFrameLength = maxFrameLength;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
		while (in.readableBytes() >= 4) {
			int length = in.getInt(in.readerIndex());
			int max = this.maxFrameLength.getAsInt();
			if (length <= 0 || length > max) {
				in.skipBytes(in.readableBytes());
				throw new TooLongFrameException((length <= 0) ? "frame length " + length + " is not positive"
						: "frame of " + length + " bytes exceeds the limit of " + max + " bytes");
			}
			if (in.readableBytes() < 4 + length) {
				return;
			}
			in.skipBytes(4);
			out.add(in.readRetainedSlice(length));
		}
	}

}
