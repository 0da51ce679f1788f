package org.btcfed.node.peer;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.network.ProtocolDispatcher;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.reload.trigger.SignalGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * P2P metrics over a real listening network manager: a garbage-sending client shows up as a
 * MALFORMED rejection, the peer gauges follow peers.yaml.
 */
class P2pMetricsTests {

	@TempDir
	Path dir;

	NetworkManager network;

	@AfterEach
	void tearDown() {
		if (this.network != null) {
			this.network.destroy();
		}
	}

	@Test
	void metricsShouldCountRejectionsAndFollowPeers() throws Exception {
		String peer = NodeKey.generate().publicKeyBase64();
		Files.writeString(this.dir.resolve("conf.yaml"), ConfYaml.withNetwork("node:\n  private_key: \"" + NodeKey.generate().encoded()
				+ "\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n"));
		Files.writeString(this.dir.resolve("peers.yaml"), "peers:\n  - public_key: \"" + peer + "\"\n    addresses: [/ip4/127.0.0.1/tcp/1]\n");
		ConfigSnapshot startup = new ConfigLoader(this.dir).load();
		ReadGate gate = new ReadGate();
		this.network = new NetworkManager(startup, gate,
				new StaticListableBeanFactory().getBeanProvider(ProtocolDispatcher.class));
		this.network.start();
		NodeProperties properties = new NodeProperties();
		properties.setConfigDir(this.dir);
		PeerStore store = new PeerStore(startup, this.network, new SignalGate(), properties);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new P2pMetrics(this.network, store, gate).bindTo(registry);
		assertThat(registry.get("btcfed.p2p.peers.configured").gauge().value()).isEqualTo(1);
		assertThat(registry.get("btcfed.p2p.peers.connected").gauge().value()).isZero();
		assertThat(registry.get("btcfed.p2p.connections").tag("state", "authenticated").gauge().value()).isZero();
		Multiaddr listening = this.network.listenAddresses().get(0);
		try (Socket client = new Socket("127.0.0.1", listening.port())) {
			OutputStream out = client.getOutputStream();
			out.write(new byte[] { 0, 0, 0, 3, 0x7f, 1, 2 });
			out.flush();
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(
						registry.get("btcfed.p2p.rejected").tag("reason", "MALFORMED").functionCounter().count())
					.isEqualTo(1));
		}
		assertThat(registry.get("btcfed.p2p.admitted").functionCounter().count()).isZero();
		assertThat(registry.get("btcfed.p2p.rejected").tag("reason", "UNKNOWN_PEER").functionCounter().count()).isZero();
	}

}
