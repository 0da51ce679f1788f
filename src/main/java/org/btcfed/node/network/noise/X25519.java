package org.btcfed.node.network.noise;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.KeyAgreement;

import org.btcfed.node.network.noise.NoiseException.Kind;

/**
 * X25519 (RFC 7748) on raw 32-byte keys through the JDK's provider: raw keys are wrapped in
 * their fixed DER prefixes, raw public keys are the last 32 bytes of the X.509 encoding.
 */
final class X25519 {

	static final int KEY_LENGTH = 32;

	private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");

	private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");

	private static final byte[] BASE_POINT = basePoint();

	private X25519() {
	}

	/**
	 * @return a fresh key pair
	 */
	static KeyPair generate() {
		try {
			java.security.KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
			return new KeyPair(last32(pair.getPrivate().getEncoded()), last32(pair.getPublic().getEncoded()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("X25519 is not available in this JVM", ex);
		}
	}

	/**
	 * @param privateKey a raw private key (any 32 bytes; X25519 clamps them)
	 * @return the pair, its public key being {@code X25519(privateKey, 9)}
	 */
	static KeyPair fromPrivate(byte[] privateKey) {
		return new KeyPair(privateKey.clone(), dh(privateKey, BASE_POINT));
	}

	/**
	 * @param privateKey a raw private key
	 * @param publicKey a raw public key (u-coordinate, little-endian)
	 * @return the 32-byte shared secret
	 * @throws NoiseException {@link Kind#MALFORMED} when the public key is a low-order point
	 */
	static byte[] dh(byte[] privateKey, byte[] publicKey) {
		try {
			KeyFactory factory = KeyFactory.getInstance("X25519");
			KeyAgreement agreement = KeyAgreement.getInstance("X25519");
			agreement.init(factory.generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, privateKey))));
			agreement.doPhase(factory.generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, publicKey))), true);
			return agreement.generateSecret();
		}
		catch (InvalidKeyException ex) {
			// The JDK refuses an all-zero result: the remote sent a low-order point.
			throw new NoiseException(Kind.MALFORMED, "remote X25519 key is unusable (low-order point)", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("X25519 is not available in this JVM", ex);
		}
	}

	private static byte[] basePoint() {
		byte[] u = new byte[KEY_LENGTH];
		u[0] = 9;
		return u;
	}

	private static byte[] last32(byte[] encoded) {
		return Arrays.copyOfRange(encoded, encoded.length - KEY_LENGTH, encoded.length);
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
