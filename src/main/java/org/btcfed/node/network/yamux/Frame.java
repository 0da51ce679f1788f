package org.btcfed.node.network.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The yamux frame format: a 12-byte big-endian header ({@code version u8 | type u8 | flags u16 |
 * stream id u32 | length u32}), followed by {@code length} data bytes for Data frames only.
 */
final class Frame {

	static final int HEADER_LENGTH = 12;

	static final int VERSION = 0;

	static final int TYPE_DATA = 0;

	static final int TYPE_WINDOW_UPDATE = 1;

	static final int TYPE_PING = 2;

	static final int TYPE_GO_AWAY = 3;

	static final int SYN = 0x1;

	static final int ACK = 0x2;

	static final int FIN = 0x4;

	static final int RST = 0x8;

	static final int GO_AWAY_NORMAL = 0;

	static final int GO_AWAY_PROTOCOL_ERROR = 1;

	/** Each direction of every stream starts with this much credit, without any exchange. */
	static final int INITIAL_WINDOW = 256 * 1024;

	/**
	 * The most data bytes written in one frame: header and data then fill one Noise transport
	 * message (65535 bytes less its 16-byte tag) exactly, below go's 64 KiB - 12 and js's 64 KiB.
	 */
	static final int MAX_DATA = 65535 - 16 - HEADER_LENGTH;

	private Frame() {
	}

	/** A header without data: a window update, ping, go-away, or a Data frame's header. */
	static ByteBuf header(ByteBufAllocator alloc, int type, int flags, int streamId, long length) {
		ByteBuf frame = alloc.buffer(HEADER_LENGTH);
		writeHeader(frame, type, flags, streamId, length);
		return frame;
	}

	/** A Data frame carrying the next {@code length} readable bytes of {@code source}. */
	static ByteBuf data(ByteBufAllocator alloc, int flags, int streamId, ByteBuf source, int length) {
		ByteBuf frame = alloc.buffer(HEADER_LENGTH + length);
		writeHeader(frame, TYPE_DATA, flags, streamId, length);
		frame.writeBytes(source, length);
		return frame;
	}

	private static void writeHeader(ByteBuf frame, int type, int flags, int streamId, long length) {
		frame.writeByte(VERSION);
		frame.writeByte(type);
		frame.writeShort(flags);
		frame.writeInt(streamId);
		frame.writeInt((int) length);
	}

}
