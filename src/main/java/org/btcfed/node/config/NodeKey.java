package org.btcfed.node.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * The node's Ed25519 identity in btc-federation's format: 64 bytes, the 32-byte seed followed by
 * the 32-byte public key, base64 encoded. Uses the JDK's own Ed25519 provider.
 * <p>
 * The private half never leaves this class as text except through {@link #encoded()}, which
 * exists to write the key file; {@link #toString()} is masked so that the key cannot reach a log
 * by accident.
 */
public final class NodeKey {

	/** Length of a raw Ed25519 public key. */
	public static final int PUBLIC_KEY_LENGTH = 32;

	private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

	private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

	private static volatile @Nullable NodeKey lastParsed;

	private final byte[] seed;

	private final byte[] publicKey;

	private final PrivateKey jcaPrivate;

	private final PublicKey jcaPublic;

	private NodeKey(byte[] seed, byte[] publicKey) throws GeneralSecurityException {
		this.seed = seed;
		this.publicKey = publicKey;
		KeyFactory factory = KeyFactory.getInstance("Ed25519");
		this.jcaPrivate = factory.generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
		this.jcaPublic = publicKeyOf(publicKey);
	}

	/**
	 * Generates a fresh identity.
	 * @return the new key
	 */
	public static NodeKey generate() {
		try {
			KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
			byte[] pkcs8 = pair.getPrivate().getEncoded();
			byte[] x509 = pair.getPublic().getEncoded();
			return new NodeKey(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length),
					Arrays.copyOfRange(x509, x509.length - 32, x509.length));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Ed25519 is not available in this JVM", ex);
		}
	}

	/**
	 * Parses and checks a base64 key: the public half must belong to the seed.
	 * @param base64 the key in btc-federation's format
	 * @return the key
	 * @throws IllegalArgumentException with a message that never contains the key
	 */
	public static NodeKey parse(String base64) {
		// Every reload re-reads conf.yaml; checking an unchanged key again (two key factories, a
		// signature and its verification) would dominate an in-place reload's time.
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
		try {
			NodeKey key = new NodeKey(Arrays.copyOfRange(raw, 0, 32), Arrays.copyOfRange(raw, 32, 64));
			byte[] probe = "btcfed-node key check".getBytes(StandardCharsets.US_ASCII);
			if (!key.verify(probe, key.sign(probe))) {
				throw new IllegalArgumentException("the public half (last 32 bytes) does not belong to the seed");
			}
			return key;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException("is not a usable Ed25519 key (" + ex.getClass().getSimpleName() + ")");
		}
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
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(this.jcaPrivate);
			signature.update(message);
			return signature.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Ed25519 signing failed", ex);
		}
	}

	private boolean verify(byte[] message, byte[] sig) throws GeneralSecurityException {
		return verify(this.jcaPublic, message, sig);
	}

	/**
	 * Verifies a signature made by the holder of a raw public key.
	 * @param rawPublicKey the 32-byte public key
	 * @param message the signed bytes
	 * @param sig the signature
	 * @return whether the signature is valid
	 */
	public static boolean verify(byte[] rawPublicKey, byte[] message, byte[] sig) {
		try {
			return verify(publicKeyOf(rawPublicKey), message, sig);
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	private static boolean verify(PublicKey key, byte[] message, byte[] sig) throws GeneralSecurityException {
		Signature signature = Signature.getInstance("Ed25519");
		signature.initVerify(key);
		signature.update(message);
		return signature.verify(sig);
	}

	private static PublicKey publicKeyOf(byte[] raw) throws GeneralSecurityException {
		return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
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
