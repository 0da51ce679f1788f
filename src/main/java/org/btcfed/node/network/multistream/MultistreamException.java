package org.btcfed.node.network.multistream;

import io.netty.handler.codec.DecoderException;

/**
 * A multistream-select negotiation that failed: the peer sent something that is not a valid
 * message, or no protocol was agreed. The message names what was wrong; a protocol id from the
 * peer is quoted only up to a short length.
 */
public final class MultistreamException extends DecoderException {

	private static final long serialVersionUID = 1L;

	/**
	 * Why the negotiation failed.
	 */
	public enum Kind {

		/** Not a multistream message: bad varint, no trailing newline, not UTF-8, an unexpected answer. */
		MALFORMED,

		/** A message longer than {@link MultistreamSelect#MAX_MESSAGE_LENGTH}. */
		TOO_LONG,

		/** The peer's first message is not {@code /multistream/1.0.0}. */
		BAD_HEADER,

		/**
		 * No protocol agreed: as initiator, the responder refused every proposal; as responder,
		 * the initiator kept proposing unsupported protocols past the limit.
		 */
		NOT_SUPPORTED

	}

	private final Kind kind;

	MultistreamException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	MultistreamException(Kind kind, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
	}

	/**
	 * @return why the negotiation failed
	 */
	public Kind kind() {
		return this.kind;
	}

}
