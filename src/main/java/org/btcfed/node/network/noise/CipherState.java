package org.btcfed.node.network.noise;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.btcfed.node.network.noise.NoiseException.Kind;

/**
 * A Noise {@code CipherState} (Noise spec section 5.1) for ChaChaPoly: a 32-byte key and a 64-bit
 * nonce counter, one per direction. Nonce {@code n} is {@code 00 00 00 00 || n} as a 64-bit
 * little-endian number; {@code 2^64-1} is reserved, so a state refuses to go past
 * {@code 2^64-2}. The JDK cipher is initialised once per message with the next nonce (an
 * encrypting ChaCha20-Poly1305 {@link Cipher} can be neither reused after {@code doFinal} nor
 * re-initialised with the same nonce).
 * <p>
 * Not thread-safe: a connection uses it from its event loop only.
 */
final class CipherState {

	/** Length of the Poly1305 tag appended to every ciphertext. */
	static final int TAG_LENGTH = 16;

	/** The reserved nonce, {@code 2^64-1} as an unsigned long. */
	private static final long RESERVED_NONCE = -1L;

	private final SecretKeySpec key;

	private final Cipher cipher;

	private long nonce;

	CipherState(byte[] key) {
		this(key, 0);
	}

	CipherState(byte[] key, long nonce) {
		if (key.length != 32) {
			throw new IllegalArgumentException("a ChaChaPoly key is 32 bytes, was " + key.length);
		}
		this.key = new SecretKeySpec(key, "ChaCha20");
		this.nonce = nonce;
		try {
			this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
		}
		catch (NoSuchAlgorithmException | NoSuchPaddingException ex) {
			throw new IllegalStateException("ChaCha20-Poly1305 is not available in this JVM", ex);
		}
	}

	/**
	 * @return the nonce the next message uses, as an unsigned 64-bit number
	 */
	long nonce() {
		return this.nonce;
	}

	byte[] encrypt(byte[] ad, byte[] plaintext) {
		byte[] out = new byte[plaintext.length + TAG_LENGTH];
		encrypt(ad, plaintext, 0, plaintext.length, out, 0);
		return out;
	}

	/**
	 * Encrypts {@code length} bytes of {@code in} into {@code out}, which receives
	 * {@code length + 16} bytes.
	 */
	void encrypt(byte[] ad, byte[] in, int offset, int length, byte[] out, int outOffset) {
		init(Cipher.ENCRYPT_MODE, ad);
		try {
			this.cipher.doFinal(in, offset, length, out, outOffset);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", ex);
		}
		this.nonce++;
	}

	byte[] decrypt(byte[] ad, byte[] ciphertext) {
		checkHoldsTag(ciphertext.length);
		byte[] out = new byte[ciphertext.length - TAG_LENGTH];
		decrypt(ad, ciphertext, 0, ciphertext.length, out, 0);
		return out;
	}

	/**
	 * Decrypts {@code length} bytes of {@code in} (ciphertext and tag) into {@code out}, which
	 * receives {@code length - 16} bytes.
	 * @throws NoiseException {@link Kind#DECRYPTION_FAILED} when the tag does not match
	 */
	void decrypt(byte[] ad, byte[] in, int offset, int length, byte[] out, int outOffset) {
		checkHoldsTag(length);
		init(Cipher.DECRYPT_MODE, ad);
		try {
			this.cipher.doFinal(in, offset, length, out, outOffset);
		}
		catch (AEADBadTagException ex) {
			throw new NoiseException(Kind.DECRYPTION_FAILED,
					"Noise message does not authenticate (bad ChaCha20-Poly1305 tag)", ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("ChaCha20-Poly1305 decryption failed", ex);
		}
		this.nonce++;
	}

	private static void checkHoldsTag(int length) {
		if (length < TAG_LENGTH) {
			throw new NoiseException(Kind.MALFORMED,
					"Noise ciphertext is " + length + " bytes, shorter than its " + TAG_LENGTH + "-byte tag");
		}
	}

	private void init(int mode, byte[] ad) {
		if (this.nonce == RESERVED_NONCE) {
			throw new NoiseException(Kind.NONCE_EXHAUSTED, "Noise nonce space exhausted (2^64-1 messages)");
		}
		byte[] iv = new byte[12];
		long n = this.nonce;
		for (int i = 4; i < 12; i++) {
			iv[i] = (byte) n;
			n >>>= 8;
		}
		try {
			this.cipher.init(mode, this.key, new IvParameterSpec(iv));
		}
		catch (InvalidKeyException | InvalidAlgorithmParameterException ex) {
			throw new IllegalStateException("ChaCha20-Poly1305 refused key or nonce", ex);
		}
		if (ad.length > 0) {
			this.cipher.updateAAD(ad);
		}
	}

}
