package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link ConfigLoader}: whole files in a temp config dir, as an operator writes them.
 */
class ConfigLoaderTests {

	@TempDir
	Path dir;

	@Test
	void loadWhenBtcFederationConfShouldLoadUnchanged() throws IOException {
		NodeKey key = NodeKey.generate();
		write("conf.yaml", """
				# btc-federation node
				node:
				  private_key: "%s"
				network:
				  addresses:
				    - /ip4/0.0.0.0/tcp/9000
				    - /ip6/::/tcp/9001
				peers:
				  connection_timeout: 15s
				logging:
				  level: debug
				  format: text
				""".formatted(key.encoded()));
		ConfigSnapshot snapshot = new ConfigLoader(this.dir).load();
		NodeConfig config = snapshot.config();
		assertThat(config.node().key()).isEqualTo(key);
		assertThat(config.network().addresses()).containsExactly(Multiaddr.parse("/ip4/0.0.0.0/tcp/9000"),
				Multiaddr.parse("/ip6/::/tcp/9001"));
		assertThat(config.peers().connectionTimeout()).isEqualTo(Duration.ofSeconds(15));
		assertThat(config.logging().level()).isEqualTo(NodeConfig.LogLevel.DEBUG);
		assertThat(config.logging().format()).isEqualTo(NodeConfig.LogFormat.TEXT);
		assertThat(snapshot.peers()).isEmpty();
	}

	@Test
	void loadWhenOptionalSectionsMissingShouldTakeDefaults() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"\"\nnetwork:\n  addresses: [/ip4/0.0.0.0/tcp/9000]\n");
		NodeConfig config = new ConfigLoader(this.dir).load(true).config();
		assertThat(config.node().key()).isNull();
		assertThat(config.network().addresses()).containsExactly(Multiaddr.parse("/ip4/0.0.0.0/tcp/9000"));
		assertThat(config.network().maxConnections()).isEqualTo(128);
		assertThat(config.peers().connectionTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(config.logging()).isEqualTo(new NodeConfig.LoggingSettings(NodeConfig.LogLevel.INFO,
				NodeConfig.LogFormat.JSON, true, false, false, "btcfed-node.log", DataSize.ofMegabytes(10), 5));
		assertThat(config.protocol())
			.isEqualTo(new NodeConfig.ProtocolSettings(Duration.ofSeconds(30), DataSize.ofMegabytes(1)));
	}

	@Test
	void loadWhenKeyHasNullValueShouldTakeDefault() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"\"\nnetwork:\n  max_connections:\nlogging:\n");
		NodeConfig config = new ConfigLoader(this.dir).load(true).config();
		assertThat(config.network().maxConnections()).isEqualTo(128);
		assertThat(config.logging().level()).isEqualTo(NodeConfig.LogLevel.INFO);
	}

	@Test
	void loadWhenEveryExtensionKeySetShouldBindEach() throws IOException {
		write("conf.yaml", """
				node:
				  private_key: ""
				network:
				  addresses: [/dns4/node-a.example/tcp/9100]
				  max_connections: 7
				peers:
				  connection_timeout: 500ms
				logging:
				  level: warn
				  format: text
				  console_output: false
				  file_output: true
				  file_name: logs/node.log
				  file_max_size: 512KB
				  file_max_history: 12
				protocol:
				  ping_interval: 2m
				  max_message_size: 4MB
				""");
		NodeConfig config = new ConfigLoader(this.dir).load(true).config();
		assertThat(config.network())
			.isEqualTo(new NodeConfig.NetworkSettings(List.of(Multiaddr.parse("/dns4/node-a.example/tcp/9100")), 7));
		assertThat(config.peers().connectionTimeout()).isEqualTo(Duration.ofMillis(500));
		assertThat(config.logging()).isEqualTo(new NodeConfig.LoggingSettings(NodeConfig.LogLevel.WARN,
				NodeConfig.LogFormat.TEXT, false, false, true, "logs/node.log", DataSize.ofKilobytes(512), 12));
		assertThat(config.protocol())
			.isEqualTo(new NodeConfig.ProtocolSettings(Duration.ofMinutes(2), DataSize.ofMegabytes(4)));
	}

	@Test
	void loadWhenPrivateKeyEmptyAndMissingKeyAllowedShouldHaveNoKey() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"\"\n");
		ConfigSnapshot snapshot = new ConfigLoader(this.dir).load(true);
		assertThat(snapshot.config().node().key()).isNull();
		assertThat(snapshot.properties()).doesNotContainKey("node.private_key");
	}

	@Test
	void loadWhenPrivateKeyEmptyAndKeyRequiredShouldReportKey() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"\"\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load());
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.key()).isEqualTo("node.private_key");
			assertThat(error.file()).isEqualTo("conf.yaml");
			assertThat(error.line()).isEqualTo(2);
			assertThat(error.message()).contains("must not be empty");
		});
		assertThat(ex.isTransient()).isFalse();
	}

	@Test
	void loadWhenNodeSectionMissingAndKeyRequiredShouldReportKey() throws IOException {
		write("conf.yaml", "logging:\n  level: info\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(false));
		assertThat(ex.getErrors()).extracting(ConfigError::key).containsExactly("node.private_key");
	}

	@Test
	void loadWhenPrivateKeyInvalidShouldNotShowKeyText() throws IOException {
		String secret = NodeKey.generate().encoded().substring(0, 80);
		write("conf.yaml", "node:\n  private_key: \"" + secret + "\"\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.key()).isEqualTo("node.private_key");
			assertThat(error.line()).isEqualTo(2);
			assertThat(error.column()).isEqualTo(16);
		});
		assertThat(ex).hasMessageNotContaining(secret).hasMessageNotContaining(secret.substring(0, 12));
		assertThat(ex.getErrors().get(0).describe()).doesNotContain(secret.substring(0, 12));
	}

	@Test
	void loadWhenPrivateKeyNotBase64ShouldNotShowKeyText() throws IOException {
		String secret = "not*base64*but*still*secret";
		write("conf.yaml", "node:\n  private_key: " + secret + "\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).contains("base64"));
		assertThat(ex).hasMessageNotContaining(secret).hasMessageNotContaining("still");
	}

	@Test
	void loadWhenPrivateKeyPublicHalfMismatchedShouldRejectWithoutKeyText() throws IOException {
		String mixed = mixedKey();
		write("conf.yaml", "node:\n  private_key: \"" + mixed + "\"\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement()
			.satisfies((error) -> assertThat(error.message()).contains("does not belong to the seed"));
		assertThat(ex).hasMessageNotContaining(mixed.substring(0, 12));
	}

	@Test
	void loadWhenPrivateKeyInvalidAndAnotherValueBadShouldReportBoth() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"AAAA\"\nnetwork:\n  max_connections: 0\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).extracting(ConfigError::key)
			.containsExactly("node.private_key", "network.max_connections");
	}

	@Test
	void loadWhenOwnKeyListedAndAnotherValueBadShouldReportBoth() throws IOException {
		NodeKey key = NodeKey.generate();
		write("conf.yaml", "node:\n  private_key: \"" + key.encoded() + "\"\nlogging:\n  level: loud\n");
		write("peers.yaml", "peers:\n  - public_key: " + key.publicKeyBase64() + "\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load());
		assertThat(ex.getErrors()).extracting(ConfigError::file, ConfigError::line)
			.containsExactly(tuple("conf.yaml", 4), tuple("peers.yaml", 2));
	}

	@Test
	void loadWhenFewerConnectionsAllowedThanPeersShouldReportAcrossFiles() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"\"\nnetwork:\n  max_connections: 1\n");
		write("peers.yaml", "peers:\n  - public_key: " + NodeKey.generate().publicKeyBase64() + "\n  - public_key: "
				+ NodeKey.generate().publicKeyBase64() + "\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.key()).isEqualTo("network.max_connections");
			assertThat(error.line()).isEqualTo(4);
			assertThat(error.message()).contains("number of peers in peers.yaml (2), was 1");
		});
	}

	@Test
	void loadWhenLogFileNameHasPercentShouldRejectIt() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"\"\nlogging:\n  file_name: logs/node-%d.log\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.key()).isEqualTo("logging.file_name");
			assertThat(error.message()).contains("must not contain '%'");
		});
	}

	@Test
	void loadWhenPrivateKeyIsAListShouldReportOnlyThatError() throws IOException {
		write("conf.yaml", "node:\n  private_key: [a, b]\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(false));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.key()).isEqualTo("node.private_key");
			assertThat(error.message()).contains("must be a single value, not a list");
		});
	}

	@Test
	void loadWhenSyntaxErrorAndKeyRequiredShouldReportOnlySyntaxError() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"unterminated\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(false));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.key()).isNull();
			assertThat(error.message()).startsWith("invalid YAML");
		});
		assertThat(ex).hasMessageNotContaining("unterminated");
	}

	@Test
	void loadWhenConfMissingShouldReportPathAsTransient() {
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.file()).isEqualTo("conf.yaml");
			assertThat(error.message()).contains("not found").contains(this.dir.toAbsolutePath().toString());
		});
		assertThat(ex.isTransient()).isTrue();
	}

	@Test
	void loadWhenConfIsADirectoryShouldReportIt() throws IOException {
		Files.createDirectory(this.dir.resolve("conf.yaml"));
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> new ConfigLoader(this.dir).load(true))
			.satisfies((ex) -> assertThat(ex.getErrors()).singleElement()
				.satisfies((error) -> assertThat(error.message()).contains("is not a regular file")));
	}

	@Test
	void loadWhenConfCannotBeReadShouldReportTransientError() throws IOException {
		Path conf = this.dir.resolve("conf.yaml");
		Files.createSymbolicLink(conf, conf);
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.file()).isEqualTo("conf.yaml");
			assertThat(error.message()).startsWith("cannot be read: FileSystemException");
		});
		assertThat(ex.isTransient()).isTrue();
	}

	@Test
	void stageShouldKeepTheBytesThatWereValidated() throws IOException {
		String conf = ConfYaml.withNetwork("# as written\nnode:\n  private_key: \"\"\n");
		write("conf.yaml", conf);
		write("peers.yaml", "peers: []\n");
		ConfigLoader.Staged staged = new ConfigLoader(this.dir).stage(true);
		assertThat(staged.files()).containsOnlyKeys("conf.yaml", "peers.yaml");
		assertThat(staged.files().get("conf.yaml")).isEqualTo(conf.getBytes(StandardCharsets.UTF_8));
		assertThat(staged.snapshot()).isEqualTo(new ConfigLoader(this.dir).load(true));
	}

	@Test
	void stageWhenPeersFileMissingShouldHoldConfOnly() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"\"\n");
		assertThat(new ConfigLoader(this.dir).stage(true).files()).containsOnlyKeys("conf.yaml");
	}

	@Test
	void loadWhenConfEmptyShouldReportTransientError() throws IOException {
		write("conf.yaml", "");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.file()).isEqualTo("conf.yaml");
			assertThat(error.message()).contains("the file is empty");
		});
		assertThat(ex.isTransient()).isTrue();
	}

	@Test
	void loadWhenConfHasOnlyCommentsShouldTakeDefaults() throws IOException {
		write("conf.yaml", "# nothing set yet\n");
		NodeConfig config = new ConfigLoader(this.dir).load(true).config();
		assertThat(config.network().maxConnections()).isEqualTo(128);
		assertThat(config.node().key()).isNull();
	}

	@Test
	void loadWhenConfRootIsAListShouldReportIt() throws IOException {
		write("conf.yaml", "- node\n- network\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.line()).isEqualTo(1);
			assertThat(error.message()).contains("must be a mapping of keys to values, not a list");
		});
	}

	@Test
	void loadWhenBothFilesHaveErrorsShouldReportAllInFileOrder() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"\"\nnetwork:\n  max_connections: 0\n");
		write("peers.yaml", "peers:\n  - public_key: nope\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(false));
		assertThat(ex.getErrors()).extracting(ConfigError::file, ConfigError::key, ConfigError::line)
			.containsExactly(tuple("conf.yaml", "node.private_key", 2),
					tuple("conf.yaml", "network.max_connections", 4),
					tuple("peers.yaml", "peers[0].public_key", 2));
		assertThat(ex).hasMessageStartingWith("3 configuration error(s):");
	}

	@Test
	void loadWhenCalledTwiceShouldGiveEqualSnapshots() throws IOException {
		write("conf.yaml", "node:\n  private_key: \"" + NodeKey.generate().encoded() + "\"\n");
		ConfigLoader loader = new ConfigLoader(this.dir);
		assertThat(loader.load()).isEqualTo(loader.load());
		assertThat(loader.configDir()).isEqualTo(this.dir);
	}

	private void write(String name, String content) throws IOException {
		String text = "conf.yaml".equals(name) ? ConfYaml.withNetwork(content) : PeersYaml.withPeerAddresses(content);
		Files.writeString(this.dir.resolve(name), text, StandardCharsets.UTF_8);
	}

	/** A well-formed 64-byte key whose public half belongs to another seed. */
	private static String mixedKey() {
		byte[] a = Base64.getDecoder().decode(NodeKey.generate().encoded());
		byte[] b = Base64.getDecoder().decode(NodeKey.generate().encoded());
		System.arraycopy(b, 32, a, 32, 32);
		return Base64.getEncoder().encodeToString(a);
	}

}
