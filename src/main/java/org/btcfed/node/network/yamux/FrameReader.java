package org.btcfed.node.network.yamux;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the plaintext byte stream into frames, however it is chunked: a header split across reads
 * is collected (12 bytes, no buffer to release), several frames in one read are each handled, and
 * Data is handed on as it arrives, in pieces, so that nothing but the header is ever copied or
 * held. Checks the version and the type; the rest is the {@link Listener}'s.
 */
final class FrameReader {

	/** What the frames go to; called on the event loop, in wire order. */
	interface Listener {

		/**
		 * A Data frame's header.
		 * @return the stream its bytes go to, or {@code null} to drain them
		 */
		@Nullable SessionStream dataHeader(int flags, int streamId, long length);

		/** A Window Update, Ping or Go Away frame. */
		void control(int type, int flags, int streamId, long value);

		/** Whether the session has ended, so that the rest of the input is dropped. */
		boolean ended();

	}

	private final Listener listener;

	private final byte[] header = new byte[Frame.HEADER_LENGTH];

	private int headerFill;

	/** Data bytes of the current frame still to come, or 0 when a header is next. */
	private long dataRemaining;

	private @Nullable SessionStream target;

	private int dataFlags;

	FrameReader(Listener listener) {
		this.listener = listener;
	}

	/** Reads everything readable; the caller releases {@code in}. */
	void read(ByteBuf in) {
		while (in.isReadable() && !this.listener.ended()) {
			if (this.dataRemaining > 0) {
				int length = (int) Math.min(this.dataRemaining, in.readableBytes());
				ByteBuf piece = in.readSlice(length);
				this.dataRemaining -= length;
				SessionStream stream = this.target;
				if (stream != null) {
					stream.received(piece, this.dataRemaining == 0 ? this.dataFlags : 0);
				}
				continue;
			}
			int length = Math.min(Frame.HEADER_LENGTH - this.headerFill, in.readableBytes());
			in.readBytes(this.header, this.headerFill, length);
			this.headerFill += length;
			if (this.headerFill == Frame.HEADER_LENGTH) {
				this.headerFill = 0;
				frame();
			}
		}
	}

	private void frame() {
		int version = this.header[0] & 0xff;
		int type = this.header[1] & 0xff;
		int flags = ((this.header[2] & 0xff) << 8) | (this.header[3] & 0xff);
		int streamId = intAt(4);
		long length = Integer.toUnsignedLong(intAt(8));
		if (version != Frame.VERSION) {
			throw new YamuxException(YamuxException.Kind.MALFORMED_FRAME, "yamux version " + version + " is not 0");
		}
		if (type == Frame.TYPE_DATA) {
			SessionStream stream = this.listener.dataHeader(flags, streamId, length);
			if (length == 0) {
				if (stream != null) {
					stream.received(null, flags);
				}
				return;
			}
			this.target = stream;
			this.dataFlags = flags;
			this.dataRemaining = length;
		}
		else if (type <= Frame.TYPE_GO_AWAY) {
			this.listener.control(type, flags, streamId, length);
		}
		else {
			throw new YamuxException(YamuxException.Kind.MALFORMED_FRAME, "unknown yamux frame type " + type);
		}
	}

	private int intAt(int offset) {
		return ((this.header[offset] & 0xff) << 24) | ((this.header[offset + 1] & 0xff) << 16)
				| ((this.header[offset + 2] & 0xff) << 8) | (this.header[offset + 3] & 0xff);
	}

}
