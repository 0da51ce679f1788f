package org.btcfed.node.reload.engine;

import java.nio.file.Files;
import java.nio.file.Path;

import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.reload.ConfigChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigDiffTests {

	private static final String KEY = NodeKey.generate().encoded();

	private static final String PEER_A = NodeKey.generate().publicKeyBase64();

	private static final String PEER_B = NodeKey.generate().publicKeyBase64();

	@TempDir
	Path dir;

	private ConfigSnapshot load(String conf, String peers) throws Exception {
		Files.writeString(this.dir.resolve("conf.yaml"), ConfYaml.withNetwork("node:\n  private_key: \"" + KEY + "\"\n" + conf));
		Files.writeString(this.dir.resolve("peers.yaml"), peers);
		return new ConfigLoader(this.dir).load();
	}

	@Test
	void betweenWhenListElementsChangeShouldCompareByIndex() throws Exception {
		ConfigSnapshot a = load("network:\n  addresses: [/ip4/127.0.0.1/tcp/0, /ip4/127.0.0.2/tcp/0]\n", "peers: []\n");
		ConfigSnapshot b = load("network:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n", "peers: []\n");
		ConfigDiff diff = diff(a, b);
		assertThat(diff.changes()).containsExactly(new ConfigChange("network.addresses[1]", ConfigChange.Kind.REMOVED,
				"/ip4/127.0.0.2/tcp/0", null));
		assertThat(diff(b, a).changes()).extracting(ConfigChange::change)
			.containsExactly(ConfigChange.Kind.ADDED);
	}

	@Test
	void betweenWhenPeersReorderedShouldBeEmpty() throws Exception {
		String a = "  - public_key: " + PEER_A + "\n    addresses: [/ip4/127.0.0.1/tcp/9001]\n";
		String b = "  - public_key: " + PEER_B + "\n    addresses: [/ip4/127.0.0.1/tcp/9002]\n";
		ConfigSnapshot one = load("", "peers:\n" + a + b);
		ConfigSnapshot two = load("", "peers:\n" + b + a);
		assertThat(diff(one, two).isEmpty()).isTrue();
	}

	@Test
	void betweenWhenPeerAddedOrAddressChangedShouldKeyByPublicKey() throws Exception {
		ConfigSnapshot one = load("", "peers:\n  - public_key: " + PEER_A + "\n    addresses: [/ip4/127.0.0.1/tcp/9001]\n");
		ConfigSnapshot two = load("", "peers:\n  - public_key: " + PEER_B + "\n    addresses: [/ip4/127.0.0.1/tcp/9002]\n"
				+ "  - public_key: " + PEER_A + "\n    addresses: [/ip4/127.0.0.1/tcp/9003]\n");
		ConfigDiff diff = diff(one, two);
		assertThat(diff.changes()).containsExactlyInAnyOrder(
				new ConfigChange("peers[" + PEER_A + "].addresses[0]", ConfigChange.Kind.MODIFIED, "/ip4/127.0.0.1/tcp/9001",
						"/ip4/127.0.0.1/tcp/9003"),
				new ConfigChange("peers[" + PEER_B + "].addresses[0]", ConfigChange.Kind.ADDED, null,
						"/ip4/127.0.0.1/tcp/9002"));
	}

	@Test
	void betweenWhenPrivateKeyChangesShouldMaskBothValues() throws Exception {
		ConfigSnapshot one = load("", "peers: []\n");
		Files.writeString(this.dir.resolve("conf.yaml"),
				ConfYaml.withNetwork("node:\n  private_key: \"" + NodeKey.generate().encoded() + "\"\n"));
		ConfigSnapshot two = new ConfigLoader(this.dir).load();
		ConfigDiff diff = diff(one, two);
		assertThat(diff.changes()).containsExactly(
				new ConfigChange("node.private_key", ConfigChange.Kind.MODIFIED, "******", "******"));
		assertThat(diff.toString()).doesNotContain(KEY);
	}

	@Test
	void betweenWhenSameShouldBeEmpty() throws Exception {
		ConfigSnapshot one = load("logging:\n  level: info\n", "peers: []\n");
		assertThat(diff(one, one).isEmpty()).isTrue();
		assertThat(diff(one, one).keys()).isEmpty();
	}

	/** What a reload computes: the changed keys of the snapshots, then their changes. */
	private static ConfigDiff diff(ConfigSnapshot from, ConfigSnapshot to) {
		return ConfigDiff.of(from, to, from.changedKeys(to));
	}

}
