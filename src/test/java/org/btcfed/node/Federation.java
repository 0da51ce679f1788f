package org.btcfed.node;

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
import org.jspecify.annotations.Nullable;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three {@link FederationNode}s, A, B and C, that list each other, started afresh for each test
 * and fully connected before it runs; what one test does to them cannot reach the next. C also
 * runs a {@link TestComponent} named {@code faulty-network} (see {@link FaultInjection}).
 * <p>
 * Connections are compared by id, which is unique for the life of a node: the same id after a
 * reload means the same TCP connection. Not thread-safe: one test thread drives it.
 */
final class Federation implements AutoCloseable {

	/** A connection is up, or up again, within this (loopback, a shared 2-core box). */
	static final Duration CONNECT = Duration.ofSeconds(15);

	/** How long the federation must hold still before its connection ids are recorded. */
	private static final Duration SETTLED = Duration.ofMillis(500);

	final FederationNode a;

	final FederationNode b;

	final FederationNode c;

	/** C's fault-injecting component. */
	final TestComponent faulty;

	private final Path root;

	private Federation(Path root, FederationNode a, FederationNode b, FederationNode c) {
		this.root = root;
		this.a = a;
		this.b = b;
		this.c = c;
		this.faulty = c.bean(TestComponent.class);
	}

	/**
	 * Starts A, B and C in {@code root} and waits until they are fully connected.
	 * @param root a directory of their own
	 * @return the federation
	 */
	static Federation start(Path root) {
		FederationNode a = new FederationNode("A", root.resolve("a"));
		FederationNode b = new FederationNode("B", root.resolve("b"));
		FederationNode c = new FederationNode("C", root.resolve("c"));
		a.addPeer(b).addPeer(c);
		b.addPeer(a).addPeer(c);
		c.addPeer(a).addPeer(b);
		try {
			a.start(NodeApplication.class);
			b.start(NodeApplication.class);
			c.start(NodeApplication.class, FaultInjection.class);
		}
		catch (RuntimeException | Error ex) {
			closeAll(ex, c, b, a);
			throw ex;
		}
		Federation federation = new Federation(root, a, b, c);
		federation.awaitFullyConnected();
		return federation;
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

	/** Stops C, B and A; the first failure is thrown once all were tried, the others attached. */
	@Override
	public void close() {
		closeAll(null, this.c, this.b, this.a);
	}

	private static void closeAll(@Nullable Throwable failure, FederationNode... nodes) {
		Throwable first = failure;
		for (FederationNode node : nodes) {
			try {
				node.close();
			}
			catch (RuntimeException ex) {
				if (first == null) {
					first = ex;
				}
				else {
					first.addSuppressed(ex);
				}
			}
		}
		if (failure == null && first instanceof RuntimeException ex) {
			throw ex;
		}
	}

	static void assertSucceeded(ReloadReport report) {
		assertThat(report.status()).as("%s", report).isEqualTo(ReloadStatus.SUCCEEDED);
	}

	/** @return each component result as {@code name:ACTION}, in report order */
	static List<String> actions(ReloadReport report) {
		return report.components().stream().map((result) -> result.name() + ":" + result.action()).toList();
	}

	static List<String> componentNames(FederationNode node) {
		return node.bean(ReloadCoordinator.class).plan().components().stream().map(HotReloadable::name).toList();
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
