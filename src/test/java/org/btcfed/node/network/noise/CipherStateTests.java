package org.btcfed.node.network.noise;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.btcfed.node.network.noise.NoiseException.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The cipher state: nonce layout, one counter per message, the reserved last nonce, and what
 * it says about bad input.
 */
class CipherStateTests {

	private static final byte[] KEY = Hex.bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

	@Test
	void encryptShouldUseFourZeroBytesThenTheCounterLittleEndianAsNonce() throws Exception {
		CipherState state = new CipherState(KEY, 0x0102030405060708L);
		byte[] ciphertext = state.encrypt(new byte[] { 9 }, "hello".getBytes());
		Cipher reference = Cipher.getInstance("ChaCha20-Poly1305");
		reference.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY, "ChaCha20"),
				new IvParameterSpec(Hex.bytes("00000000 0807060504030201")));
		reference.updateAAD(new byte[] { 9 });
		assertThat(reference.doFinal(ciphertext)).isEqualTo("hello".getBytes());
		assertThat(state.nonce()).isEqualTo(0x0102030405060709L);
	}

	@Test
	void encryptWhenCalledTwiceShouldUseTheNextNonceEachTime() {
		CipherState sender = new CipherState(KEY);
		CipherState receiver = new CipherState(KEY);
		byte[] first = sender.encrypt(new byte[0], "same".getBytes());
		byte[] second = sender.encrypt(new byte[0], "same".getBytes());
		assertThat(first).hasSize(4 + 16).isNotEqualTo(second);
		assertThat(receiver.decrypt(new byte[0], first)).isEqualTo("same".getBytes());
		assertThat(receiver.decrypt(new byte[0], second)).isEqualTo("same".getBytes());
		assertThat(receiver.nonce()).isEqualTo(2);
	}

	@Test
	void encryptWhenTheNextNonceIsTheReservedOneShouldRefuse() {
		CipherState state = new CipherState(KEY, -2L);
		state.encrypt(new byte[0], new byte[1]);
		assertThat(state.nonce()).isEqualTo(-1L);
		assertThatExceptionOfType(NoiseException.class).isThrownBy(() -> state.encrypt(new byte[0], new byte[1]))
			.withMessage("Noise nonce space exhausted (2^64-1 messages)")
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.NONCE_EXHAUSTED);
		CipherState receiver = new CipherState(KEY, -1L);
		assertThatExceptionOfType(NoiseException.class).isThrownBy(() -> receiver.decrypt(new byte[0], new byte[16]))
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.NONCE_EXHAUSTED);
	}

	@Test
	void decryptWhenAssociatedDataDiffersShouldFail() {
		byte[] ciphertext = new CipherState(KEY).encrypt(new byte[] { 1 }, "x".getBytes());
		CipherState receiver = new CipherState(KEY);
		assertThatExceptionOfType(NoiseException.class).isThrownBy(() -> receiver.decrypt(new byte[] { 2 }, ciphertext))
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.DECRYPTION_FAILED);
		assertThat(receiver.nonce()).isZero();
	}

	@Test
	void decryptWhenShorterThanTheTagShouldBeMalformed() {
		assertThatExceptionOfType(NoiseException.class)
			.isThrownBy(() -> new CipherState(KEY).decrypt(new byte[0], new byte[15]))
			.withMessage("Noise ciphertext is 15 bytes, shorter than its 16-byte tag")
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.MALFORMED);
	}

	@Test
	void constructorWhenKeyIsNot32BytesShouldRefuse() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CipherState(new byte[16]))
			.withMessage("a ChaChaPoly key is 32 bytes, was 16");
	}

}
