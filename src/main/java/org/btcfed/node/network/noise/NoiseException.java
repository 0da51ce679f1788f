package org.btcfed.node.network.noise;

import io.netty.handler.codec.DecoderException;
import org.jspecify.annotations.Nullable;

/**
 * A Noise handshake or transport failure. Each one is fatal for the connection; its
 * {@link #kind()} says why, so that the connection's owner can count the close reason. Messages
 * never contain key material.
 */
public final class NoiseException extends DecoderException {

	private static final long serialVersionUID = 1L;

	private final Kind kind;

	/**
	 * Creates an exception.
	 * @param kind what went wrong
	 * @param message what, in words
	 */
	public NoiseException(Kind kind, String message) {
		this(kind, message, null);
	}

	/**
	 * Creates an exception with its cause.
	 * @param kind what went wrong
	 * @param message what, in words
	 * @param cause the underlying failure, if any
	 */
	public NoiseException(Kind kind, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.kind = kind;
	}

	/**
	 * @return what went wrong
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * The classes of failure.
	 */
	public enum Kind {

		/** A frame or message is too short, a protobuf is broken, or a field is missing. */
		MALFORMED,

		/** The remote's signature over its static key does not verify with its identity key. */
		BAD_SIGNATURE,

		/** A ciphertext does not authenticate (bad tag): corrupted or forged. */
		DECRYPTION_FAILED,

		/** The remote's identity key is not Ed25519. */
		UNSUPPORTED_KEY,

		/** A direction used up its 2^64-1 nonces; in practice never reached. */
		NONCE_EXHAUSTED

	}

}
