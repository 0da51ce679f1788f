package org.btcfed.node.protocol;

import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.btcfed.node.network.wire.Varint;
import org.jspecify.annotations.Nullable;

/**
 * The messages of a stream that carries {@code uvarint(length) || bytes} messages, as libp2p's
 * identify and the node's message protocol do, from bytes that arrive chunked arbitrarily. Holds
 * at most one incomplete message. Not thread-safe: used on the stream's event loop.
 */
final class LengthPrefixed {

	private @Nullable ByteBuf pending;

	/**
	 * Reads every complete message in the data (and what was pending before it).
	 * @param data the bytes that arrived (not released here)
	 * @param max the largest message allowed
	 * @param message receives each message
	 * @throws io.netty.handler.codec.TooLongFrameException when a message is announced larger than
	 * {@code max}
	 * @throws io.netty.handler.codec.CorruptedFrameException when the length is no valid varint
	 */
	void read(ByteBuf data, int max, Consumer<byte[]> message) {
		ByteBuf in = data;
		if (this.pending != null) {
			in = this.pending.writeBytes(data);
		}
		try {
			ByteBuf next;
			while ((next = Varint.readLengthPrefixed(in, max)) != null) {
				byte[] bytes = new byte[next.readableBytes()];
				next.readBytes(bytes);
				next.release();
				message.accept(bytes);
			}
		}
		catch (RuntimeException ex) {
			release();
			throw ex;
		}
		if (in.isReadable()) {
			if (this.pending == null) {
				this.pending = Unpooled.buffer(in.readableBytes()).writeBytes(in);
			}
			else {
				this.pending.discardReadBytes();
			}
		}
		else {
			release();
		}
	}

	/** Drops what is pending. */
	void release() {
		if (this.pending != null) {
			this.pending.release();
			this.pending = null;
		}
	}

	/**
	 * @return one message, framed
	 */
	static ByteBuf frame(ByteBufAllocator allocator, byte[] payload) {
		ByteBuf frame = allocator.buffer(Varint.size(payload.length) + payload.length);
		Varint.write(frame, payload.length);
		return frame.writeBytes(payload);
	}

}
