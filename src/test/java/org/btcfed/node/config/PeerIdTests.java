package org.btcfed.node.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link PeerId} and {@link Base58}, with the peer-ids spec's vector and
 * btc-federation's own key.
 */
class PeerIdTests {

	private static final HexFormat HEX = HexFormat.of();

	/** The peer-ids spec's Ed25519 key (its seed, from rust-libp2p's test, is {@code 7e0830...}). */
	private static final String SPEC_KEY = "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

	private static final String SPEC_SEED = "7e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d";

	private static final String SPEC_PEER_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

	/** btc-federation's {@code configs/conf.yaml} node.private_key and the id go-libp2p derives. */
	private static final String BTC_FEDERATION_KEY = "gefkbuXcLveH2KLp7X2BWO30pLWLTk2y8v6t8hHivlgKTd1x7OWtlOmKUlNSHZd5Bs2INRZhGmTwtWSR5oZykw==";

	private static final String BTC_FEDERATION_PEER_ID = "12D3KooWAWb7LK9vdRXZSL4UiqcyjVqTWrLABB5wNpfqZAWFeM8e";

	@Test
	void ofShouldGiveTheSpecPeerIdAndInlineTheKey() {
		PeerId id = PeerId.of(HEX.parseHex(SPEC_KEY));
		assertThat(id).hasToString(SPEC_PEER_ID);
		assertThat(HEX.formatHex(id.bytes())).isEqualTo("002408011220" + SPEC_KEY);
		assertThat(id.ed25519PublicKey()).isEqualTo(HEX.parseHex(SPEC_KEY));
		assertThat(PeerId.parse(SPEC_PEER_ID)).isEqualTo(id).hasSameHashCodeAs(id);
	}

	@Test
	void nodeKeyPeerIdShouldMatchWhatGoLibp2pPrintsForBtcFederationsKey() {
		assertThat(NodeKey.parse(BTC_FEDERATION_KEY).peerId()).hasToString(BTC_FEDERATION_PEER_ID);
		String specKey = Base64.getEncoder().encodeToString(HEX.parseHex(SPEC_SEED + SPEC_KEY));
		assertThat(NodeKey.parse(specKey).peerId()).hasToString(SPEC_PEER_ID);
	}

	@Test
	void publicKeyProtobufShouldBeTheDeterministicEncodingJsWrites() {
		// A js-libp2p fixture: its public key protobuf in base64, and the id js printed for it.
		byte[] protobuf = Base64.getDecoder().decode("CAESIMaMvgYh7vRpJj669gb6OLMOmTF0uE5zr4NFT9wxYvd7");
		byte[] key = Arrays.copyOfRange(protobuf, 4, 36);
		assertThat(PeerId.publicKeyProtobuf(key)).isEqualTo(protobuf);
		assertThat(PeerId.of(key)).hasToString("12D3KooWPBRNBzgceXh7Z27wGoyYYz9ggwaYg2dWiwXXe8ieyFCN");
		assertThatIllegalArgumentException().isThrownBy(() -> PeerId.of(new byte[33]))
			.withMessage("an Ed25519 public key is 32 bytes, was 33");
	}

	@Test
	void parseWhenSha256IdShouldKeepItsBytesButCarryNoKey() {
		PeerId id = PeerId.parse("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN");
		assertThat(id.bytes()).hasSize(34).startsWith(0x12, 0x20);
		assertThat(id.ed25519PublicKey()).isNull();
		assertThat(id).hasToString("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN");
		assertThat(PeerId.fromBytes(id.bytes())).isEqualTo(id);
		assertThat(id).isNotEqualTo(PeerId.parse(SPEC_PEER_ID)).isNotEqualTo("QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN");
	}

	@Test
	void ed25519PublicKeyWhenIdentityOfAnotherKeyTypeShouldBeNull() {
		// A secp256k1 PublicKey protobuf (KeyType 2, 33 bytes) is inlined too, but is not Ed25519.
		byte[] secp = HEX.parseHex("0025" + "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99");
		assertThat(PeerId.fromBytes(secp).ed25519PublicKey()).isNull();
		byte[] notEd = HEX.parseHex("002408021220" + SPEC_KEY);
		assertThat(PeerId.fromBytes(notEd).ed25519PublicKey()).isNull();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			12D3KooW0tg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq | is not base58btc: character 9 is not in its alphabet
			''                                                   | is not a multihash libp2p uses
			1                                                    | is not a multihash libp2p uses
			2NEpo7TZRRrLZSi2U                                    | is not a multihash
			""")
	void parseWhenMalformedShouldSayWhy(String text, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> PeerId.parse(text))
			.withMessageContaining(message)
			.withMessageEndingWith("; a peer id looks like 12D3KooW...");
	}

	@Test
	void parseWhenUnsupportedMultihashShouldNameItsCode() {
		String md5 = Base58.encode(HEX.parseHex("d50110" + "00".repeat(16)));
		assertThatIllegalArgumentException().isThrownBy(() -> PeerId.parse(md5))
			.withMessageContaining("is not a multihash libp2p uses");
		String sha1 = Base58.encode(HEX.parseHex("1114" + "00".repeat(20)));
		assertThatIllegalArgumentException().isThrownBy(() -> PeerId.parse(sha1))
			.withMessageContaining("(code 0x11, 20 bytes)");
		String truncated = Base58.encode(HEX.parseHex("002408011220" + SPEC_KEY.substring(2)));
		assertThatIllegalArgumentException().isThrownBy(() -> PeerId.parse(truncated))
			.withMessageContaining("is not a multihash: it says 36 digest bytes, has 35");
		String tooLong = Base58.encode(HEX.parseHex("002b" + "00".repeat(43)));
		assertThatIllegalArgumentException().isThrownBy(() -> PeerId.parse(tooLong))
			.withMessageContaining("(code 0x0, 43 bytes)");
	}

	@Test
	void parseWhenLongGarbageShouldNotEchoIt() {
		String garbage = "x".repeat(500) + "0";
		assertThatIllegalArgumentException().isThrownBy(() -> PeerId.parse(garbage))
			.withMessageStartingWith("peer id (501 characters) is not base58btc")
			.withMessageNotContaining("xxxx");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			''                   | ''
			00                   | 1
			000000               | 111
			0000287fb4cd         | 11233QC4
			00ff                 | 15Q
			61                   | 2g
			626262               | a3gV
			516b6fcd0f           | ABnLTmg
			""")
	void base58ShouldMatchTheReferenceVectors(String hex, String text) {
		assertThat(Base58.encode(HEX.parseHex(hex))).isEqualTo(text);
		assertThat(Base58.decode(text)).isEqualTo(HEX.parseHex(hex));
	}

	@Test
	void base58ShouldRoundTripTextAndRandomBytesWithLeadingZeros() {
		byte[] hello = "Hello World!".getBytes(StandardCharsets.US_ASCII);
		assertThat(Base58.encode(hello)).isEqualTo("2NEpo7TZRRrLZSi2U");
		Random random = new Random(42);
		for (int length = 0; length < 80; length++) {
			byte[] bytes = new byte[length];
			random.nextBytes(bytes);
			for (int zeros = 0; zeros < Math.min(3, length); zeros++) {
				bytes[zeros] = 0;
				assertThat(Base58.decode(Base58.encode(bytes))).isEqualTo(bytes);
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "O", "I", "l", "+", "\u00e9", "abc def" })
	void base58DecodeWhenCharacterOutsideTheAlphabetShouldNameItsPosition(String text) {
		assertThatIllegalArgumentException().isThrownBy(() -> Base58.decode(text))
			.withMessageStartingWith("is not base58btc: character ");
	}

}
