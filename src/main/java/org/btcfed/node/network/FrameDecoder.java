package org.btcfed.node.network;

import java.util.List;
import java.util.function.IntSupplier;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;

/**
 * Splits the stream into frames: a 4-byte big-endian length, then the frame. The largest frame
 * accepted is read from a supplier once per frame, when its header arrives, so that
 * {@code protocol.max_message_size} changes in place from the next frame on (a frame already
 * accepted is not cut off half-way); an oversized or empty frame fails the connection before its
 * body is read.
 */
final class FrameDecoder extends ByteToMessageDecoder {

	private final IntSupplier maxFrameLength;

	/** The length of the frame whose header was accepted and whose body is awaited, or -1. */
	private int bodyLength = -1;

	FrameDecoder(IntSupplier maxFrameLength) {
		this.maxFrameLength = maxFrameLength;
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.bodyLength < 0) {
			if (in.readableBytes() < 4) {
				return;
			}
			this.bodyLength = checked(in.readInt(), in);
		}
		// One frame per call: it is handled before the next header is checked, so the limit of
		// the next frame follows what this one did (the end of the handshake raises it).
		if (in.readableBytes() >= this.bodyLength) {
			out.add(in.readRetainedSlice(this.bodyLength));
			this.bodyLength = -1;
		}
	}

	private int checked(int length, ByteBuf in) {
		if (length <= 0) {
			in.skipBytes(in.readableBytes());
			throw new CorruptedFrameException("frame length " + length + " is not positive");
		}
		int max = this.maxFrameLength.getAsInt();
		if (length > max) {
			in.skipBytes(in.readableBytes());
			throw new TooLongFrameException("frame of " + length + " bytes exceeds the limit of " + max + " bytes");
		}
		return length;
	}

}
