package org.btcfed.node;

import java.nio.file.Files;
import java.nio.file.Path;

import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Peer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The configurations the README tells people to run: the shipped default and the two-node
 * example, whose nodes must name each other's keys and addresses.
 */
class ExamplesTests {

	@Test
	void shippedConfigShouldLoadAsStandaloneNode() {
		// The Docker build context leaves config/ out (.dockerignore): a local run keeps its key there.
		assumeTrue(Files.isDirectory(Path.of("config")), "config/ is not in the Docker build context");
		ConfigSnapshot snapshot = new ConfigLoader(Path.of("config")).load(true);
		assertThat(snapshot.peers()).isEmpty();
		assertThat(snapshot.config().network().addresses()).isNotEmpty();
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
