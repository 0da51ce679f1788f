package org.btcfed.node.network.yamux;

import java.io.IOException;

/**
 * Why a stream ended other than by FIN both ways, or why a write or open failed: reset by either
 * side, refused, over a limit, or the session ended. Given to
 * {@link YamuxStreamHandler#closed(YamuxStream, Throwable)} and to failed write futures.
 */
public final class YamuxStreamException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception.
	 * @param message what happened to the stream
	 */
	public YamuxStreamException(String message) {
		super(message);
	}

	/**
	 * Creates an exception for a stream ended by a session error.
	 * @param message what happened to the stream
	 * @param cause the session's error
	 */
	public YamuxStreamException(String message, Throwable cause) {
		super(message, cause);
	}

}
