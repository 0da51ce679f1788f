package org.btcfed.node.network;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.btcfed.node.FreePorts;
import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.LoopbackNodes.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.ApplicationContextException;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.SETTLED;
import static org.btcfed.node.network.LoopbackNodes.address;
import static org.btcfed.node.network.LoopbackNodes.awaitRefused;
import static org.btcfed.node.network.LoopbackNodes.startPaired;

/**
 * The network manager as a {@link SmartLifecycle}: nothing is bound or dialled until
 * {@code start}, which reports a listen address it cannot bind as a configuration error; it
 * starts before the web server and the file watch and stops after them; {@code stop} and
 * {@code destroy} close everything. Built directly and in a plain Spring context, on loopback.
 */
class NetworkManagerLifecycleTests {

	/** The servlet web server's phase (Spring Boot's {@code WebServerStartStopLifecycle}). */
	private static final int WEB_SERVER_PHASE = SmartLifecycle.DEFAULT_PHASE - 2048;

	/** The file watch's phase ({@code FileWatchTrigger}: the default). */
	private static final int FILE_WATCH_PHASE = SmartLifecycle.DEFAULT_PHASE;

	@TempDir
	Path dir;

	@RegisterExtension
	final LoopbackNodes nodes = new LoopbackNodes(() -> this.dir);

	@Test
	void constructorShouldNeitherBindNorDialUntilStartAndAStoppedNetworkShouldNotStartAgain() throws Exception {
		int port = FreePorts.pick();
		try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			ConfigSnapshot config = Node.write(this.dir.resolve("lifecycle"), NodeKey.generate(), List.of(port), 16,
					List.of(new Peer(NodeKey.generate().publicKeyBase64(), List.of(address(peer.getLocalPort())))));
			NetworkManager network = manager(config);
			try {
				assertThat(network.isRunning()).isFalse();
				assertThat(network.listenAddresses()).isEmpty();
				assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> RawPeer.connect(port).close());
				peer.setSoTimeout((int) SETTLED.toMillis());
				assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(peer::accept);
				network.start();
				// Started already: nothing more happens.
				network.start();
				assertThat(network.isRunning()).isTrue();
				assertThat(network.listenAddresses()).containsExactly(address(port));
				peer.setSoTimeout(5000);
				try (Socket dialled = peer.accept()) {
					assertThat(dialled.getInetAddress().isLoopbackAddress()).isTrue();
				}
				network.stop();
				assertThat(network.isRunning()).isFalse();
				assertThat(network.listenAddresses()).isEmpty();
				assertThatIllegalStateException().isThrownBy(network::start)
					.withMessageContaining("does not start again");
			}
			finally {
				network.destroy();
			}
		}
	}

	@Test
	void startWhenAListenAddressIsTakenShouldFailNamingTheAddressWhereItIsWritten() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			ConfigSnapshot config = Node.write(this.dir.resolve("taken"), NodeKey.generate(),
					List.of(taken.getLocalPort()), 16, List.of());
			NetworkManager network = manager(config);
			try {
				assertThatExceptionOfType(ConfigException.class).isThrownBy(network::start)
					.satisfies(ex -> assertThat(ex.getErrors()).singleElement().satisfies(error -> {
						assertThat(error.key()).isEqualTo("network.addresses[0]");
						assertThat(error.file()).isEqualTo("conf.yaml");
						assertThat(error.line()).isEqualTo(4);
						assertThat(error.message()).startsWith("cannot listen on /ip4/127.0.0.1/tcp/"
								+ taken.getLocalPort() + ": the address is already in use");
					}));
				assertThat(network.isRunning()).isFalse();
			}
			finally {
				network.destroy();
			}
		}
	}

	/**
	 * Spring wraps a failed {@code start} in an {@link ApplicationContextException}: the
	 * configuration error is its cause, where the start-up failure analysis finds it.
	 */
	@Test
	void refreshWhenAListenAddressIsTakenShouldFailWithTheConfigErrorAsCauseAndReleaseTheOtherAddresses()
			throws Exception {
		int free = FreePorts.pick();
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			ConfigSnapshot config = Node.write(this.dir.resolve("context"), NodeKey.generate(),
					List.of(free, taken.getLocalPort()), 16, List.of());
			GenericApplicationContext context = context(config);
			Throwable failure = catchThrowable(context::refresh);
			assertThat(failure).isInstanceOf(ApplicationContextException.class)
				.cause()
				.isInstanceOfSatisfying(ConfigException.class,
						ex -> assertThat(ex.getErrors()).singleElement().satisfies(error -> {
							assertThat(error.key()).isEqualTo("network.addresses[1]");
							assertThat(error.line()).isEqualTo(4);
							assertThat(error.message()).startsWith("cannot listen on /ip4/127.0.0.1/tcp/"
									+ taken.getLocalPort());
						}));
			assertThat(context.isActive()).isFalse();
			awaitRefused(free);
		}
	}

	@Test
	void contextShouldStartTheNetworkBeforeTheWebServerAndTheFileWatchAndStopItAfterThem() throws Exception {
		int port = FreePorts.pick();
		ConfigSnapshot config = Node.write(this.dir.resolve("phases"), NodeKey.generate(), List.of(port), 16,
				List.of());
		List<String> seen = new CopyOnWriteArrayList<>();
		try (GenericApplicationContext context = context(config)) {
			context.registerBean("webServer", Probe.class,
					() -> new Probe("web server", WEB_SERVER_PHASE, context, seen));
			context.registerBean("fileWatch", Probe.class,
					() -> new Probe("file watch", FILE_WATCH_PHASE, context, seen));
			context.refresh();
			assertThat(context.getBean(NetworkManager.class).listenAddresses()).containsExactly(address(port));
		}
		assertThat(seen).containsExactly("web server started, network running", "file watch started, network running",
				"file watch stopped, network running", "web server stopped, network running");
		awaitRefused(port);
	}

	@Test
	void destroyShouldCloseConnectionsWithShutdownAndStopListening() {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		startPaired(a, b);
		a.stop();
		await().untilAsserted(() -> {
			assertThat(a.network.counters().closed()).containsEntry("SHUTDOWN", 1L);
			assertThat(b.network.connections()).isEmpty();
		});
		assertThat(a.network.listenAddresses()).isEmpty();
		awaitRefused(a.port);
	}

	private GenericApplicationContext context(ConfigSnapshot config) {
		GenericApplicationContext context = new GenericApplicationContext();
		context.registerBean(ReadGate.class);
		context.registerBean("networkManager", NetworkManager.class, () -> new NetworkManager(config,
				context.getBean(ReadGate.class), context.getBeanProvider(ProtocolDispatcher.class)));
		return context;
	}

	private static NetworkManager manager(ConfigSnapshot config) {
		return new NetworkManager(config, new ReadGate(),
				new StaticListableBeanFactory().getBeanProvider(ProtocolDispatcher.class));
	}

	/** A lifecycle in another phase, noting whether the network runs when it starts and stops. */
	private static final class Probe implements SmartLifecycle {

		private final String name;

		private final int phase;

		private final NetworkManager network;

		private final List<String> seen;

		private volatile boolean running;

		Probe(String name, int phase, GenericApplicationContext context, List<String> seen) {
			this.name = name;
			this.phase = phase;
			this.seen = seen;
			this.network = context.getBean(NetworkManager.class);
		}

		@Override
		public void start() {
			this.running = true;
			note("started");
		}

		@Override
		public void stop() {
			this.running = false;
			note("stopped");
		}

		private void note(String what) {
			String network = this.network.isRunning() ? "running" : "not running";
			this.seen.add(this.name + " " + what + ", network " + network);
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
