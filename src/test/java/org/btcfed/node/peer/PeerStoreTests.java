package org.btcfed.node.peer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.PeerId;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.network.ProtocolDispatcher;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.trigger.SignalGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer store over a real network manager (listening on a loopback port) and real files.
 */
class PeerStoreTests {

	@TempDir
	Path dir;

	NetworkManager network;

	PeerStore store;

	SignalGate signals = new SignalGate();

	@BeforeEach
	void setUp() throws Exception {
		Files.writeString(this.dir.resolve("conf.yaml"), ConfYaml.withNetwork("node:\n  private_key: \"" + NodeKey.generate().encoded()
				+ "\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n"));
		ConfigSnapshot startup = new ConfigLoader(this.dir).load();
		this.network = new NetworkManager(startup, new ReadGate(),
				new StaticListableBeanFactory().getBeanProvider(ProtocolDispatcher.class));
		this.network.start();
		NodeProperties properties = new NodeProperties();
		properties.setConfigDir(this.dir);
		this.store = new PeerStore(startup, this.network, this.signals, properties);
	}

	@AfterEach
	void tearDown() {
		this.network.destroy();
	}

	@Test
	void writeShouldProduceAPeersFileThatLoadsBackTheSamePeers() throws Exception {
		List<Peer> peers = List.of(
				new Peer(NodeKey.generate().publicKeyBase64(), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/9101"),
						Multiaddr.parse("/dns4/node-b.example/tcp/9102"))),
				new Peer(NodeKey.generate().publicKeyBase64(), List.of(Multiaddr.parse("/ip6/::1/tcp/9103"))));
		this.store.write(peers);
		assertThat(new ConfigLoader(this.dir).load().peers()).isEqualTo(peers);
		AtomicInteger delivered = new AtomicInteger();
		this.signals.open(delivered::incrementAndGet);
		this.signals.signal();
		assertThat(delivered).as("the write released its mask").hasValue(1);
		try (var files = Files.list(this.dir)) {
			assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("conf.yaml", "peers.yaml");
		}
	}

	@Test
	void writeWhenSignalArrivesMeanwhileShouldDeliverItAfterTheWrite() throws Exception {
		AtomicInteger delivered = new AtomicInteger();
		this.signals.open(delivered::incrementAndGet);
		try (SignalGate.Mask outer = this.signals.mask()) {
			this.signals.signal();
			this.store.write(List.of());
			assertThat(delivered).hasValue(0);
		}
		assertThat(delivered).hasValue(1);
		assertThat(new ConfigLoader(this.dir).load().peers()).isEmpty();
	}

	@Test
	void applyShouldFollowTheTargetPeers() throws Exception {
		ConfigSnapshot before = new ConfigLoader(this.dir).load();
		Peer peer = new Peer(NodeKey.generate().publicKeyBase64(), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")));
		this.store.write(List.of(peer));
		ConfigSnapshot after = new ConfigLoader(this.dir).load();
		this.store.apply(new ComponentUpdate(before, after, List.of()));
		assertThat(this.store.peers()).containsExactly(peer);
		assertThat(this.network.admits(peer.publicKey())).isTrue();
		this.store.rollback(new ComponentUpdate(before, after, List.of()));
		assertThat(this.store.peers()).isEmpty();
		assertThat(this.network.admits(peer.publicKey())).isFalse();
	}

	@Test
	void endpointAndHealthShouldDescribeTheNode() throws Exception {
		Peer peer = new Peer(NodeKey.generate().publicKeyBase64(), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/1")));
		ConfigSnapshot before = new ConfigLoader(this.dir).load();
		this.store.write(List.of(peer));
		this.store.apply(new ComponentUpdate(before, new ConfigLoader(this.dir).load(), List.of()));
		PeersEndpoint.Peers body = new PeersEndpoint(this.store, this.network).peers();
		assertThat(body.node().publicKey()).isEqualTo(this.network.publicKey());
		assertThat(body.node().listening()).singleElement().asString().startsWith("/ip4/127.0.0.1/tcp/");
		assertThat(body.configured()).containsExactly(
				new PeersEndpoint.Configured(peer.publicKey(),
						PeerId.of(NodeKey.parsePublicKey(peer.publicKey())).toString(), List.of("/ip4/127.0.0.1/tcp/1"), false));
		assertThat(body.connections()).isEmpty();
		var health = new P2pHealthIndicator(this.network, this.store).health();
		assertThat(health.getStatus().getCode()).isEqualTo("UP");
		assertThat(health.getDetails()).containsEntry("peersConfigured", 1).containsEntry("peersConnected", 0L);
		this.network.destroy();
		assertThat(new P2pHealthIndicator(this.network, this.store).health().getStatus().getCode()).isEqualTo("DOWN");
	}

}
