package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PrivateKeyProvisioner}: the key is written in place, everything else stays.
 */
class PrivateKeyProvisionerTests {

	@TempDir
	Path dir;

	private Path conf;

	private NodeKey key;

	@BeforeEach
	void setUp() {
		this.conf = this.dir.resolve("conf.yaml");
		this.key = NodeKey.generate();
	}

	@Test
	void provisionWhenKeyEmptyShouldReplaceOnlyTheKeyLine() throws IOException {
		write("""
				# btc-federation node config
				node:
				  # generated on first start
				  #  private_key: ""   (old key, kept for reference)
				  private_key: ""   # base64 Ed25519
				network:
				  addresses:
				    - /ip4/0.0.0.0/tcp/9000   # public
				logging:
				  level:    info
				""");
		PrivateKeyProvisioner.provision(this.conf, this.key);
		assertThat(read()).isEqualTo("""
				# btc-federation node config
				node:
				  # generated on first start
				  #  private_key: ""   (old key, kept for reference)
				  private_key: "%s" # base64 Ed25519
				network:
				  addresses:
				    - /ip4/0.0.0.0/tcp/9000   # public
				logging:
				  level:    info
				""".formatted(this.key.encoded()));
		assertLoadsWithKey();
	}

	@Test
	void provisionWhenKeyHasNoValueShouldFillIt() throws IOException {
		write("node:\n    private_key:\nlogging:\n  level: info\n");
		PrivateKeyProvisioner.provision(this.conf, this.key);
		assertThat(read())
			.isEqualTo("node:\n    private_key: \"" + this.key.encoded() + "\"\nlogging:\n  level: info\n");
		assertLoadsWithKey();
	}

	@Test
	void provisionWhenKeyIsNullOrSingleQuotedShouldFillIt() throws IOException {
		for (String empty : new String[] { "~", "null", "''" }) {
			write("node:\n  private_key: " + empty + "\n");
			PrivateKeyProvisioner.provision(this.conf, this.key);
			assertThat(read()).as(empty).isEqualTo("node:\n  private_key: \"" + this.key.encoded() + "\"\n");
		}
		assertLoadsWithKey();
	}

	@Test
	void provisionWhenKeyMissingUnderNodeShouldInsertItFirst() throws IOException {
		write("# config\nnode:   # identity\nnetwork:\n  max_connections: 3\n");
		PrivateKeyProvisioner.provision(this.conf, this.key);
		assertThat(read()).isEqualTo("# config\nnode:   # identity\n  private_key: \"" + this.key.encoded()
				+ "\"\nnetwork:\n  max_connections: 3\n");
		assertLoadsWithKey();
	}

	@Test
	void provisionWhenNodeSectionMissingShouldAppendIt() throws IOException {
		write("# config\nlogging:\n  level: warn\n");
		PrivateKeyProvisioner.provision(this.conf, this.key);
		assertThat(read())
			.isEqualTo("# config\nlogging:\n  level: warn\nnode:\n  private_key: \"" + this.key.encoded() + "\"\n");
		assertLoadsWithKey();
	}

	@Test
	void provisionWhenLastLineHasNoNewlineShouldAppendOnANewLine() throws IOException {
		write("logging:\n  level: warn");
		PrivateKeyProvisioner.provision(this.conf, this.key);
		assertThat(read()).startsWith("logging:\n  level: warn\nnode:\n  private_key: ");
		assertLoadsWithKey();
	}

	@Test
	void provisionWhenFileMissingShouldCreateIt() throws IOException {
		PrivateKeyProvisioner.provision(this.conf, this.key);
		assertThat(read()).isEqualTo("node:\n  private_key: \"" + this.key.encoded() + "\"\n");
		assertLoadsWithKey();
	}

	@Test
	void provisionWhenLinesEndWithCrLfShouldKeepThem() throws IOException {
		write("# config\r\nnode:\r\n  private_key: \"\"  # key\r\nlogging:\r\n  level: info\r\n");
		PrivateKeyProvisioner.provision(this.conf, this.key);
		assertThat(read()).isEqualTo("# config\r\nnode:\r\n  private_key: \"" + this.key.encoded()
				+ "\" # key\r\nlogging:\r\n  level: info\r\n");
		assertLoadsWithKey();
	}

	@Test
	void provisionShouldLeaveFileReadableByOwnerOnly() throws IOException {
		write("node:\n  private_key: \"\"\n");
		Files.setPosixFilePermissions(this.conf, PosixFilePermissions.fromString("rw-r--r--"));
		PrivateKeyProvisioner.provision(this.conf, this.key);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.conf))).isEqualTo("rw-------");
	}

	@Test
	void provisionShouldLeaveNoTempFiles() throws IOException {
		write("node:\n  private_key: \"\"\n");
		PrivateKeyProvisioner.provision(this.conf, this.key);
		try (var files = Files.list(this.dir)) {
			assertThat(files).containsExactly(this.conf);
		}
	}

	private void assertLoadsWithKey() throws IOException {
		// The provisioned file, plus the network section that every conf.yaml needs.
		Files.writeString(this.conf, ConfYaml.withNetwork(Files.readString(this.conf)));
		ConfigSnapshot snapshot = new ConfigLoader(this.dir).load(false);
		assertThat(snapshot.config().node().key()).isEqualTo(this.key);
	}

	private void write(String content) throws IOException {
		Files.writeString(this.conf, content, StandardCharsets.UTF_8);
	}

	private String read() throws IOException {
		return Files.readString(this.conf, StandardCharsets.UTF_8);
	}

}
