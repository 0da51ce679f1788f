package org.btcfed.node.network.noise;

import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.noise.NoiseException.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The libp2p {@code PublicKey} protobuf, in the bytes LIBP2P.md section 1 gives.
 */
class Libp2pKeysTests {

	private final byte[] key = NodeKey.generate().publicKey();

	@Test
	void publicKeyProtobufShouldBeTheDeterministicEncoding() {
		assertThat(Hex.of(Libp2pKeys.publicKeyProtobuf(this.key))).isEqualTo("08011220" + Hex.of(this.key));
	}

	@Test
	void publicKeyProtobufWhenKeyIsNot32BytesShouldRefuse() {
		assertThatIllegalArgumentException().isThrownBy(() -> Libp2pKeys.publicKeyProtobuf(new byte[33]))
			.withMessage("an Ed25519 public key is 32 bytes, was 33");
	}

	@Test
	void ed25519FromProtobufShouldReturnTheRawKey() {
		assertThat(Libp2pKeys.ed25519FromProtobuf(Libp2pKeys.publicKeyProtobuf(this.key))).isEqualTo(this.key);
	}

	@Test
	void ed25519FromProtobufWhenFieldsAreReorderedOrUnknownOnesAddedShouldStillDecode() {
		byte[] reordered = X25519.concat(X25519.concat(Hex.bytes("1220"), this.key), Hex.bytes("0801 1801 2a00"));
		assertThat(Libp2pKeys.ed25519FromProtobuf(reordered)).isEqualTo(this.key);
	}

	@Test
	void ed25519FromProtobufWhenTypeIsRsaShouldBeUnsupported() {
		assertFails(Hex.bytes("08001203010203"), Kind.UNSUPPORTED_KEY,
				"libp2p key type RSA (0) is not supported, only Ed25519");
	}

	@Test
	void ed25519FromProtobufWhenTypeIsUnknownShouldBeUnsupported() {
		assertFails(Hex.bytes("08091200"), Kind.UNSUPPORTED_KEY, "libp2p key type 9 is not supported, only Ed25519");
		assertFails(Hex.bytes("08ffffffffffffffffff011200"), Kind.UNSUPPORTED_KEY,
				"libp2p key type -1 is not supported, only Ed25519");
	}

	@Test
	void ed25519FromProtobufWhenAFieldIsMissingShouldBeMalformed() {
		assertFails(Hex.bytes("0801"), Kind.MALFORMED, "libp2p PublicKey lacks its Data (field 2)");
		assertFails(X25519.concat(Hex.bytes("1220"), this.key), Kind.MALFORMED,
				"libp2p PublicKey lacks its Type (field 1)");
		assertFails(new byte[0], Kind.MALFORMED, "libp2p PublicKey lacks its Type (field 1)");
	}

	@Test
	void ed25519FromProtobufWhenKeyHasTheWrongLengthShouldBeMalformed() {
		assertFails(Hex.bytes("0801121f" + Hex.of(new byte[31])), Kind.MALFORMED,
				"libp2p Ed25519 key is 31 bytes, not 32");
	}

	@Test
	void ed25519FromProtobufWhenNotAProtobufShouldBeMalformed() {
		assertFails(Hex.bytes("080112ff01"), Kind.MALFORMED, "libp2p PublicKey is not a valid protobuf");
		assertFails(Hex.bytes("0a00"), Kind.MALFORMED, "libp2p PublicKey has field 1 with wire type 2");
		assertFails(Hex.bytes("0c"), Kind.MALFORMED, "libp2p PublicKey has field 1 with wire type 4");
		assertFails(Hex.bytes("1c"), Kind.MALFORMED, "libp2p PublicKey is not a valid protobuf");
	}

	private static void assertFails(byte[] protobuf, Kind kind, String message) {
		assertThatExceptionOfType(NoiseException.class).isThrownBy(() -> Libp2pKeys.ed25519FromProtobuf(protobuf))
			.withMessage(message)
			.extracting(NoiseException::kind)
			.isEqualTo(kind);
	}

}
