package org.btcfed.node.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.awaitility.Awaitility;
import org.btcfed.node.FreePorts;
import org.btcfed.node.NodeApplication;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.yamux.YamuxConfig;
import org.btcfed.node.network.yamux.YamuxSession;
import org.btcfed.node.config.PeersYaml;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reload latency of a node holding a thousand authenticated peer connections: the whole node in
 * a Spring context, a thousand real loopback libp2p sessions (TCP, Noise, yamux), the time to
 * connect them, in-place reloads of {@code logging.level} and of {@code protocol.*} (which pauses
 * and resumes reads on every connection) and a node key change (every session re-handshakes).
 * Not part of {@code verify}. Run with
 * <pre>./mvnw -q test -Dtest=ThousandPeersBenchmark -Djacoco.skip=true -Dbench.peers=1000 -Dbench.iterations=500</pre>
 */
class ThousandPeersBenchmark {

	@Test
	void reloadLatencyWithAThousandPeers() throws Exception {
		int peers = Integer.getInteger("bench.peers", 1000);
		int iterations = Integer.getInteger("bench.iterations", 500);
		Path root = Files.createTempDirectory("btcfed-bench-peers");
		NodeKey nodeKey = NodeKey.generate();
		List<NodeKey> clients = new ArrayList<>();
		// Every peer needs an address; these dial in, so theirs is one nobody listens on (port 1:
		// refused at once while a client has not connected yet, never dialled once it has).
		PeersYaml peersYaml = PeersYaml.none();
		for (int i = 0; i < peers; i++) {
			NodeKey key = NodeKey.generate();
			clients.add(key);
			peersYaml.peer(key.publicKeyBase64(), List.of("/ip4/127.0.0.1/tcp/1"));
		}
		int port = FreePorts.pick();
		Path config = Files.createDirectories(root.resolve("config"));
		peersYaml.write(config);
		writeConf(config, nodeKey, port, "warn", "30s");
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
		try (ConfigurableApplicationContext node = new SpringApplicationBuilder(NodeApplication.class)
			.properties("btcfed.config-dir=" + config, "btcfed.data-dir=" + root.resolve("data"), "server.port=0")
			.run()) {
			NetworkManager network = node.getBean(NetworkManager.class);
			long connecting = System.nanoTime();
			connect(group, clients, nodeKey, port);
			Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> network.connections().size() == peers);
			System.out.printf(Locale.ROOT, "%n%d libp2p sessions (TCP, Noise, yamux) connected in %.0f ms%n", peers,
					(System.nanoTime() - connecting) / 1e6);
			ReloadCoordinator coordinator = node.getBean(ReloadCoordinator.class);
			print("logging.level", peers, measure(iterations,
					i -> writeConf(config, nodeKey, port, (i % 2 == 0) ? "error" : "warn", "30s"), coordinator));
			print("protocol.ping_interval (reads paused on every connection)", peers, measure(iterations,
					i -> writeConf(config, nodeKey, port, "warn", (i % 2 == 0) ? "20s" : "30s"), coordinator));
			assertThat(network.connections()).hasSize(peers);
			rotateKey(group, clients, config, port, network, coordinator);
		}
		finally {
			group.shutdownGracefully();
		}
	}

	/**
	 * node.private_key changed: the reload closes every session, and the clients (which do not
	 * redial by themselves) connect again at once, authenticating the new identity.
	 */
	private static void rotateKey(EventLoopGroup group, List<NodeKey> clients, Path config, int port,
			NetworkManager network, ReloadCoordinator coordinator) throws Exception {
		NodeKey rotated = NodeKey.generate();
		writeConf(config, rotated, port, "warn", "30s");
		long start = System.nanoTime();
		ReloadReport report = coordinator.submit(ReloadRequest.of(ReloadTrigger.HTTP)).join();
		assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
		long reloaded = System.nanoTime();
		connect(group, clients, rotated, port);
		Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> network.connections().size() == clients.size()
				&& network.connections().stream().allMatch(Connection::isOpen));
		System.out.printf(Locale.ROOT, "node key change with %d sessions: reload %.0f ms (report %.1f ms), all %d "
				+ "sessions re-established under the new peer id after %.0f ms%n", clients.size(), (reloaded - start) / 1e6,
				report.durationMs(), clients.size(), (System.nanoTime() - start) / 1e6);
	}

	private static void connect(EventLoopGroup group, List<NodeKey> clients, NodeKey nodeKey, int port)
			throws Exception {
		ReadGate gate = new ReadGate();
		Upgrader.Listener listener = new Upgrader.Listener() {
			@Override
			public boolean admits(String peerKey) {
				return peerKey.equals(nodeKey.publicKeyBase64());
			}

			@Override
			public @Nullable String overLimit(String peerKey) {
				return null;
			}

			@Override
			public void authenticated(ChannelHandlerContext ctx, String peerKey) {
				// A session that answers what the node asks (identify, ping) with nothing: reset.
				ctx.pipeline().addBefore(ChannelSetup.EXCEPTIONS, ChannelSetup.SESSION,
						new YamuxSession(true, YamuxConfig.defaults(), stream -> null));
			}

			@Override
			public void rejected(ChannelHandlerContext ctx, RejectReason reason, @Nullable String peerKey,
					String detail) {
			}
		};
		for (NodeKey client : clients) {
			new Bootstrap().group(group)
				.channel(NioSocketChannel.class)
				.handler(new ChannelSetup(Direction.OUTBOUND, () -> client, () -> 60_000, gate, listener, channel -> true))
				.connect("127.0.0.1", port)
				.sync();
		}
	}

	@FunctionalInterface
	interface Edit {

		void apply(int iteration) throws IOException;

	}

	private static double[] measure(int iterations, Edit edit, ReloadCoordinator coordinator) throws IOException {
		int warmup = Math.max(20, iterations / 10);
		double[] durations = new double[iterations];
		for (int i = 0; i < warmup + iterations; i++) {
			edit.apply(i);
			ReloadReport report = coordinator.submit(ReloadRequest.of(ReloadTrigger.HTTP)).join();
			assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
			if (i >= warmup) {
				durations[i - warmup] = report.durationMs();
				report.phases().forEach((phase, ms) -> PHASES.merge(phase, ms, Double::sum));
			}
		}
		Arrays.sort(durations);
		return durations;
	}

	private static void writeConf(Path config, NodeKey key, int port, String level, String ping) {
		ConfYaml.minimal()
			.flowLists()
			.key(key)
			.listen("/ip4/127.0.0.1/tcp/" + port)
			.set("network.max_connections", 5000)
			.set("logging.level", level)
			.set("logging.format", "text")
			.set("protocol.ping_interval", ping)
			.write(config);
	}

	private static final Map<String, Double> PHASES = new TreeMap<>();

	private static void print(String what, int peers, double[] sorted) {
		System.out.printf(Locale.ROOT, "%nreload %s with %d peers connected, %d reloads: p50 %.2f ms, p90 %.2f ms,"
				+ " p99 %.2f ms, max %.2f ms%n", what, peers, sorted.length, percentile(sorted, 50), percentile(sorted, 90),
				percentile(sorted, 99), sorted[sorted.length - 1]);
		System.out.printf(Locale.ROOT, "  mean per phase (ms): %s%n", PHASES.entrySet()
			.stream()
			.map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue() / sorted.length))
			.toList());
		PHASES.clear();
	}

	private static double percentile(double[] sorted, int p) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
	}

}
