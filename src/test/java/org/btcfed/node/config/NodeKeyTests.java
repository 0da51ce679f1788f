package org.btcfed.node.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link NodeKey}.
 */
class NodeKeyTests {

	private static final byte[] MESSAGE = "federation block 42".getBytes(StandardCharsets.UTF_8);

	@Test
	void parseWhenGeneratedKeyEncodedShouldRoundTrip() {
		NodeKey key = NodeKey.generate();
		NodeKey parsed = NodeKey.parse(key.encoded());
		assertThat(parsed).isEqualTo(key).hasSameHashCodeAs(key);
		assertThat(parsed.publicKeyBase64()).isEqualTo(key.publicKeyBase64());
		assertThat(Base64.getDecoder().decode(key.encoded())).hasSize(64);
	}

	@Test
	void parseWhenSurroundedByWhitespaceShouldAccept() {
		NodeKey key = NodeKey.generate();
		assertThat(NodeKey.parse("  " + key.encoded() + "\n")).isEqualTo(key);
	}

	@Test
	void generateShouldGiveDistinctKeys() {
		assertThat(NodeKey.generate()).isNotEqualTo(NodeKey.generate());
	}

	@Test
	void signWhenVerifiedWithPublicKeyShouldMatch() {
		NodeKey key = NodeKey.generate();
		byte[] signature = key.sign(MESSAGE);
		assertThat(signature).hasSize(64);
		assertThat(NodeKey.verify(key.publicKey(), MESSAGE, signature)).isTrue();
	}

	@Test
	void verifyWhenMessageTamperedShouldFail() {
		NodeKey key = NodeKey.generate();
		byte[] signature = key.sign(MESSAGE);
		byte[] tampered = MESSAGE.clone();
		tampered[0] ^= 1;
		assertThat(NodeKey.verify(key.publicKey(), tampered, signature)).isFalse();
	}

	@Test
	void verifyWhenOtherKeyShouldFail() {
		byte[] signature = NodeKey.generate().sign(MESSAGE);
		assertThat(NodeKey.verify(NodeKey.generate().publicKey(), MESSAGE, signature)).isFalse();
	}

	@Test
	void verifyWhenInputsMalformedShouldFailWithoutThrowing() {
		NodeKey key = NodeKey.generate();
		assertThat(NodeKey.verify(new byte[5], MESSAGE, key.sign(MESSAGE))).isFalse();
		assertThat(NodeKey.verify(key.publicKey(), MESSAGE, new byte[3])).isFalse();
	}

	@Test
	void publicKeyShouldReturnACopy() {
		NodeKey key = NodeKey.generate();
		byte[] copy = key.publicKey();
		copy[0] ^= 1;
		assertThat(key.publicKey()).isNotEqualTo(copy);
	}

	@Test
	void parseWhenPublicHalfBelongsToAnotherSeedShouldReject() {
		String mixed = mixed(NodeKey.generate(), NodeKey.generate().publicKey());
		assertThatIllegalArgumentException().isThrownBy(() -> NodeKey.parse(mixed))
			.withMessage("the public half (last 32 bytes) does not belong to the seed");
	}

	@Test
	void parseWhenPublicHalfIsArbitraryBytesShouldRejectWithIllegalArgument() {
		for (int i = 0; i < 32; i++) {
			byte[] arbitrary = new byte[32];
			Arrays.fill(arbitrary, (byte) (i * 8 + 1));
			String mixed = mixed(NodeKey.generate(), arbitrary);
			IllegalArgumentException ex = catchThrowableOfType(IllegalArgumentException.class,
					() -> NodeKey.parse(mixed));
			assertThat(ex).as("public half %s", i).isNotNull();
			assertThat(ex.getMessage()).doesNotContain(mixed.substring(0, 12));
		}
	}

	@Test
	void parseWhenWrongLengthShouldNameLengthOnly() {
		String text = Base64.getEncoder().encodeToString(new byte[48]);
		assertThatIllegalArgumentException().isThrownBy(() -> NodeKey.parse(text))
			.withMessageContaining("must be 64 bytes")
			.withMessageContaining("was 48 bytes")
			.withMessageNotContaining(text);
	}

	@Test
	void parseWhenNotBase64ShouldNotShowValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeKey.parse("s3cr3t-not-base64!"))
			.withMessage("must be base64 (the value is not shown, it is secret)");
	}

	@Test
	void toStringShouldMaskPrivateHalf() {
		NodeKey key = NodeKey.generate();
		String seed = Base64.getEncoder()
			.encodeToString(Arrays.copyOf(Base64.getDecoder().decode(key.encoded()), 32));
		assertThat(key.toString()).isEqualTo("NodeKey[public=" + key.publicKeyBase64() + ", private=******]")
			.doesNotContain(key.encoded())
			.doesNotContain(seed.substring(0, 20));
	}

	@Test
	void parsePublicKeyWhenValidShouldReturnRawBytes() {
		NodeKey key = NodeKey.generate();
		assertThat(NodeKey.parsePublicKey(key.publicKeyBase64())).isEqualTo(key.publicKey());
	}

	@Test
	void parsePublicKeyWhenInvalidShouldSayWhy() {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeKey.parsePublicKey("%%%"))
			.withMessage("must be base64, was '%%%'");
		String tooLong = Base64.getEncoder().encodeToString(new byte[33]);
		assertThatIllegalArgumentException().isThrownBy(() -> NodeKey.parsePublicKey(tooLong))
			.withMessage("must be a 32-byte Ed25519 public key in base64, was 33 bytes");
	}

	@Test
	void equalsWhenSamePublicKeyButOtherObjectShouldCompareAll() {
		NodeKey key = NodeKey.generate();
		assertThat(key).isEqualTo(key).isNotEqualTo(key.publicKeyBase64()).isNotEqualTo(null);
	}

	private static String mixed(NodeKey seedOwner, byte[] publicHalf) {
		byte[] raw = Base64.getDecoder().decode(seedOwner.encoded());
		System.arraycopy(publicHalf, 0, raw, 32, 32);
		return Base64.getEncoder().encodeToString(raw);
	}

}
