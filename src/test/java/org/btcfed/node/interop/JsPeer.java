package org.btcfed.node.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.btcfed.node.config.NodeKey;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.awaitility.Awaitility.await;

/**
 * A js-libp2p peer in a child {@code node} process, for interop tests: {@code peer.mjs} of
 * {@code src/test/js} (TCP, Noise, yamux, identify, ping, and {@value #PROTOCOL}), which the build
 * installs in {@code target/js} (system property {@code btcfed.interop.dir}).
 * <p>
 * The peer is driven by JSON lines on its stdin; every line it prints is an event, kept here in
 * arrival order and searched with {@link #awaitEvent}. Events: {@code ready}, {@code connected}
 * and {@code disconnected} ({@code peerId}, {@code direction}, {@code remoteAddr}),
 * {@code message} ({@code peerId} and {@code seq} for a numbered message, {@code hex} for any
 * other payload), {@code peerIdentified} (js's own identify of a new connection, and each identify push it takes),
 * {@code streamEnded}, {@code error} ({@code cmd}, {@code message}, and the {@code id} of the
 * command that failed), and the answers of the commands, which carry their command's {@code id}. Its stdout and stderr are copied to
 * {@code target/interop-logs/<name>.log}; {@code -Dbtcfed.interop.debug=libp2p:*} adds
 * js-libp2p's own debug log there. Nothing here logs the key: it goes to the peer on stdin.
 * <p>
 * A numbered message is 32 bytes: the sequence number, 8 bytes big-endian, then the filler bytes
 * {@code 0x01..0x18} ({@link #numberedPayload}). Thread safe; {@link #close} kills the process.
 */
public final class JsPeer implements AutoCloseable {

	/** The message protocol of the test peer: uvarint-length-prefixed messages. */
	public static final String PROTOCOL = "/btcfed/msg/1.0.0";

	/** How long a command may take by default. */
	public static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final String name;

	private final Process process;

	private final Path log;

	private final Writer stdin;

	private final Queue<JsonNode> events = new ConcurrentLinkedQueue<>();

	private final Map<String, List<Long>> sequences = new ConcurrentHashMap<>();

	private final Map<String, List<byte[]>> payloads = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final AtomicReference<@Nullable Throwable> readFailure = new AtomicReference<>();

	private final JsonNode ready;

	private JsPeer(String name, NodeKey key, @Nullable String listen, boolean echo) throws IOException {
		this.name = name;
		Path dir = directory();
		this.log = Path.of("target", "interop-logs", name + ".log").toAbsolutePath();
		Files.createDirectories(this.log.getParent());
		Files.deleteIfExists(this.log);
		ProcessBuilder builder = new ProcessBuilder("node", "--import", "./polyfill.mjs", "peer.mjs").directory(dir.toFile())
			.redirectError(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
		String debug = System.getProperty("btcfed.interop.debug", "");
		if (!debug.isEmpty()) {
			builder.environment().put("DEBUG", debug);
		}
		this.process = builder.start();
		this.stdin = new OutputStreamWriter(this.process.getOutputStream(), StandardCharsets.UTF_8);
		Thread reader = new Thread(this::readEvents, "js-peer-" + name);
		reader.setDaemon(true);
		reader.start();
		ObjectNode start = command("start").put("key", key.encoded()).put("echo", echo);
		start.put("listen", listen);
		try {
			write(start);
			this.ready = awaitEvent(event -> event("ready").test(event) || event("error").test(event), TIMEOUT);
		}
		catch (RuntimeException | Error ex) {
			close();
			throw ex;
		}
		if (event("error").test(this.ready)) {
			close();
			throw new IllegalStateException(name + " did not start: " + this.ready + " (log " + this.log + ")");
		}
	}

	/**
	 * Starts a js peer and waits for it to be ready. There is no skipping: a peer the build did not
	 * install fails the test (see {@link #directory()}).
	 * @param name a name for its thread and log file, unique among the peers of a test run
	 * @param key its identity
	 * @param listen a listen multiaddr such as {@code /ip4/127.0.0.1/tcp/0}, or {@code null}
	 * @param echo whether it sends every received message back, in order
	 * @return the started peer
	 * @throws IOException if the process cannot be started
	 */
	public static JsPeer start(String name, NodeKey key, @Nullable String listen, boolean echo) throws IOException {
		return new JsPeer(name, key, listen, echo);
	}

	/** @return the installed test peer's directory ({@code btcfed.interop.dir}, or {@code target/js}) */
	public static Path directory() {
		Path dir = Path.of(System.getProperty("btcfed.interop.dir", "target/js"));
		if (!Files.isDirectory(dir.resolve("node_modules"))) {
			throw new IllegalStateException("js test peer not installed in " + dir.toAbsolutePath()
					+ ": run the Maven build (its generate-test-resources phase runs npm ci there)");
		}
		return dir;
	}

	/**
	 * The payload of a numbered message, as the peer sends and recognises it.
	 * @param seq the sequence number
	 * @return 32 bytes: {@code seq} big-endian, then {@code 0x01..0x18}
	 */
	public static byte[] numberedPayload(long seq) {
		ByteBuffer payload = ByteBuffer.allocate(32).putLong(seq);
		for (int i = 1; i <= 24; i++) {
			payload.put((byte) i);
		}
		return payload.array();
	}

	/** @return a predicate on events of the given name */
	public static Predicate<JsonNode> event(String event) {
		return node -> event.equals(node.path("event").asString());
	}

	/** @return a predicate on events of the given name about the given peer */
	public static Predicate<JsonNode> event(String event, String peerId) {
		return event(event).and(node -> peerId.equals(node.path("peerId").asString()));
	}

	/** @return this peer's id, {@code 12D3KooW...} */
	public String peerId() {
		return this.ready.path("peerId").asString();
	}

	/** @return the first address it listens on, with its {@code /p2p/} suffix */
	public String listenAddress() {
		JsonNode listen = this.ready.path("listen");
		if (listen.isEmpty()) {
			throw new IllegalStateException(this.name + " listens on no address");
		}
		return listen.get(0).asString();
	}

	/** @return where its output goes */
	public Path log() {
		return this.log;
	}

	/**
	 * Dials an address and waits until the connection is up (Noise and yamux negotiated).
	 * @param addr a multiaddr with a {@code /p2p/} suffix
	 * @return the remote peer id that the connection authenticated
	 */
	public String dial(String addr) {
		return request(command("dial").put("addr", addr), "dialed").path("peerId").asString();
	}

	/** @return the round-trip time of one {@code /ipfs/ping/1.0.0} ping, in milliseconds */
	public long ping(String peerId) {
		return request(command("ping").put("peerId", peerId), "pong").path("rtt").asLong();
	}

	/**
	 * What js's own identify of a new connection ({@code /ipfs/id/1.0.0}) learned of a peer;
	 * waits up to 10 s for it.
	 * @return what the peer told about itself
	 */
	public Identified identify(String peerId) {
		return identify(peerId, false);
	}

	/**
	 * Identifies a peer: with {@code again}, runs a new {@code /ipfs/id/1.0.0} on the open
	 * connection (js resets a second identify stream while its own one still runs: ask only after
	 * {@link #identify(String)} answered).
	 * @return what the peer told about itself
	 */
	public Identified identify(String peerId, boolean again) {
		JsonNode answer = request(command("identify").put("peerId", peerId).put("active", again), "identified");
		return new Identified(answer.path("agentVersion").asString(""), answer.path("protocolVersion").asString(""),
				strings(answer.path("protocols")), strings(answer.path("listenAddrs")),
				answer.hasNonNull("observedAddr") ? answer.get("observedAddr").asString() : null);
	}

	/**
	 * Sends numbered messages {@code start .. start+count-1} on the peer's outbound message stream
	 * and waits until js has written them to it.
	 */
	public void send(String peerId, int count, long start) {
		request(command("send").put("peerId", peerId).put("count", count).put("start", start), "sent");
	}

	/** Sends one message with the given payload, and waits until js has written it. */
	public void sendPayload(String peerId, byte[] payload) {
		request(command("send").put("peerId", peerId).put("hex", HexFormat.of().formatHex(payload)), "sent");
	}

	/** Closes every connection to a peer. */
	public void hangUp(String peerId) {
		request(command("hangup").put("peerId", peerId), "hungUp");
	}

	/** @return the sequence numbers of the numbered messages received from a peer, in order */
	public List<Long> messagesFrom(String peerId) {
		List<Long> seqs = this.sequences.getOrDefault(peerId, List.of());
		synchronized (seqs) {
			return List.copyOf(seqs);
		}
	}

	/** @return the payloads of the other messages received from a peer, in order */
	public List<byte[]> payloadsFrom(String peerId) {
		List<byte[]> received = this.payloads.getOrDefault(peerId, List.of());
		synchronized (received) {
			return List.copyOf(received);
		}
	}

	/** @return the events so far, in arrival order */
	public List<JsonNode> events() {
		return List.copyOf(this.events);
	}

	/** @return the {@code error} events so far */
	public List<JsonNode> errors() {
		return this.events.stream().filter(event("error")).toList();
	}

	/**
	 * Waits for an event (one that already arrived counts).
	 * @return the first matching event
	 * @throws IllegalStateException at once if the process ends first
	 */
	public JsonNode awaitEvent(Predicate<JsonNode> predicate, Duration timeout) {
		AtomicReference<@Nullable JsonNode> found = new AtomicReference<>();
		await().alias(this.name + " event (log " + this.log + ")")
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> {
				for (JsonNode event : this.events) {
					if (predicate.test(event)) {
						found.set(event);
						return true;
					}
				}
				checkAlive();
				return false;
			});
		return found.get();
	}

	private JsonNode request(ObjectNode command, String answer) {
		String id = command.path("id").asString();
		write(command);
		JsonNode event = awaitEvent(node -> id.equals(node.path("id").asString())
				&& (event(answer).test(node) || event("error").test(node)), TIMEOUT);
		if (event("error").test(event)) {
			throw new IllegalStateException(this.name + ": " + command.path("cmd").asString() + " failed: " + event);
		}
		return event;
	}

	private ObjectNode command(String cmd) {
		return JSON.createObjectNode().put("cmd", cmd).put("id", String.valueOf(this.ids.incrementAndGet()));
	}

	private synchronized void write(JsonNode command) {
		try {
			this.stdin.write(JSON.writeValueAsString(command) + "\n");
			this.stdin.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(this.name + " does not take commands (log " + this.log + ")", ex);
		}
	}

	private void checkAlive() {
		Throwable failure = this.readFailure.get();
		if (failure != null) {
			throw new IllegalStateException(this.name + ": reading its events failed", failure);
		}
		if (!this.process.isAlive()) {
			throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
					+ " (log " + this.log + ")");
		}
	}

	private void readEvents() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				OutputStream copy = Files.newOutputStream(this.log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				copy.write((line + "\n").getBytes(StandardCharsets.UTF_8));
				JsonNode event = JSON.readTree(line);
				if (event("message").test(event)) {
					received(event);
				}
				else {
					copy.flush();
				}
				this.events.add(event);
			}
		}
		catch (IOException | RuntimeException ex) {
			this.readFailure.set(ex);
		}
	}

	private void received(JsonNode event) {
		String from = event.path("peerId").asString();
		if (event.has("seq")) {
			List<Long> seqs = this.sequences.computeIfAbsent(from, peer -> new ArrayList<>());
			synchronized (seqs) {
				seqs.add(event.get("seq").asLong());
			}
		}
		else {
			List<byte[]> received = this.payloads.computeIfAbsent(from, peer -> new ArrayList<>());
			synchronized (received) {
				received.add(HexFormat.of().parseHex(event.path("hex").asString()));
			}
		}
	}

	private static List<String> strings(JsonNode array) {
		List<String> values = new ArrayList<>();
		array.values().forEach(value -> values.add(value.asString()));
		return values;
	}

	/** Asks the peer to stop, and kills it if it has not exited within 5 seconds. */
	@Override
	public void close() {
		try {
			write(command("stop"));
			this.stdin.close();
		}
		catch (IOException | UncheckedIOException ex) {
			// Already gone: nothing to stop.
		}
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What js-libp2p's identify learned of a peer.
	 * @param agentVersion the agent version, empty if none was sent
	 * @param protocolVersion the protocol version, empty if none was sent
	 * @param protocols the protocols it handles
	 * @param listenAddrs its listen addresses
	 * @param observedAddr the address it saw this js peer at, or {@code null}
	 */
	public record Identified(String agentVersion, String protocolVersion, List<String> protocols,
			List<String> listenAddrs, @Nullable String observedAddr) {
	}

}
