package org.btcfed.node.network.noise;

import java.security.SecureRandom;
import java.util.Arrays;

import org.btcfed.node.network.noise.NoiseException.Kind;

/**
 * X25519 (RFC 7748) on raw 32-byte keys, with BouncyCastle's RFC 7748 code (no key encodings,
 * several times faster than the JDK 17 provider for the two key pairs and three agreements of
 * every handshake).
 */
final class X25519 {

	static final int KEY_LENGTH = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private X25519() {
	}

	/**
	 * @return a fresh key pair
	 */
	static KeyPair generate() {
		byte[] privateKey = new byte[KEY_LENGTH];
		org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(RANDOM, privateKey);
		return fromPrivate(privateKey);
	}

	/**
	 * @param privateKey a raw private key (any 32 bytes; X25519 clamps them)
	 * @return the pair, its public key being {@code X25519(privateKey, 9)}
	 */
	static KeyPair fromPrivate(byte[] privateKey) {
		byte[] publicKey = new byte[KEY_LENGTH];
		org.bouncycastle.math.ec.rfc7748.X25519.scalarMultBase(privateKey, 0, publicKey, 0);
		return new KeyPair(privateKey.clone(), publicKey);
	}

	/**
	 * @param privateKey a raw private key
	 * @param publicKey a raw public key (u-coordinate, little-endian)
	 * @return the 32-byte shared secret
	 * @throws NoiseException {@link Kind#MALFORMED} when the public key is a low-order point
	 */
	static byte[] dh(byte[] privateKey, byte[] publicKey) {
		byte[] secret = new byte[KEY_LENGTH];
		if (publicKey.length != KEY_LENGTH
				|| !org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(privateKey, 0, publicKey, 0, secret, 0)) {
			// An all-zero result: the remote sent a low-order point.
			throw new NoiseException(Kind.MALFORMED, "remote X25519 key is unusable (low-order point)");
		}
		return secret;
	}

	static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

	/**
	 * A raw X25519 key pair. Its {@code toString} never shows the private key.
	 * @param privateKey the 32-byte private key
	 * @param publicKey the 32-byte public key
	 */
	record KeyPair(byte[] privateKey, byte[] publicKey) {

		@Override
		public String toString() {
			return "X25519.KeyPair[private=******]";
		}

	}

}
