package org.btcfed.node.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.btcfed.node.config.NodeKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keygen} in-process, against btc-federation's own fixtures. That it writes no file and
 * starts nothing is in {@code CommandLineIntegrationTests}.
 */
class KeygenTests {

	/** btc-federation's test-suite {@code TestPrivateKey} and its public key. */
	static final String PRIVATE_KEY = "5OFXNqsWjmN97iEEERn8jgchOL9QaRzbg/H0FIqgccYRD/3qJ4Zxf0dmDsmdxMqrT/SJkDRrhfAbPel9UFsl2w==";

	static final String PUBLIC_KEY = "EQ/96ieGcX9HZg7JncTKq0/0iZA0a4XwGz3pfVBbJds=";

	/** Its libp2p peer id, computed independently (base58btc of 00 24 08 01 12 20 and the key). */
	static final String PEER_ID = "12D3KooWAxyF3XxVum6HnAki8vJ4ZbWWo47djAsvEEgGBWg61p2N";

	/** btc-federation's p2p fixture NodeB. */
	static final String OTHER_PRIVATE_KEY = "2Qyti0ZkhNAoZXe4NOC7MX7j/+vPEXpMAzx2QMjad95fY8bpC0CQo+Q88KgALPIdHQ/nXmEQJ7K7UL9WnCCePg==";

	final ByteArrayOutputStream out = new ByteArrayOutputStream();

	final ByteArrayOutputStream err = new ByteArrayOutputStream();

	private int keygen(String... args) {
		this.out.reset();
		this.err.reset();
		String[] full = new String[args.length + 1];
		full[0] = "keygen";
		System.arraycopy(args, 0, full, 1, args.length);
		return AdminCli.run(full, Map.of(), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	@Test
	void keygenShouldPrintANewKeyPairInBtcFederationsFormat() {
		assertThat(keygen()).isZero();
		List<String> lines = out().lines().toList();
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0)).matches("Private Key: [A-Za-z0-9+/]{86}==");
		assertThat(lines.get(1)).matches("Public Key:  [A-Za-z0-9+/]{43}=");
		assertThat(lines.get(2)).matches("Peer ID:     12D3KooW[1-9A-HJ-NP-Za-km-z]{44}");
		String privateKey = lines.get(0).substring("Private Key: ".length());
		NodeKey key = NodeKey.parse(privateKey);
		assertThat(lines.get(1)).isEqualTo("Public Key:  " + key.publicKeyBase64());
		assertThat(lines.get(2)).isEqualTo("Peer ID:     " + key.peerId());
		assertThat(err()).isEmpty();
		assertThat(keygen()).isZero();
		assertThat(out()).doesNotContain(privateKey);
	}

	@Test
	void keygenWithPrivateShouldPrintItsPublicKeyWithOneSpaceAndItsPeerId() {
		for (List<String> args : List.of(List.of("-private", PRIVATE_KEY), List.of("--private", PRIVATE_KEY),
				List.of("-private=" + PRIVATE_KEY), List.of("--private=" + PRIVATE_KEY))) {
			assertThat(keygen(args.toArray(String[]::new))).as(args.get(0)).isZero();
			assertThat(out()).as(args.get(0))
				.isEqualTo("Public Key: " + PUBLIC_KEY + System.lineSeparator() + "Peer ID: " + PEER_ID + System.lineSeparator());
			assertThat(err()).isEmpty();
		}
	}

	@Test
	void keygenWithInvalidPrivateKeyShouldExitOneWithoutEchoingIt() {
		String notBase64 = "not-base64!" + PRIVATE_KEY.substring(11);
		String publicOnly = PUBLIC_KEY;
		byte[] spliced = Base64.getDecoder().decode(PRIVATE_KEY);
		System.arraycopy(Base64.getDecoder().decode(OTHER_PRIVATE_KEY), 32, spliced, 32, 32);
		String mismatched = Base64.getEncoder().encodeToString(spliced);
		for (String invalid : List.of(notBase64, publicOnly, mismatched)) {
			assertThat(keygen("-private", invalid)).as(invalid).isEqualTo(1);
			assertThat(err()).startsWith("btcfed-node keygen: invalid private key: ").doesNotContain(invalid);
			assertThat(out()).isEmpty();
		}
		keygen("-private", publicOnly);
		assertThat(err()).contains("must be 64 bytes", "was 32 bytes");
		keygen("-private", mismatched);
		assertThat(err()).contains("does not belong to the seed");
	}

	@Test
	void keygenWithoutKeyAfterPrivateShouldBeAUsageError() {
		assertThat(keygen("-private")).isEqualTo(2);
		assertThat(err()).contains("-private needs a value", "keygen -private <key>");
		assertThat(out()).isEmpty();
	}

	@Test
	void keygenWithStrayArgumentShouldBeAUsageErrorThatDoesNotEchoIt() {
		assertThat(keygen(PRIVATE_KEY)).isEqualTo(2);
		assertThat(err()).contains("unexpected argument", "keygen -private <key>").doesNotContain(PRIVATE_KEY);
		assertThat(keygen("-private", PRIVATE_KEY, "extra")).isEqualTo(2);
		assertThat(err()).doesNotContain(PRIVATE_KEY);
		assertThat(out()).isEmpty();
	}

	@Test
	void keygenWithUnknownFlagShouldNameItAndExitTwo() {
		assertThat(keygen("-bits=4096")).isEqualTo(2);
		assertThat(err()).contains("unknown flag -bits", "Usage:").doesNotContain("4096");
		assertThat(keygen("--btcfed.config-dir=config")).isEqualTo(2);
		assertThat(err()).contains("unknown flag --btcfed.config-dir");
	}

	@Test
	void keygenHelpShouldSayWhereTheKeysGo() {
		for (String help : List.of("-help", "--help", "-h")) {
			assertThat(keygen(help)).as(help).isZero();
			assertThat(out()).contains("BTC Federation Key Generator", "keygen -private <key>", "Kubernetes Secret",
					"node.private_key", "peers.yaml");
		}
	}

	@Test
	void keyPastedAsCommandShouldNotBeEchoed() {
		this.out.reset();
		assertThat(AdminCli.run(new String[] { PRIVATE_KEY }, Map.of(), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8))).isEqualTo(2);
		assertThat(err()).contains("unknown command (not shown").doesNotContain(PRIVATE_KEY);
	}

}
