package org.btcfed.node.network.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * The Noise {@code SymmetricState} (Noise spec section 5.2) for SHA-256: the chaining key
 * {@code ck}, the handshake hash {@code h} and the handshake's {@link CipherState}, which
 * exists from the first {@code MixKey} on. Handshake ciphertexts use {@code h} as associated
 * data; {@code h} absorbs the ciphertext, never the plaintext.
 */
final class SymmetricState {

	/** Exactly 32 bytes (HASHLEN), so it is used as the initial {@code h} without hashing. */
	static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";

	private byte[] ck;

	private byte[] h;

	private @Nullable CipherState cipher;

	SymmetricState() {
		this.h = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII);
		this.ck = this.h.clone();
	}

	void mixHash(byte[] data) {
		MessageDigest digest = sha256();
		digest.update(this.h);
		digest.update(data);
		this.h = digest.digest();
	}

	void mixKey(byte[] inputKeyMaterial) {
		byte[][] outputs = hkdf(this.ck, inputKeyMaterial);
		this.ck = outputs[0];
		this.cipher = new CipherState(outputs[1]);
	}

	byte[] encryptAndHash(byte[] plaintext) {
		CipherState state = this.cipher;
		byte[] ciphertext = (state != null) ? state.encrypt(this.h, plaintext) : plaintext.clone();
		mixHash(ciphertext);
		return ciphertext;
	}

	/**
	 * @throws NoiseException when the ciphertext does not authenticate
	 */
	byte[] decryptAndHash(byte[] ciphertext) {
		CipherState state = this.cipher;
		byte[] plaintext = (state != null) ? state.decrypt(this.h, ciphertext) : ciphertext.clone();
		mixHash(ciphertext);
		return plaintext;
	}

	/**
	 * @return the number of bytes {@code encryptAndHash} adds to a plaintext now: the tag once
	 * there is a key, nothing before
	 */
	int overhead() {
		return (this.cipher != null) ? CipherState.TAG_LENGTH : 0;
	}

	/**
	 * @return the two transport states: the initiator sends with the first
	 */
	CipherState[] split() {
		byte[][] outputs = hkdf(this.ck, new byte[0]);
		return new CipherState[] { new CipherState(outputs[0]), new CipherState(outputs[1]) };
	}

	byte[] handshakeHash() {
		return this.h.clone();
	}

	/** HKDF with two outputs (Noise spec section 4.3: RFC 5869, salt {@code ck}, no info). */
	private static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial) {
		byte[] temp = hmac(chainingKey, inputKeyMaterial);
		byte[] first = hmac(temp, new byte[] { 1 });
		byte[] second = hmac(temp, X25519.concat(first, new byte[] { 2 }));
		return new byte[][] { first, second };
	}

	private static byte[] hmac(byte[] key, byte[] data) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(data);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available in this JVM", ex);
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is not available in this JVM", ex);
		}
	}

}
