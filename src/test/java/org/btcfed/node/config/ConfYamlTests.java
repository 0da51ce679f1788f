package org.btcfed.node.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The test conf.yaml builder: the text other tests count lines in, and that the node loads it.
 */
class ConfYamlTests {

	@TempDir
	Path dir;

	@Test
	void defaultsShouldRenderEverySectionInTheOrderFirstSetWithListsOneItemALine() {
		assertThat(ConfYaml.defaults().listen("/ip4/127.0.0.1/tcp/9000").render()).isEqualTo("""
				node:
				  private_key: ""
				network:
				  addresses:
				    - /ip4/127.0.0.1/tcp/9000
				  max_connections: 128
				peers:
				  connection_timeout: 10s
				logging:
				  level: info
				  format: text
				  console_output: true
				protocol:
				  ping_interval: 30s
				""");
	}

	@Test
	void setWhenKeyWasSetBeforeShouldKeepItsLineAndAppendNewKeysToTheirSection() {
		String yaml = ConfYaml.minimal()
			.flowLists()
			.key("AAAA")
			.set("logging.level", "warn")
			.listen(List.of("/ip4/127.0.0.1/tcp/1", "/ip4/127.0.0.1/tcp/2"))
			.set("network.max_connections", 8)
			.set("logging.level", "debug")
			.render();
		assertThat(yaml).isEqualTo("""
				node:
				  private_key: "AAAA"
				network:
				  addresses: [/ip4/127.0.0.1/tcp/1, /ip4/127.0.0.1/tcp/2]
				  max_connections: 8
				logging:
				  level: debug
				""");
	}

	@Test
	void writeShouldGiveAConfThatLoads() {
		NodeKey key = NodeKey.generate();
		ConfYaml.defaults().key(key).set("protocol.ping_interval", "5s").write(this.dir);
		PeersYaml.none().peer(NodeKey.generate().publicKeyBase64(), List.of("/ip4/127.0.0.1/tcp/1")).write(this.dir);
		ConfigSnapshot snapshot = new ConfigLoader(this.dir).load();
		assertThat(snapshot.config().node().key().encoded()).isEqualTo(key.encoded());
		assertThat(snapshot.config().protocol().pingInterval()).isEqualTo(Duration.ofSeconds(5));
		assertThat(snapshot.properties()).containsEntry("logging.level", "info");
		assertThat(snapshot.peers()).hasSize(1);
	}

	@Test
	void setWhenKeyIsNotSectionDotNameShouldThrow() {
		for (String key : List.of("logging", "logging.", ".level", "a.b.c")) {
			assertThatIllegalArgumentException().as(key).isThrownBy(() -> ConfYaml.minimal().set(key, "x"));
		}
	}

}
