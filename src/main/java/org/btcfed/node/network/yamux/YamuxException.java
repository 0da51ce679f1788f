package org.btcfed.node.network.yamux;

import io.netty.handler.codec.DecoderException;

/**
 * A protocol error of the remote that ends the yamux session: the session has sent
 * {@code GO_AWAY} with code 1 (protocol error), closed every stream with this exception, and
 * fires it through {@code ChannelHandlerContext.fireExceptionCaught}; the connection should then
 * be closed. Only that connection is affected.
 */
public final class YamuxException extends DecoderException {

	private static final long serialVersionUID = 1L;

	private final Kind kind;

	/**
	 * Creates an exception of the given kind.
	 * @param kind what went wrong
	 * @param message what was received, for the log
	 */
	public YamuxException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	/**
	 * What went wrong, for counting the reason.
	 * @return the kind of the error
	 */
	public Kind kind() {
		return this.kind;
	}

	/** The protocol errors a remote can make. */
	public enum Kind {

		/** A header with a version other than 0 or an unknown frame type. */
		MALFORMED_FRAME,

		/**
		 * A stream id that may not be used: Data or Window Update on stream 0, a SYN with our
		 * parity, or a SYN for an id not above every earlier one (a reused id).
		 */
		BAD_STREAM_ID,

		/** More data than the window we granted the stream. */
		WINDOW_EXCEEDED,

		/** A ping reply to no ping of ours, or a ping with neither SYN nor ACK. */
		PROTOCOL_ERROR

	}

}
