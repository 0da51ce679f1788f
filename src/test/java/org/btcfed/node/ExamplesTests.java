package org.btcfed.node;

import java.nio.file.Files;
import java.nio.file.Path;

import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.DefaultConfig;
import org.btcfed.node.config.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configurations the README tells people to run: the shipped default and the two-node
 * example, whose nodes must name each other's keys and addresses.
 */
class ExamplesTests {

	@Test
	void shippedConfigDirShouldStartAStandaloneNodeOnBtcFederationsDefaults(@TempDir Path dir) throws Exception {
		// config/ ships peers.yaml only: the first start writes the default conf.yaml (with its key)
		// there, which git and the Docker build context both leave out.
		Files.copy(Path.of("config", "peers.yaml"), dir.resolve("peers.yaml"));
		DefaultConfig.writeIfMissing(dir);
		ConfigSnapshot snapshot = new ConfigLoader(dir).load();
		assertThat(snapshot.peers()).isEmpty();
		assertThat(snapshot.config().network().addresses()).extracting(Object::toString)
			.containsExactly("/ip4/0.0.0.0/tcp/9000", "/ip6/::/tcp/9000");
	}

	@Test
	void twoNodeExampleShouldListEachOther() {
		ConfigSnapshot a = new ConfigLoader(Path.of("examples/two-nodes/node-a")).load();
		ConfigSnapshot b = new ConfigLoader(Path.of("examples/two-nodes/node-b")).load();
		assertNames(a, b);
		assertNames(b, a);
	}

	private static void assertNames(ConfigSnapshot from, ConfigSnapshot to) {
		assertThat(from.peers()).singleElement().satisfies((Peer peer) -> {
			assertThat(peer.publicKey()).isEqualTo(to.config().node().key().publicKeyBase64());
			assertThat(peer.addresses()).isEqualTo(to.config().network().addresses());
		});
	}

}
