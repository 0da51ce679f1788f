package org.btcfed.node.interop;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.btcfed.node.FreePorts;
import org.btcfed.node.NodeApplication;
import org.btcfed.node.config.ConfYaml;
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
 * A real btcfed-node for the interop tests: {@link NodeApplication} as a Spring Boot context in
 * this JVM (HTTP on a random loopback port), with conf.yaml and peers.yaml under a root directory
 * of its own, rendered from this object's settings ({@link ConfYaml}, {@link PeersYaml}) so that
 * a test edits a setting, writes the file and {@linkplain #reload() reloads} as an operator does.
 * As {@code FederationNode} does, it runs without spring-cloud's
 * {@link LoggingSystemShutdownListener}, which would reset Logback at every start.
 * <p>
 * Every {@code /btcfed/msg/1.0.0} message it receives is kept with the connection it came on:
 * the numbered ones ({@link JsPeer#numberedPayload}) as their sequence numbers
 * ({@link #sequences()}). Not thread-safe except {@link #sequences()} and {@link #connectionIds()}.
 */
final class InteropNode implements AutoCloseable {

	private final Path configDir;

	private final Path dataDir;

	/** Peers by public key, with their addresses, in the order peers.yaml lists them. */
	private final Map<String, List<String>> peers = new LinkedHashMap<>();

	/** Sequence numbers of the numbered messages received, in order. */
	private final List<Long> sequences = new ArrayList<>();

	/** The connection ids the numbered messages came on. */
	private final List<String> connectionIds = new ArrayList<>();

	private NodeKey key = NodeKey.generate();

	private List<String> addresses = List.of(ConfYaml.ANY_LOOPBACK_PORT);

	private String level = "info";

	private String pingInterval = "5s";

	private @Nullable ConfigurableApplicationContext context;

	/**
	 * @param root a directory of its own; {@code config/} and {@code data/} are created in it
	 */
	InteropNode(Path root) {
		this.configDir = root.resolve("config");
		this.dataDir = root.resolve("data");
	}

	/** Writes both files and starts the node. */
	InteropNode start() {
		writeConf();
		writePeers();
		SpringApplicationBuilder builder = new SpringApplicationBuilder(NodeApplication.class);
		SpringApplication application = builder.application();
		application.setListeners(application.getListeners()
			.stream()
			.filter((listener) -> !(listener instanceof LoggingSystemShutdownListener))
			.toList());
		this.context = builder.run("--btcfed.config-dir=" + this.configDir, "--btcfed.data-dir=" + this.dataDir,
				"--server.port=0", "--server.address=127.0.0.1");
		bean(MessageProtocol.class).addListener(this::received);
		return this;
	}

	private void received(Connection connection, byte[] payload) {
		if (payload.length == 32) {
			synchronized (this.sequences) {
				this.sequences.add(ByteBuffer.wrap(payload).getLong());
				this.connectionIds.add(connection.id());
			}
		}
	}

	/** @return the sequence numbers of the numbered messages received so far, in order */
	List<Long> sequences() {
		synchronized (this.sequences) {
			return List.copyOf(this.sequences);
		}
	}

	/** @return how many numbered messages were received so far */
	int received() {
		synchronized (this.sequences) {
			return this.sequences.size();
		}
	}

	/** @return the connection ids the numbered messages came on, without repeats */
	List<String> connectionIds() {
		synchronized (this.sequences) {
			return this.connectionIds.stream().distinct().toList();
		}
	}

	/** Reloads as the HTTP endpoint would, after the files were edited. */
	ReloadReport reload() {
		try {
			return bean(ReloadCoordinator.class).submit(ReloadRequest.of(ReloadTrigger.HTTP)).get(60, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("reload did not complete", ex);
		}
	}

	/** Renders conf.yaml from this node's settings. */
	InteropNode writeConf() {
		ConfYaml.defaults()
			.key(this.key)
			.listen(this.addresses)
			.set("network.max_connections", 16)
			.set("logging.level", this.level)
			.set("logging.file_output", false)
			.set("protocol.ping_interval", this.pingInterval)
			.write(this.configDir);
		return this;
	}

	/** Renders peers.yaml from this node's peer list. */
	InteropNode writePeers() {
		PeersYaml peersYaml = PeersYaml.none();
		this.peers.forEach(peersYaml::peer);
		peersYaml.write(this.configDir);
		return this;
	}

	/**
	 * Lists a peer, or replaces its addresses.
	 * @param publicKey its public key, base64
	 * @param peerAddresses where it is dialled; none for a peer that only dials in, which is
	 * listed at a loopback port nothing listens on (peers.yaml needs an address for every peer)
	 */
	InteropNode addPeer(String publicKey, String... peerAddresses) {
		this.peers.put(publicKey, (peerAddresses.length > 0) ? List.of(peerAddresses) : List.of(FreePorts.loopbackAddress()));
		return this;
	}

	InteropNode removePeer(String publicKey) {
		this.peers.remove(publicKey);
		return this;
	}

	InteropNode key(NodeKey nodeKey) {
		this.key = nodeKey;
		return this;
	}

	InteropNode addresses(List<String> listenAddresses) {
		this.addresses = List.copyOf(listenAddresses);
		return this;
	}

	InteropNode level(String logLevel) {
		this.level = logLevel;
		return this;
	}

	InteropNode pingInterval(String interval) {
		this.pingInterval = interval;
		return this;
	}

	<T> T bean(Class<T> type) {
		return Objects.requireNonNull(this.context, "the node is not running").getBean(type);
	}

	NetworkManager network() {
		return bean(NetworkManager.class);
	}

	/** @return the node's connection to the peer with this key, or null */
	@Nullable Connection connection(NodeKey peer) {
		return network().connection(peer.publicKeyBase64());
	}

	/** @return the address js dials: the first one listened on, as bound, with {@code /p2p/<id>} */
	String dialAddress() {
		return network().listenAddresses().get(0) + "/p2p/" + network().peerId();
	}

	@Override
	public void close() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

}
