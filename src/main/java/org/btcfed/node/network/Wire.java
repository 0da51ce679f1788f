package org.btcfed.node.network;

import java.nio.charset.StandardCharsets;

/**
 * The wire format. Every frame is a 4-byte big-endian length followed by that many bytes; the
 * first byte of a frame is its type:
 * <ul>
 * <li>{@code HELLO}: version (1 byte), public key (32), nonce (32)</li>
 * <li>{@code AUTH}: Ed25519 signature (64) over {@code "btcfed-auth-v1" || verifier's nonce ||
 * signer's public key || verifier's public key}: fresh nonces stop replay, both keys stop
 * relaying a handshake to a third node</li>
 * <li>{@code PROTOCOL}: protocol id length (1), protocol id (ASCII), payload</li>
 * </ul>
 */
final class Wire {

	static final byte HELLO = 0x01;

	static final byte AUTH = 0x02;

	static final byte PROTOCOL = 0x10;

	static final byte VERSION = 1;

	static final int KEY_LENGTH = 32;

	static final int NONCE_LENGTH = 32;

	static final int SIGNATURE_LENGTH = 64;

	static final int HELLO_LENGTH = 1 + 1 + KEY_LENGTH + NONCE_LENGTH;

	static final int AUTH_LENGTH = 1 + SIGNATURE_LENGTH;

	/** Room for a protocol frame's header on top of the largest message. */
	static final int PROTOCOL_OVERHEAD = 1 + 1 + 255;

	private static final byte[] AUTH_CONTEXT = "btcfed-auth-v1".getBytes(StandardCharsets.US_ASCII);

	private Wire() {
	}

	static byte[] authTranscript(byte[] verifierNonce, byte[] signerKey, byte[] verifierKey) {
		byte[] transcript = new byte[AUTH_CONTEXT.length + NONCE_LENGTH + 2 * KEY_LENGTH];
		System.arraycopy(AUTH_CONTEXT, 0, transcript, 0, AUTH_CONTEXT.length);
		System.arraycopy(verifierNonce, 0, transcript, AUTH_CONTEXT.length, NONCE_LENGTH);
		System.arraycopy(signerKey, 0, transcript, AUTH_CONTEXT.length + NONCE_LENGTH, KEY_LENGTH);
		System.arraycopy(verifierKey, 0, transcript, AUTH_CONTEXT.length + NONCE_LENGTH + KEY_LENGTH, KEY_LENGTH);
		return transcript;
	}

}
