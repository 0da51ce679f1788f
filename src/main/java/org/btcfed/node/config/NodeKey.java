package org.btcfed.node.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jspecify.annotations.Nullable;

/**
 * The node's Ed25519 identity in btc-federation's format: 64 bytes, the 32-byte seed followed by
 * the 32-byte public key, base64 encoded. Signs and verifies with BouncyCastle's RFC 8032 code
 * (the JDK 17 provider is about ten times slower, and every libp2p handshake signs once and
 * verifies once).
 * <p>
 * The private half never leaves this class as text except through {@link #encoded()}, which
 * exists to write the key file; {@link #toString()} is masked so that the key cannot reach a log
 * by accident.
 */
public final class NodeKey {

	/** Length of a raw Ed25519 public key. */
	public static final int PUBLIC_KEY_LENGTH = 32;

	private static final int SIGNATURE_LENGTH = 64;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static volatile @Nullable NodeKey lastParsed;

	private final byte[] seed;

	private final byte[] publicKey;

	private NodeKey(byte[] seed, byte[] publicKey) {
		this.seed = seed;
		this.publicKey = publicKey;
	}

	/**
	 * Generates a fresh identity.
	 * @return the new key
	 */
	public static NodeKey generate() {
		byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
		RANDOM.nextBytes(seed);
		return new NodeKey(seed, publicKeyOfSeed(seed));
	}

	private static byte[] publicKeyOfSeed(byte[] seed) {
		byte[] publicKey = new byte[PUBLIC_KEY_LENGTH];
		Ed25519.generatePublicKey(seed, 0, publicKey, 0);
		return publicKey;
	}

	/**
	 * Parses and checks a base64 key: the public half must belong to the seed.
	 * @param base64 the key in btc-federation's format
	 * @return the key
	 * @throws IllegalArgumentException with a message that never contains the key
	 */
	public static NodeKey parse(String base64) {
		// Every reload re-reads conf.yaml; deriving an unchanged key's public half again would be
		// a good part of an in-place reload's time.
		NodeKey cached = lastParsed;
		if (cached != null && MessageDigest.isEqual(cached.encoded().getBytes(StandardCharsets.US_ASCII),
				base64.trim().getBytes(StandardCharsets.US_ASCII))) {
			return cached;
		}
		NodeKey parsed = parseUncached(base64);
		lastParsed = parsed;
		return parsed;
	}

	private static NodeKey parseUncached(String base64) {
		byte[] raw;
		try {
			raw = Base64.getDecoder().decode(base64.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("must be base64 (the value is not shown, it is secret)");
		}
		if (raw.length != 64) {
			throw new IllegalArgumentException(
					"must be 64 bytes of base64 (32-byte Ed25519 seed followed by the 32-byte public key), was "
							+ raw.length + " bytes");
		}
		byte[] seed = Arrays.copyOfRange(raw, 0, 32);
		byte[] publicKey = Arrays.copyOfRange(raw, 32, 64);
		// go-libp2p takes the halves as they are and would sign wrongly with a mismatched pair.
		if (!MessageDigest.isEqual(publicKeyOfSeed(seed), publicKey)) {
			throw new IllegalArgumentException("the public half (last 32 bytes) does not belong to the seed");
		}
		return new NodeKey(seed, publicKey);
	}

	/**
	 * Parses a peer's base64 public key.
	 * @param base64 the key
	 * @return the raw 32 bytes
	 * @throws IllegalArgumentException when it is not 32 bytes of base64
	 */
	public static byte[] parsePublicKey(String base64) {
		byte[] raw;
		try {
			raw = Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("must be base64, was '" + base64 + "'");
		}
		if (raw.length != PUBLIC_KEY_LENGTH) {
			throw new IllegalArgumentException(
					"must be a 32-byte Ed25519 public key in base64, was " + raw.length + " bytes");
		}
		return raw;
	}

	/**
	 * @return the public key, base64, as peers list it in their peers.yaml
	 */
	public String publicKeyBase64() {
		return Base64.getEncoder().encodeToString(this.publicKey);
	}

	/**
	 * @return the raw 32-byte public key
	 */
	public byte[] publicKey() {
		return this.publicKey.clone();
	}

	/**
	 * @return the node's libp2p peer id, {@code 12D3KooW...}, derived from the public key
	 */
	public PeerId peerId() {
		return PeerId.of(this.publicKey);
	}

	/**
	 * The key as it is written to conf.yaml. Only for writing the key file.
	 * @return seed and public key, base64
	 */
	public String encoded() {
		return Base64.getEncoder().encodeToString(concat(this.seed, this.publicKey));
	}

	/**
	 * Signs a message.
	 * @param message the bytes to sign
	 * @return the 64-byte signature
	 */
	public byte[] sign(byte[] message) {
		byte[] signature = new byte[SIGNATURE_LENGTH];
		Ed25519.sign(this.seed, 0, this.publicKey, 0, message, 0, message.length, signature, 0);
		return signature;
	}

	/**
	 * Verifies a signature made by the holder of a raw public key.
	 * @param rawPublicKey the 32-byte public key
	 * @param message the signed bytes
	 * @param sig the signature
	 * @return whether the signature is valid (false for keys or signatures of the wrong length)
	 */
	public static boolean verify(byte[] rawPublicKey, byte[] message, byte[] sig) {
		if (rawPublicKey.length != PUBLIC_KEY_LENGTH || sig.length != SIGNATURE_LENGTH) {
			return false;
		}
		return Ed25519.verify(sig, 0, rawPublicKey, 0, message, 0, message.length);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof NodeKey key && MessageDigest.isEqual(this.seed, key.seed)
				&& Arrays.equals(this.publicKey, key.publicKey);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.publicKey);
	}

	@Override
	public String toString() {
		return "NodeKey[public=" + publicKeyBase64() + ", private=******]";
	}

	private static byte[] concat(byte[] a, byte[] b) {
		byte[] out = Arrays.copyOf(a, a.length + b.length);
		System.arraycopy(b, 0, out, a.length, b.length);
		return out;
	}

}
