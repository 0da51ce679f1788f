package org.btcfed.node.network.wire;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import org.jspecify.annotations.Nullable;

/**
 * Unsigned LEB128 varints as multiformats' unsigned-varint (and go-varint) define them: seven
 * bits a byte, least significant group first, at most 9 bytes (63 bits), and only the minimal
 * encoding. Every libp2p length prefix and multiaddr code is one.
 * <p>
 * Reading is for stream decoders: an incomplete varint leaves the buffer untouched and
 * reports {@link #INCOMPLETE}, so the caller can wait for more bytes; an invalid one throws
 * {@link CorruptedFrameException}. Stateless and thread-safe.
 */
public final class Varint {

	/** What {@link #read(ByteBuf)} returns when the buffer ends inside a varint. */
	public static final long INCOMPLETE = -1;

	/** Longest varint accepted: 9 bytes carry 63 bits. */
	public static final int MAX_BYTES = 9;

	private Varint() {
	}

	/**
	 * Writes a varint.
	 * @param out where to write it
	 * @param value the value, not negative
	 * @throws IllegalArgumentException when the value is negative (it would need 64 bits)
	 */
	public static void write(ByteBuf out, long value) {
		requireNotNegative(value);
		long rest = value;
		while ((rest & ~0x7FL) != 0) {
			out.writeByte((int) ((rest & 0x7F) | 0x80));
			rest >>>= 7;
		}
		out.writeByte((int) rest);
	}

	/**
	 * The encoded size of a value.
	 * @param value the value, not negative
	 * @return 1 to 9
	 * @throws IllegalArgumentException when the value is negative
	 */
	public static int size(long value) {
		requireNotNegative(value);
		int bits = 64 - Long.numberOfLeadingZeros(value);
		return Math.max(1, (bits + 6) / 7);
	}

	/**
	 * Reads a varint from the buffer's reader index.
	 * @param in the buffer
	 * @return the value (advancing the reader index past it), or {@link #INCOMPLETE} when the
	 * buffer ends before the varint does (the reader index is left where it was)
	 * @throws CorruptedFrameException when the varint is longer than 9 bytes (more than 63 bits)
	 * or not minimally encoded (a final {@code 00} byte after the first); the reader index is
	 * left where it was
	 */
	public static long read(ByteBuf in) {
		int start = in.readerIndex();
		int available = in.readableBytes();
		long value = 0;
		for (int i = 0; i < MAX_BYTES; i++) {
			if (i == available) {
				return INCOMPLETE;
			}
			int b = in.getUnsignedByte(start + i);
			value |= (long) (b & 0x7F) << (7 * i);
			if ((b & 0x80) == 0) {
				if (b == 0 && i > 0) {
					throw new CorruptedFrameException("varint is not minimally encoded (" + (i + 1) + " bytes)");
				}
				in.readerIndex(start + i + 1);
				return value;
			}
		}
		throw new CorruptedFrameException("varint is longer than " + MAX_BYTES + " bytes (over 63 bits)");
	}

	/**
	 * Reads one {@code uvarint(length) || payload} message, as multistream-select, identify and
	 * the node's message protocol frame them.
	 * @param in the buffer
	 * @param maxLength the largest payload accepted
	 * @return the payload as a retained slice of {@code in} (the caller releases it), or
	 * {@code null} when the message is not complete yet (the reader index is left where it was)
	 * @throws TooLongFrameException when the length exceeds {@code maxLength}, as soon as the
	 * prefix is read (the payload is not waited for)
	 * @throws CorruptedFrameException when the length prefix is not a valid varint
	 */
	public static @Nullable ByteBuf readLengthPrefixed(ByteBuf in, int maxLength) {
		int start = in.readerIndex();
		long length = read(in);
		if (length == INCOMPLETE) {
			return null;
		}
		if (length > maxLength) {
			in.readerIndex(start);
			throw new TooLongFrameException("message of " + length + " bytes exceeds the limit of " + maxLength);
		}
		if (in.readableBytes() < length) {
			in.readerIndex(start);
			return null;
		}
		return in.readRetainedSlice((int) length);
	}

	/**
	 * Writes one {@code uvarint(length) || payload} message.
	 * @param out where to write it
	 * @param payload the payload; its readable bytes are written, its reader index is not moved
	 */
	public static void writeLengthPrefixed(ByteBuf out, ByteBuf payload) {
		write(out, payload.readableBytes());
		out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
	}

	private static void requireNotNegative(long value) {
		if (value < 0) {
			throw new IllegalArgumentException("a varint holds 0 to 2^63-1, was " + value);
		}
	}

}
