package org.btcfed.node.network.yamux;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * What a protocol supplies for a stream. Every method is called on the channel's event loop and
 * must not block. An exception thrown by {@link #data} or {@link #remoteClosed} resets the stream
 * and is given to {@link #closed}.
 */
public interface YamuxStreamHandler {

	/**
	 * Data arrived, in pieces of any size. The buffer is released after this returns: retain or
	 * copy what you keep. The bytes count as consumed on return, and credit goes back to the
	 * remote once half of the 256 KiB window is consumed.
	 * @param stream the stream
	 * @param data the bytes, valid during this call only
	 */
	void data(YamuxStream stream, ByteBuf data);

	/**
	 * The remote half-closed its direction (FIN): no more data will arrive; writing still works.
	 * @param stream the stream
	 */
	default void remoteClosed(YamuxStream stream) {
	}

	/**
	 * The stream is gone; called exactly once per stream.
	 * @param stream the stream
	 * @param cause {@code null} after FIN both ways; otherwise a {@link YamuxStreamException} for
	 * a reset (either side), a refusal or a limit, with the session's error as its cause when the
	 * session ended
	 */
	default void closed(YamuxStream stream, @Nullable Throwable cause) {
	}

}
