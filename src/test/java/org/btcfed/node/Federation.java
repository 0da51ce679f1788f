package org.btcfed.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.network.Connection;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three {@link FederationNode}s, A, B and C, that list each other, started afresh for each test
 * in a temporary directory of their own and fully connected before it runs, stopped after it:
 * what one test does to them cannot reach the next. C also runs a {@link TestComponent} named
 * {@code faulty-network} (see {@link FaultInjection}). A JUnit extension, in a test class field:
 * <pre class="code">
 * &#064;RegisterExtension
 * final Federation federation = new Federation();
 * </pre>
 * Connections are compared by id, which is unique for the life of a node: the same id after a
 * reload means the same TCP connection. Not thread-safe: one test thread drives it.
 */
final class Federation implements BeforeEachCallback, AfterEachCallback {

	/** A connection is up, or up again, within this (loopback, a shared 2-core box). */
	static final Duration CONNECT = Duration.ofSeconds(15);

	/** How long the federation must hold still before its connection ids are recorded. */
	private static final Duration SETTLED = Duration.ofMillis(500);

	FederationNode a;

	FederationNode b;

	FederationNode c;

	/** C's fault-injecting component. */
	TestComponent faulty;

	private Path root;

	/** Starts A, B and C and waits until they are fully connected. */
	@Override
	public void beforeEach(ExtensionContext context) throws IOException {
		this.root = Files.createTempDirectory("federation");
		this.a = newNode("A");
		this.b = newNode("B");
		this.c = newNode("C");
		this.a.addPeer(this.b).addPeer(this.c);
		this.b.addPeer(this.a).addPeer(this.c);
		this.c.addPeer(this.a).addPeer(this.b);
		this.a.start(NodeApplication.class);
		this.b.start(NodeApplication.class);
		this.c.start(NodeApplication.class, FaultInjection.class);
		this.faulty = this.c.bean(TestComponent.class);
		awaitFullyConnected();
	}

	/**
	 * Stops C, B and A (also when the start failed part-way) and deletes their files; the first
	 * failure to stop is thrown once all were tried, the others attached.
	 */
	@Override
	public void afterEach(ExtensionContext context) {
		RuntimeException failure = null;
		for (FederationNode node : new FederationNode[] { this.c, this.b, this.a }) {
			try {
				if (node != null) {
					node.close();
				}
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (this.root != null) {
			FileSystemUtils.deleteRecursively(this.root.toFile());
		}
		if (failure != null) {
			throw failure;
		}
	}

	/**
	 * @param name the node's name, e.g. {@code D}
	 * @return a node that is no member yet, in a directory of its own beside the others
	 */
	FederationNode newNode(String name) {
		return new FederationNode(name, this.root.resolve(name.toLowerCase(Locale.ROOT)));
	}

	List<FederationNode> nodes() {
		return List.of(this.a, this.b, this.c);
	}

	List<FederationNode> others(FederationNode node) {
		return nodes().stream().filter((other) -> other != node).toList();
	}

	/**
	 * Waits until every node has exactly one open connection to each other node, both ends of
	 * each agree (one INBOUND, one OUTBOUND), and that has held for a moment: a dial still in
	 * flight would otherwise replace a connection after its id was recorded.
	 */
	void awaitFullyConnected() {
		await("a fully connected federation").atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.during(SETTLED)
			.until(this::fullyConnected);
	}

	private boolean fullyConnected() {
		for (FederationNode node : nodes()) {
			Set<String> expected = others(node).stream()
				.map((other) -> other.network().publicKey())
				.collect(Collectors.toSet());
			Collection<Connection> connections = node.network().connections();
			Set<String> keys = connections.stream().map(Connection::peerKey).collect(Collectors.toSet());
			if (connections.size() != expected.size() || !keys.equals(expected)
					|| !connections.stream().allMatch(Connection::isOpen)) {
				return false;
			}
			for (FederationNode other : others(node)) {
				Connection mine = node.connectionTo(other);
				Connection theirs = other.connectionTo(node);
				if (mine == null || theirs == null || mine.direction() == theirs.direction()) {
					return false;
				}
			}
		}
		return true;
	}

	/** @return the open connections' ids by peer key, by node name */
	Map<String, Map<String, String>> connectionIds() {
		Map<String, Map<String, String>> ids = new LinkedHashMap<>();
		nodes().forEach((node) -> ids.put(node.name(), node.connectionIds()));
		return ids;
	}

	static void assertSucceeded(ReloadReport report) {
		assertThat(report.status()).as("%s", report).isEqualTo(ReloadStatus.SUCCEEDED);
	}

	/** @return each component result as {@code name:ACTION}, in report order */
	static List<String> actions(ReloadReport report) {
		return report.components().stream().map((result) -> result.name() + ":" + result.action()).toList();
	}

	static List<String> componentNames(FederationNode node) {
		return node.bean(ReloadCoordinator.class).components().stream().map(HotReloadable::name).toList();
	}

	static List<String> listenAddresses(FederationNode node) {
		return node.network().listenAddresses().stream().map(Multiaddr::toString).toList();
	}

	/**
	 * Fault injection, given to node C only: a {@link TestComponent} that owns
	 * {@code network.max_connections} (as the network manager does), is updated after logging
	 * ({@code @DependsOn}) and fails its apply on demand. A real network failure cannot be had on
	 * demand without racing the validation's port probe; this stands in for one.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class FaultInjection {

		@Bean
		@DependsOn("loggingComponent")
		TestComponent faultyNetwork() {
			TestComponent faulty = new TestComponent("faulty-network", "network.max_connections");
			faulty.applyFailure = "injected failure: cannot apply network.max_connections";
			return faulty;
		}

	}

}
