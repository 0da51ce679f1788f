package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ConfigSnapshot}: the flat view, the version and locations, from real files.
 */
class ConfigSnapshotTests {

	private static final String PEER_A = NodeKey.generate().publicKeyBase64();

	private static final String PEER_B = NodeKey.generate().publicKeyBase64();

	@TempDir
	Path dir;

	private NodeKey key;

	@BeforeEach
	void createKey() {
		this.key = NodeKey.generate();
	}

	@Test
	void versionWhenOnlyCommentsAndFormattingChangeShouldStayTheSame() throws IOException {
		String before = load("""
				node:
				  private_key: "%s"
				network:
				  addresses:
				    - /ip4/0.0.0.0/tcp/9000
				  max_connections: 64
				logging:
				  level: debug
				""".formatted(this.key.encoded())).version();
		String after = load("""
				# reordered, reformatted and commented
				logging: {level: "debug"}   # louder

				network:
				  max_connections: '64'
				  addresses: [ /ip4/0.0.0.0/tcp/9000 ]
				node:
				    private_key: %s
				""".formatted(this.key.encoded())).version();
		assertThat(after).isEqualTo(before);
	}

	@Test
	void versionWhenDefaultWrittenOutShouldStayTheSame() throws IOException {
		String implicit = load(conf("")).version();
		String explicit = load(conf("network:\n  max_connections: 128\npeers:\n  connection_timeout: 10000ms\n"))
			.version();
		assertThat(explicit).isEqualTo(implicit);
	}

	@Test
	void versionWhenValueChangesShouldChange() throws IOException {
		String before = load(conf("network:\n  max_connections: 128\n")).version();
		String after = load(conf("network:\n  max_connections: 129\n")).version();
		assertThat(after).isNotEqualTo(before).matches("sha256:[0-9a-f]{64}");
	}

	@Test
	void versionWhenPrivateKeyChangesShouldChange() throws IOException {
		String before = load(conf("")).version();
		this.key = NodeKey.generate();
		assertThat(load(conf("")).version()).isNotEqualTo(before);
	}

	@Test
	void versionWhenPeersReorderedShouldStayTheSame() throws IOException {
		writePeers("peers:\n  - public_key: %s\n    addresses: [/ip4/10.0.0.1/tcp/9000]\n  - public_key: %s\n"
			.formatted(PEER_A, PEER_B));
		ConfigSnapshot before = load(conf(""));
		writePeers("peers:\n  - public_key: %s\n  - public_key: %s\n    addresses: [/ip4/10.0.0.1/tcp/9000]\n"
			.formatted(PEER_B, PEER_A));
		ConfigSnapshot after = load(conf(""));
		assertThat(after.version()).isEqualTo(before.version());
		assertThat(after.peers()).extracting(Peer::publicKey).containsExactly(PEER_B, PEER_A);
	}

	@Test
	void versionWhenPeerAddressChangesShouldChange() throws IOException {
		writePeers("peers:\n  - public_key: %s\n    addresses: [/ip4/10.0.0.1/tcp/9000]\n".formatted(PEER_A));
		String before = load(conf("")).version();
		writePeers("peers:\n  - public_key: %s\n    addresses: [/ip4/10.0.0.1/tcp/9001]\n".formatted(PEER_A));
		assertThat(load(conf("")).version()).isNotEqualTo(before);
	}

	@Test
	void propertiesShouldHoldEveryValueAsWritten() throws IOException {
		writePeers("peers:\n  - public_key: %s\n    addresses: [/ip4/10.0.0.1/tcp/9000]\n  - public_key: %s\n"
			.formatted(PEER_A, PEER_B));
		ConfigSnapshot snapshot = load(conf("protocol:\n  ping_interval: 2m\n  max_message_size: 512KB\n"));
		assertThat(snapshot.properties()).containsEntry("network.addresses[0]", "/ip4/127.0.0.1/tcp/0")
			.containsEntry("network.max_connections", "128")
			.containsEntry("peers.connection_timeout", "10s")
			.containsEntry("logging.level", "info")
			.containsEntry("logging.format", "json")
			.containsEntry("logging.console_output", "true")
			.containsEntry("logging.file_max_size", "10MB")
			.containsEntry("protocol.ping_interval", "2m")
			.containsEntry("protocol.max_message_size", "512KB")
			.containsEntry("node.private_key", this.key.encoded())
			.containsEntry("peers[" + PEER_A + "].addresses[0]", "/ip4/10.0.0.1/tcp/9000")
			.containsEntry("peers[" + PEER_B + "].addresses[0]", "/ip4/127.0.0.1/tcp/1")
			.doesNotContainKey("network.addresses");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> snapshot.properties().put("logging.level", "debug"));
	}

	@Test
	void maskedValueWhenPrivateKeyShouldMask() throws IOException {
		ConfigSnapshot snapshot = load(conf(""));
		assertThat(snapshot.maskedValue("node.private_key")).isEqualTo(ConfigSnapshot.MASK);
		assertThat(snapshot.maskedValue("logging.level")).isEqualTo("info");
		assertThat(snapshot.maskedValue("logging.nothing")).isNull();
		assertThat(snapshot.toString()).doesNotContain(this.key.encoded()).contains(snapshot.version());
	}

	@Test
	void isSecretShouldMatchCredentialLikeKeys() {
		assertThat(ConfigSnapshot.isSecret("node.private_key")).isTrue();
		assertThat(ConfigSnapshot.isSecret("admin.API_KEY")).isTrue();
		assertThat(ConfigSnapshot.isSecret("http.password")).isTrue();
		assertThat(ConfigSnapshot.isSecret("logging.level")).isFalse();
	}

	@Test
	void locateWhenKeyWrittenShouldReturnItsLocation() throws IOException {
		ConfigSnapshot snapshot = load(conf("""
				network:
				  addresses:
				    - /ip4/0.0.0.0/tcp/9000
				    - /ip4/0.0.0.0/tcp/9001
				"""));
		assertThat(snapshot.locate("network.addresses[1]")).hasValue(new SourceLocation("conf.yaml", 6, 7));
		assertThat(snapshot.locate("node.private_key")).hasValue(new SourceLocation("conf.yaml", 2, 16));
	}

	@Test
	void locateWhenKeyNotWrittenShouldFallBackToParent() throws IOException {
		ConfigSnapshot snapshot = load(conf("logging:\n  format: text\n"));
		assertThat(snapshot.locate("logging.level")).hasValue(new SourceLocation("conf.yaml", 3, 1));
		assertThat(snapshot.locate("protocol.ping_interval")).isEmpty();
	}

	@Test
	void locateWhenPeerAddressShouldFallBackToPeerEntry() throws IOException {
		writePeers("peers:\n  - public_key: %s\n    addresses: [/ip4/10.0.0.1/tcp/9000]\n".formatted(PEER_A));
		ConfigSnapshot snapshot = load(conf(""));
		assertThat(snapshot.locate("peers[" + PEER_A + "].addresses[0]"))
			.hasValue(new SourceLocation("peers.yaml", 2, 5));
	}

	@Test
	void fileOfShouldNamePeersFileForPeerEntries() {
		assertThat(ConfigSnapshot.fileOf("peers[" + PEER_A + "].addresses[0]")).isEqualTo("peers.yaml");
		assertThat(ConfigSnapshot.fileOf("peers.connection_timeout")).isEqualTo("conf.yaml");
	}

	private String conf(String rest) {
		return "node:\n  private_key: \"" + this.key.encoded() + "\"\n" + rest;
	}

	private ConfigSnapshot load(String conf) throws IOException {
		Files.writeString(this.dir.resolve("conf.yaml"), ConfYaml.withNetwork(conf), StandardCharsets.UTF_8);
		return new ConfigLoader(this.dir).load();
	}

	private void writePeers(String peers) throws IOException {
		Files.writeString(this.dir.resolve("peers.yaml"), PeersYaml.withPeerAddresses(peers), StandardCharsets.UTF_8);
	}

	@Test
	void isSecretShouldLookAtKeyNamesNotAtPeerKeysInBrackets() {
		assertThat(ConfigSnapshot.isSecret("peers[abcTOKENxyz=].addresses[0]")).isFalse();
		assertThat(ConfigSnapshot.isSecret("node.private_key")).isTrue();
		assertThat(ConfigSnapshot.isSecret("protocol.api_token")).isTrue();
	}

}
