package org.btcfed.node.network.noise;

import org.btcfed.node.network.noise.NoiseException.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The DH helper against RFC 7748's test vectors.
 */
class X25519Tests {

	@Test
	void dhWhenGivenRfc7748Section52InputShouldGiveItsOutput() {
		byte[] scalar = Hex.bytes("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
		byte[] u = Hex.bytes("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
		assertThat(Hex.of(X25519.dh(scalar, u)))
			.isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
	}

	@Test
	void fromPrivateAndDhWhenGivenRfc7748Section61KeysShouldAgreeOnItsSharedSecret() {
		X25519.KeyPair alice = X25519
			.fromPrivate(Hex.bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
		X25519.KeyPair bob = X25519
			.fromPrivate(Hex.bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
		assertThat(Hex.of(alice.publicKey()))
			.isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
		assertThat(Hex.of(bob.publicKey())).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
		String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
		assertThat(Hex.of(X25519.dh(alice.privateKey(), bob.publicKey()))).isEqualTo(shared);
		assertThat(Hex.of(X25519.dh(bob.privateKey(), alice.publicKey()))).isEqualTo(shared);
	}

	@Test
	void generateShouldGiveRawKeysThatBelongTogether() {
		X25519.KeyPair pair = X25519.generate();
		assertThat(pair.privateKey()).hasSize(32);
		assertThat(pair.publicKey()).hasSize(32).isEqualTo(X25519.fromPrivate(pair.privateKey()).publicKey());
		assertThat(pair).hasToString("X25519.KeyPair[private=******]");
	}

	@Test
	void dhWhenRemoteKeyIsALowOrderPointShouldFailAsMalformed() {
		assertThatExceptionOfType(NoiseException.class)
			.isThrownBy(() -> X25519.dh(X25519.generate().privateKey(), new byte[32]))
			.withMessage("remote X25519 key is unusable (low-order point)")
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.MALFORMED);
	}

}
