package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for peers.yaml as {@link ConfigLoader} reads it through {@link PeersBinder}.
 */
class PeersBinderTests {

	private static final String PEER_A = NodeKey.generate().publicKeyBase64();

	private static final String PEER_B = NodeKey.generate().publicKeyBase64();

	@TempDir
	Path dir;

	private NodeKey own;

	@BeforeEach
	void writeConf() throws IOException {
		this.own = NodeKey.generate();
		write("conf.yaml", "node:\n  private_key: \"" + this.own.encoded() + "\"\n");
	}

	@Test
	void loadWhenPeersFileMissingShouldHaveNoPeers() {
		assertThat(load().peers()).isEmpty();
	}

	@Test
	void loadWhenPeersListEmptyShouldHaveNoPeers() throws IOException {
		write("peers.yaml", "peers: []\n");
		assertThat(load().peers()).isEmpty();
	}

	@Test
	void loadWhenPeersKeyNullShouldHaveNoPeers() throws IOException {
		write("peers.yaml", "# nobody yet\npeers:\n");
		assertThat(load().peers()).isEmpty();
	}

	@Test
	void loadWhenPeersListedShouldBindEach() throws IOException {
		write("peers.yaml", """
				peers:
				  - public_key: "%s"
				    addresses:
				      - /ip4/10.0.0.2/tcp/9000
				      - /dns4/node-b.example/tcp/9000
				  - public_key: %s
				    addresses: [/ip4/10.0.0.3/tcp/9000]
				""".formatted(PEER_A, PEER_B));
		ConfigSnapshot snapshot = load();
		List<Multiaddr> addresses = List.of(Multiaddr.parse("/ip4/10.0.0.2/tcp/9000"),
				Multiaddr.parse("/dns4/node-b.example/tcp/9000"));
		assertThat(snapshot.peers()).containsExactly(new Peer(PEER_A, addresses), new Peer(PEER_B, List.of(Multiaddr.parse("/ip4/10.0.0.3/tcp/9000"))));
		assertThat(snapshot.locate("peers[" + PEER_B + "].addresses"))
			.hasValue(new SourceLocation("peers.yaml", 6, 5));
	}

	@Test
	void loadWhenPeersFileZeroBytesShouldReportTransientError() throws IOException {
		write("peers.yaml", "");
		ConfigException ex = catchThrowableOfType(ConfigException.class, this::load);
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.file()).isEqualTo("peers.yaml");
			assertThat(error.message()).contains("the file is empty");
		});
		assertThat(ex.isTransient()).isTrue();
	}

	@Test
	void loadWhenPeersFileOnlyCommentsShouldReportIt() throws IOException {
		write("peers.yaml", "# peers: []\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, this::load);
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.file()).isEqualTo("peers.yaml");
			assertThat(error.message()).contains("write 'peers: []'");
		});
		assertThat(ex.isTransient()).isFalse();
	}

	@Test
	void loadWhenPeersFileOnlyCommentsAndConfInvalidShouldReportBoth() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"" + this.own.encoded() + "\"\nnetwork:\n  max_connections: 0\n");
		write("peers.yaml", "# peers: []\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, this::load);
		assertThat(ex.getErrors()).extracting(ConfigError::file).containsExactly("conf.yaml", "peers.yaml");
	}

	@Test
	void loadWhenSamePeerListedTwiceShouldNameBothPositions() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n  - public_key: %s\n  - public_key: %s\n"
			.formatted(PEER_A, PEER_B, PEER_A));
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[2].public_key");
		assertThat(error.line()).isEqualTo(4);
		assertThat(error.message()).isEqualTo("duplicate peer: the same public key is listed at peers[0]");
	}

	@Test
	void loadWhenSamePeerListedWithoutPaddingShouldReportDuplicate() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n  - public_key: %s\n".formatted(PEER_A, unpadded(PEER_A)));
		assertThat(singleError().message()).contains("peers[0]");
	}

	@Test
	void loadWhenPublicKeyWrittenWithoutPaddingShouldBindCanonicalKey() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n".formatted(unpadded(PEER_A)));
		assertThat(load().peers()).extracting(Peer::publicKey).containsExactly(PEER_A);
	}

	@Test
	void loadWhenPublicKeyNotBase64ShouldReportIt() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: \"not base64!\"\n");
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[0].public_key");
		assertThat(error.line()).isEqualTo(2);
		assertThat(error.column()).isEqualTo(18);
		assertThat(error.message()).isEqualTo("must be base64, was 'not base64!'");
	}

	@Test
	void loadWhenPublicKeyWrongLengthShouldReportIt() throws IOException {
		String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
		write("peers.yaml", "peers:\n  - public_key: " + shortKey + "\n");
		assertThat(singleError().message()).isEqualTo("must be a 32-byte Ed25519 public key in base64, was 31 bytes");
	}

	@Test
	void loadWhenPublicKeyMissingShouldReportIt() throws IOException {
		write("peers.yaml", "peers:\n  - addresses: [/ip4/10.0.0.2/tcp/9000]\n");
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[0].public_key");
		assertThat(error.message()).startsWith("is required");
	}

	@Test
	void loadWhenPublicKeyEmptyShouldReportIt() throws IOException {
		write("peers.yaml", "peers:\n  - public_key:\n");
		assertThat(singleError().message()).isEqualTo("must not be empty");
	}

	@Test
	void loadWhenOwnPublicKeyListedShouldReportIt() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n  - public_key: %s\n".formatted(PEER_A,
				this.own.publicKeyBase64()));
		ConfigError error = singleError();
		assertThat(error.file()).isEqualTo("peers.yaml");
		assertThat(error.key()).isEqualTo("peers[" + this.own.publicKeyBase64() + "].public_key");
		assertThat(error.line()).isEqualTo(3);
		assertThat(error.message()).contains("this node's own public key");
	}

	@Test
	void loadWhenOwnPublicKeyListedWithoutPaddingShouldReportIt() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n".formatted(unpadded(this.own.publicKeyBase64())));
		assertThat(singleError().message()).contains("this node's own public key");
	}

	@Test
	void loadWhenEntryKeyMisspelledShouldSuggestClosestKey() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n    adresses: [/ip4/10.0.0.2/tcp/9000]\n".formatted(PEER_A));
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[0].adresses");
		assertThat(error.line()).isEqualTo(3);
		assertThat(error.message()).isEqualTo("unknown key 'adresses', did you mean 'addresses'?");
	}

	@Test
	void loadWhenTopKeyMisspelledShouldSuggestPeers() throws IOException {
		write("peers.yaml", "peer: []\n");
		assertThat(singleError().message()).isEqualTo("unknown key 'peer', did you mean 'peers'?");
	}

	@Test
	void loadWhenPeerAddressHasPortZeroShouldReject() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n    addresses:\n      - /ip4/10.0.0.2/tcp/0\n"
			.formatted(PEER_A));
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[0].addresses[0]");
		assertThat(error.line()).isEqualTo(4);
		assertThat(error.message()).contains("a port other than 0");
	}

	@Test
	void loadWhenPeerAddressMalformedShouldReject() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n    addresses: [/ip4/10.0.0.2/udp/9000, {a: b}]\n"
			.formatted(PEER_A));
		ConfigException ex = catchThrowableOfType(ConfigException.class, this::load);
		assertThat(ex.getErrors()).extracting(ConfigError::key, ConfigError::message)
			.containsExactly(
					tuple("peers[0].addresses[0]",
							"only tcp transports are supported (/ip4/<host>/tcp/<port>), was '/ip4/10.0.0.2/udp/9000'"),
					tuple("peers[0].addresses[1]", "must be a single value, not a mapping"));
	}

	@Test
	void loadWhenPeerAddressNamesThePeersOwnIdShouldBindIt() throws IOException {
		String id = peerIdOf(PEER_A);
		write("peers.yaml", "peers:\n  - public_key: %s\n    addresses:\n      - /ip4/10.0.0.2/tcp/9000/p2p/%s\n"
			.formatted(PEER_A, id));
		Multiaddr address = load().peers().get(0).addresses().get(0);
		assertThat(address.peerId()).hasToString(id);
		assertThat(address.withoutPeerId()).isEqualTo(Multiaddr.parse("/ip4/10.0.0.2/tcp/9000"));
	}

	@Test
	void loadWhenPeerAddressNamesAnotherPeerShouldRejectThatAddress() throws IOException {
		write("peers.yaml", """
				peers:
				  - addresses:
				      - /ip4/10.0.0.2/tcp/9000
				      - /ip4/10.0.0.2/tcp/9001/p2p/%s
				    public_key: %s
				""".formatted(peerIdOf(PEER_B), PEER_A));
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[0].addresses[1]");
		assertThat(error.line()).isEqualTo(4);
		assertThat(error.column()).isEqualTo(9);
		assertThat(error.message()).isEqualTo("names peer " + peerIdOf(PEER_B) + " in /p2p/, but this peer's public_key is peer "
				+ peerIdOf(PEER_A) + "; an address may only name the peer it belongs to");
	}

	@Test
	void loadWhenPeerAddressHasMalformedPeerIdShouldRejectIt() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n    addresses:\n      - /ip4/10.0.0.2/tcp/9000/p2p/Qm0\n"
			.formatted(PEER_A));
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[0].addresses[0]");
		assertThat(error.line()).isEqualTo(4);
		assertThat(error.message()).startsWith("/p2p/: 'Qm0' is not base58btc");
	}

	@Test
	void loadWhenPeerAddressesNotAListShouldReject() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n    addresses: /ip4/10.0.0.2/tcp/9000\n".formatted(PEER_A));
		assertThat(singleError().message()).isEqualTo("must be a list, not a single value");
	}

	@Test
	void loadWhenPeersNotAListShouldReject() throws IOException {
		write("peers.yaml", "peers:\n  public_key: " + PEER_A + "\n");
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers");
		assertThat(error.message()).isEqualTo("must be a list, not a mapping");
	}

	@Test
	void loadWhenPeerEntryNotAMappingShouldReject() throws IOException {
		write("peers.yaml", "peers:\n  - " + PEER_A + "\n");
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[0]");
		assertThat(error.message()).isEqualTo("must be a mapping of keys to values, not a single value");
	}

	@Test
	void loadWhenPeersRootIsAListShouldReject() throws IOException {
		write("peers.yaml", "- public_key: " + PEER_A + "\n");
		assertThat(singleError().message()).isEqualTo("must be a mapping of keys to values, not a list");
	}

	@Test
	void loadWhenEntryKeyWrittenTwiceShouldReportDuplicateKey() throws IOException {
		write("peers.yaml", "peers:\n  - public_key: %s\n    public_key: %s\n    addresses: [/ip4/10.0.0.2/tcp/9000]\n".formatted(PEER_A, PEER_B));
		ConfigError error = singleError();
		assertThat(error.key()).isEqualTo("peers[0].public_key");
		assertThat(error.message()).isEqualTo("duplicate key 'public_key', first written at line 2");
	}

	private ConfigSnapshot load() {
		return new ConfigLoader(this.dir).load();
	}

	private ConfigError singleError() {
		ConfigException ex = catchThrowableOfType(ConfigException.class, this::load);
		assertThat(ex).as("peers.yaml should have been rejected").isNotNull();
		assertThat(ex.getErrors()).hasSize(1);
		ConfigError error = ex.getErrors().get(0);
		assertThat(error.file()).isEqualTo("peers.yaml");
		return error;
	}

	private void write(String name, String content) throws IOException {
		String text = "conf.yaml".equals(name) ? ConfYaml.withNetwork(content) : PeersYaml.withPeerAddresses(content);
		Files.writeString(this.dir.resolve(name), text, StandardCharsets.UTF_8);
	}

	private static String peerIdOf(String publicKey) {
		return PeerId.of(Base64.getDecoder().decode(publicKey)).toString();
	}

	private static String unpadded(String base64) {
		return base64.replace("=", "");
	}

}
