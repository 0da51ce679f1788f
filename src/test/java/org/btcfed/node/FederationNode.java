package org.btcfed.node;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.config.PeersYaml;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.protocol.MessageProtocol;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.bootstrap.LoggingSystemShutdownListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One btcfed-node of a test federation, run as a Spring Boot context inside the test JVM: its own
 * config and data dirs under a root directory, its own Ed25519 key, and its own P2P listen
 * address on loopback ({@code /ip4/127.0.0.1/tcp/<free port>}); HTTP on a random port.
 * <p>
 * conf.yaml and peers.yaml are rendered from this object's settings by {@link #writeConf()} and
 * {@link #writePeers()} ({@link ConfYaml}, {@link PeersYaml}: atomically, as an operator's tool
 * should), so that a test changes a setting, writes the file and {@linkplain #reload() reloads},
 * exactly as an operator edits and signals. Logging is {@code format: text} on the console.
 * <p>
 * The node's settings are passed as command-line arguments, not as
 * {@link SpringApplicationBuilder#properties default properties}: the packaged
 * {@code application.yaml} sets {@code btcfed.config-dir}, {@code btcfed.data-dir} and
 * {@code server.port} and would win over defaults. Component scanning skips
 * {@code @TestConfiguration} classes (spring-boot-test's {@code TestTypeExcludeFilter} is
 * registered for every application on the test class path), so such a class applies only to
 * the node it is given to as a source.
 * <p>
 * The nodes of a federation share this JVM's one Logback context. Spring Boot configures it once
 * and leaves it alone while it is marked as configured; spring-cloud-context's
 * {@link LoggingSystemShutdownListener}, though, clears that mark at every application start (to
 * configure logging again after a bootstrap context, which the node does not use), so that each
 * node start would reset Logback under the nodes already running, stopping their outputs. The
 * nodes run without that listener: the first start configures Logback and the others keep it,
 * until a node closes (Spring Boot then cleans its logging up, and the next start configures it
 * afresh). Each node's logging component still takes the root logger over as it starts, so the
 * last node started owns the root's one appender, and every node drives the root's level.
 * <p>
 * Every {@code msg} message the node receives is kept, with the connection it came on, in
 * {@link #inbox()}. Not thread-safe: one test thread drives a node.
 */
final class FederationNode implements AutoCloseable {

	/** The connection timeout every node is configured with. */
	static final String CONNECTION_TIMEOUT = "10s";

	private final String name;

	private final Path configDir;

	private final Path dataDir;

	private final Queue<Received> inbox = new LinkedBlockingQueue<>();

	/** Peers by public key, with their addresses, in the order peers.yaml lists them. */
	private final Map<String, List<String>> peers = new LinkedHashMap<>();

	private NodeKey key = NodeKey.generate();

	private List<String> addresses = List.of(FreePorts.loopbackAddress());

	private String level = "info";

	private String pingInterval = "5s";

	private String maxMessageSize = "1MB";

	private int maxConnections = 16;

	private @Nullable ConfigurableApplicationContext context;

	/**
	 * @param name the node's name in test output, e.g. {@code A}
	 * @param root a directory of its own; {@code config/} and {@code data/} are created in it
	 */
	FederationNode(String name, Path root) {
		this.name = name;
		this.configDir = root.resolve("config");
		this.dataDir = root.resolve("data");
	}

	/**
	 * Writes both files and starts the node.
	 * @param sources the application's sources: {@link NodeApplication} and any test configuration
	 * @return this node
	 */
	FederationNode start(Class<?>... sources) {
		writeConf();
		writePeers();
		SpringApplicationBuilder builder = new SpringApplicationBuilder(sources);
		SpringApplication application = builder.application();
		application.setListeners(application.getListeners()
			.stream()
			.filter((listener) -> !(listener instanceof LoggingSystemShutdownListener))
			.toList());
		this.context = builder.run("--btcfed.config-dir=" + this.configDir, "--btcfed.data-dir=" + this.dataDir,
				"--server.port=0", "--server.address=127.0.0.1");
		messages().addListener((connection, payload) -> this.inbox.add(new Received(connection, payload)));
		return this;
	}

	/**
	 * Reloads as the HTTP endpoint would, after the files were edited.
	 * @return the report
	 */
	ReloadReport reload() {
		return reload(ReloadTrigger.HTTP);
	}

	/**
	 * Reloads, after the files were edited.
	 * @param trigger the trigger to report
	 * @return the report
	 */
	ReloadReport reload(ReloadTrigger trigger) {
		try {
			return bean(ReloadCoordinator.class).submit(ReloadRequest.of(trigger)).get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("reload of node " + this.name + " did not complete", ex);
		}
	}

	/** Renders conf.yaml from this node's settings. */
	void writeConf() {
		ConfYaml.defaults()
			.key(this.key)
			.listen(this.addresses)
			.set("network.max_connections", this.maxConnections)
			.set("peers.connection_timeout", CONNECTION_TIMEOUT)
			.set("logging.level", this.level)
			.set("logging.file_output", false)
			.set("protocol.ping_interval", this.pingInterval)
			.set("protocol.max_message_size", this.maxMessageSize)
			.write(this.configDir);
	}

	/** Renders peers.yaml from this node's peer list. */
	void writePeers() {
		PeersYaml peersYaml = PeersYaml.none();
		this.peers.forEach(peersYaml::peer);
		peersYaml.write(this.configDir);
	}

	/**
	 * Lists another node as a peer, at the addresses it listens on now.
	 * @param other the other node
	 * @return this node
	 */
	FederationNode addPeer(FederationNode other) {
		return addPeer(other.publicKey(), other.addresses());
	}

	/**
	 * Lists a peer, or replaces its addresses.
	 * @param publicKey its public key
	 * @param peerAddresses where it is dialled; empty for a peer that only dials in
	 * @return this node
	 */
	FederationNode addPeer(String publicKey, List<String> peerAddresses) {
		this.peers.put(publicKey, List.copyOf(peerAddresses));
		return this;
	}

	/**
	 * @param publicKey the peer to drop from peers.yaml
	 * @return this node
	 */
	FederationNode removePeer(String publicKey) {
		this.peers.remove(publicKey);
		return this;
	}

	/**
	 * Generates a new identity; {@link #writeConf()} then writes it.
	 * @return the old key
	 */
	NodeKey rotateKey() {
		NodeKey old = this.key;
		this.key = NodeKey.generate();
		return old;
	}

	FederationNode addresses(List<String> listenAddresses) {
		this.addresses = List.copyOf(listenAddresses);
		return this;
	}

	FederationNode level(String logLevel) {
		this.level = logLevel;
		return this;
	}

	FederationNode pingInterval(String interval) {
		this.pingInterval = interval;
		return this;
	}

	FederationNode maxMessageSize(String size) {
		this.maxMessageSize = size;
		return this;
	}

	FederationNode maxConnections(int max) {
		this.maxConnections = max;
		return this;
	}

	String name() {
		return this.name;
	}

	/**
	 * @return the public key conf.yaml holds (the one the node runs once reloaded)
	 */
	String publicKey() {
		return this.key.publicKeyBase64();
	}

	/**
	 * @return the key conf.yaml holds
	 */
	NodeKey key() {
		return this.key;
	}

	/**
	 * @return the listen addresses conf.yaml holds
	 */
	List<String> addresses() {
		return this.addresses;
	}

	/**
	 * @return the first listen address, as a {@link Multiaddr}
	 */
	Multiaddr listenAddress() {
		return Multiaddr.parse(this.addresses.get(0));
	}

	ConfigurableApplicationContext context() {
		return Objects.requireNonNull(this.context, () -> "node " + this.name + " is not running");
	}

	<T> T bean(Class<T> type) {
		return context().getBean(type);
	}

	NetworkManager network() {
		return bean(NetworkManager.class);
	}

	MessageProtocol messages() {
		return bean(MessageProtocol.class);
	}

	/**
	 * @param peer another node
	 * @return this node's connection to it (under the key the peer runs now), or null
	 */
	@Nullable Connection connectionTo(FederationNode peer) {
		return network().connection(peer.network().publicKey());
	}

	/**
	 * @return the open connections' ids by peer key
	 */
	Map<String, String> connectionIds() {
		Map<String, String> ids = new LinkedHashMap<>();
		network().connections().forEach(connection -> ids.put(connection.peerKey(), connection.id()));
		return ids;
	}

	/**
	 * @return the {@code msg} messages received so far, oldest first; tests may clear it
	 */
	Queue<Received> inbox() {
		return this.inbox;
	}

	@Override
	public void close() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	@Override
	public String toString() {
		return "node " + this.name;
	}

	/**
	 * A received application message.
	 * @param connectionId the connection it came on
	 * @param peerKey who sent it
	 * @param payload the message
	 */
	record Received(String connectionId, String peerKey, byte[] payload) {

		Received(Connection connection, byte[] payload) {
			this(connection.id(), connection.peerKey(), payload);
		}

		/**
		 * @return the payload read as a 4-byte big-endian number
		 */
		int number() {
			return ByteBuffer.wrap(this.payload).getInt();
		}

	}

}
