package org.btcfed.node;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A btcfed-node running as a child JVM from the packaged jar, for process-level integration
 * tests: real signals, real files, real HTTP on loopback.
 * <p>
 * A node lives in a root directory of its own ({@code config/}, {@code data/}, {@code work/} as
 * the working directory and {@code tmp/} as {@code java.io.tmpdir}), so that it leaves nothing
 * behind when the test's temporary directory goes. Its HTTP port is picked afresh at every
 * {@link #launch()}; its P2P listen address ({@code /ip4/127.0.0.1/tcp/<free port>}) is written
 * into the {@linkplain #defaultConf(int) default conf.yaml}. The child gets the JaCoCo agent of
 * the build ({@code btcfed.test.childAgent}) so that what it runs counts towards coverage, which
 * is why {@link #close()} stops it with SIGTERM (the agent writes its data on a normal exit) and
 * only then forcibly.
 * <p>
 * Everything the child prints (stdout and stderr) is captured for assertions and also copied to
 * {@code target/it-logs/<name>-<run>.log} for post-mortems. Waiting is done with Awaitility,
 * never by sleeping. Not thread-safe, except {@link #output()}, which the output reader fills.
 */
public final class NodeProcess implements AutoCloseable {

	/** What the node logs once it is ready. */
	public static final String READY = "btcfed-node ready: config sha256:";

	/** What the node logs, once, when SIGHUP cannot be handled. */
	public static final String SIGHUP_UNAVAILABLE = "SIGHUP reload is not available";

	/** Longest start-up the tests accept (a slow, shared 2-core box with the coverage agent). */
	public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String name;

	private final Path root;

	private final int p2pPort;

	private final List<String> jvmArguments = new ArrayList<>();

	private final StringBuffer output = new StringBuffer();

	private boolean nohup;

	private @Nullable Path sharedDataDir;

	private int runs;

	private int httpPort;

	private @Nullable Process process;

	private @Nullable Thread reader;

	private NodeProcess(String name, Path root, int p2pPort) {
		this.name = name;
		this.root = root;
		this.p2pPort = p2pPort;
	}

	/**
	 * Prepares a node in {@code root}: its directories, the {@linkplain #defaultConf(int) default
	 * conf.yaml} and an empty peers.yaml. Nothing runs yet.
	 * @param root an empty directory the node may own
	 * @param name names the node's log copy in {@code target/it-logs}
	 * @return the node, not started
	 */
	public static NodeProcess create(Path root, String name) {
		NodeProcess node = new NodeProcess(name, root, freePort());
		try {
			for (String dir : List.of("config", "data", "work", "tmp")) {
				Files.createDirectories(root.resolve(dir));
			}
			node.writeConf(defaultConf(node.p2pPort));
			Files.writeString(node.configDir().resolve("peers.yaml"), "peers: []\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return node;
	}

	/**
	 * A valid conf.yaml with an empty key (generated at first start), {@code logging.level: info},
	 * text logs on the console and {@code network.max_connections: 128}.
	 * @param p2pPort the port of the loopback listen address
	 * @return the file's content
	 */
	private static String defaultConf(int p2pPort) {
		return """
				node:
				  private_key: ""
				network:
				  addresses:
				    - /ip4/127.0.0.1/tcp/%d
				  max_connections: 128
				peers:
				  connection_timeout: 10s
				logging:
				  level: info
				  format: text
				  console_output: true
				protocol:
				  ping_interval: 30s
				""".formatted(p2pPort);
	}

	/**
	 * Adds a JVM argument for the next launches, e.g. {@code -Xrs}.
	 * @param argument the argument
	 * @return this node
	 */
	public NodeProcess withJvmArgument(String argument) {
		this.jvmArguments.add(argument);
		return this;
	}

	/**
	 * Makes this node use another node's data dir, as an operator's mistake would.
	 * @param other the node whose data dir to use
	 * @return this node
	 */
	public NodeProcess sharingDataDirOf(NodeProcess other) {
		this.sharedDataDir = other.dataDir();
		return this;
	}

	/**
	 * Makes the next launches run under {@code nohup} (which execs the JVM, so the pid is the same).
	 * @return this node
	 */
	public NodeProcess underNohup() {
		this.nohup = true;
		return this;
	}

	/**
	 * Launches the node and waits until it is ready.
	 * @return this node
	 */
	public NodeProcess start() {
		launch();
		awaitReady();
		return this;
	}

	/**
	 * Launches the node without waiting for anything. Output of an earlier run is discarded.
	 * @return this node
	 */
	public NodeProcess launch() {
		assertThat(this.process == null || !this.process.isAlive()).as("node %s already runs", this.name).isTrue();
		this.httpPort = freePort();
		this.output.setLength(0);
		this.runs++;
		ProcessBuilder builder = new ProcessBuilder(command()).directory(workDir().toFile()).redirectErrorStream(true);
		// The token must come from the data dir, where the tests read it.
		builder.environment().remove("BTCFED_ADMIN_TOKEN");
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + builder.command(), ex);
		}
		this.reader = new Thread(this::copyOutput, "node-output-" + this.name);
		this.reader.setDaemon(true);
		this.reader.start();
		return this;
	}

	private List<String> command() {
		List<String> command = new ArrayList<>();
		if (this.nohup) {
			command.add("nohup");
		}
		else if (sighupIgnoredHere()) {
			// An ignored signal stays ignored across exec: undo what e.g. a CI runner under nohup did to us.
			command.addAll(List.of("env", "--default-signal=HUP"));
		}
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		String agent = childAgent();
		if (agent != null) {
			command.add(agent);
		}
		// C1 only: a child JVM starts noticeably faster on a small box and runs too briefly for C2.
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-Djava.io.tmpdir=" + this.root.resolve("tmp"));
		command.addAll(this.jvmArguments);
		command.addAll(List.of("-jar", jar().toString(), "--btcfed.config-dir=" + configDir(),
				"--btcfed.data-dir=" + dataDir(), "--server.address=127.0.0.1", "--server.port=" + this.httpPort));
		return command;
	}

	/** Whether this JVM runs with SIGHUP ignored, which its children would inherit (Linux only). */
	private static boolean sighupIgnoredHere() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("SigIgn:")) {
					return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 1) != 0;
				}
			}
		}
		catch (IOException ex) {
			// No /proc: nothing to undo that we could detect.
		}
		return false;
	}

	/**
	 * The build's JaCoCo agent argument, if coverage is on. Limited to the node's own classes
	 * (unless the build says otherwise): instrumenting every Spring class costs each child about
	 * a second and a half of start-up, and only the node's classes are reported.
	 */
	private static @Nullable String childAgent() {
		String agent = System.getProperty("btcfed.test.childAgent", "").trim();
		if (agent.isEmpty() || agent.contains("${")) {
			return null;
		}
		if (agent.contains("includes=")) {
			return agent;
		}
		return agent + (agent.contains("=") ? "," : "=") + "includes=org.btcfed.*";
	}

	private static Path jar() {
		Path jar = Path.of(System.getProperty("btcfed.test.jar", "target/btcfed-node.jar")).toAbsolutePath();
		assertThat(jar).as("the packaged node (run 'mvn verify')").isRegularFile();
		return jar;
	}

	private void copyOutput() {
		Path logs = jar().getParent().resolve("it-logs");
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				BufferedWriter copy = Files.newBufferedWriter(
						Files.createDirectories(logs).resolve(this.name + "-" + this.runs + ".log"))) {
			String line;
			while ((line = in.readLine()) != null) {
				this.output.append(line).append('\n');
				copy.write(line);
				copy.newLine();
				copy.flush();
			}
		}
		catch (IOException ex) {
			this.output.append("[NodeProcess] output reader failed: ").append(ex).append('\n');
		}
	}

	/**
	 * Waits until the node logs that it is ready; fails at once if it exits meanwhile.
	 */
	public void awaitReady() {
		awaitOutput(READY);
	}

	/**
	 * Waits until the node's output contains a text; fails at once if the node exits meanwhile.
	 * @param text the text
	 */
	public void awaitOutput(String text) {
		explained(() -> waiting().failFast("the node exited", () -> !this.process.isAlive())
			.until(() -> output().contains(text)), "'" + text + "' in the output");
	}

	/**
	 * Waits for the node to exit by itself.
	 * @param timeout how long to wait
	 * @return its exit status
	 */
	public int awaitExit(Duration timeout) {
		try {
			boolean exited = this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(exited).as("node %s exited within %s; output:%n%s", this.name, timeout, output()).isTrue();
			this.reader.join(TimeUnit.SECONDS.toMillis(10));
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Stops the node as an operator does: SIGTERM, then waits for it to exit.
	 * @return its exit status
	 */
	public int stop() {
		signal("TERM");
		return awaitExit(Duration.ofSeconds(30));
	}

	/**
	 * Sends a real signal with {@code kill}.
	 * @param signal its name without {@code SIG}, e.g. {@code HUP}
	 */
	public void signal(String signal) {
		run("kill", "-" + signal, Long.toString(pid()));
	}

	/**
	 * Runs a command to its end and asserts that it succeeded, e.g. a {@code sh -c} loop of signals.
	 * @param command the command
	 */
	public static void run(String... command) {
		try {
			Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
			String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("%s ended", List.of(command)).isTrue();
			assertThat(child.exitValue()).as("exit status of %s; it printed: %s", List.of(command), printed)
				.isZero();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Stops the node if it still runs: SIGTERM first (so the coverage agent writes its data),
	 * forcibly when that does not end it. Safe to call more than once and after a failure.
	 */
	@Override
	public void close() {
		if (this.process == null) {
			return;
		}
		try {
			if (this.process.isAlive()) {
				this.process.destroy();
				if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
				}
			}
			this.reader.join(TimeUnit.SECONDS.toMillis(5));
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	/** @return the child's pid (the JVM's, also under {@code nohup}, which execs it) */
	public long pid() {
		return this.process.pid();
	}

	/** @return whether the child runs */
	public boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** @return everything the current run printed so far, stdout and stderr interleaved */
	public String output() {
		return this.output.toString();
	}

	/**
	 * @param text a text
	 * @return how often it occurs in the output so far
	 */
	public int occurrences(String text) {
		String all = output();
		int count = 0;
		for (int at = all.indexOf(text); at >= 0; at = all.indexOf(text, at + text.length())) {
			count++;
		}
		return count;
	}

	/** @return the admin token the node wrote into its data dir */
	public String token() {
		return read(dataDir().resolve("admin.token")).trim();
	}

	/** @return the node's config dir */
	public Path configDir() {
		return this.root.resolve("config");
	}

	/** @return the node's data dir */
	public Path dataDir() {
		return (this.sharedDataDir != null) ? this.sharedDataDir : this.root.resolve("data");
	}

	/** @return the node's working directory */
	public Path workDir() {
		return this.root.resolve("work");
	}

	/** @return the node's conf.yaml */
	public Path confFile() {
		return configDir().resolve("conf.yaml");
	}

	/** @return the node's pid file */
	public Path pidFile() {
		return dataDir().resolve("btcfed-node.pid");
	}

	/** @return conf.yaml's content */
	public String readConf() {
		return read(confFile());
	}

	/**
	 * Replaces conf.yaml's content, in place (as an editor does, keeping the file's permissions).
	 * @param content the new content
	 */
	public void writeConf(String content) {
		try {
			Files.writeString(confFile(), content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Edits conf.yaml, e.g. {@code text -> text.replace("level: info", "level: debug")}.
	 * @param edit what to change; must change something
	 * @return the new content
	 */
	public String editConf(UnaryOperator<String> edit) {
		String before = readConf();
		String after = edit.apply(before);
		assertThat(after).as("the edit changes conf.yaml").isNotEqualTo(before);
		writeConf(after);
		return after;
	}

	/**
	 * {@code GET} with the admin token.
	 * @param path e.g. {@code /actuator/hotreload?limit=5}
	 * @return the response
	 */
	public HttpResponse<String> get(String path) {
		return send(request(path).header("Authorization", "Bearer " + token()).GET());
	}

	/**
	 * {@code GET} without a token.
	 * @param path e.g. {@code /actuator/health}
	 * @return the response
	 */
	public HttpResponse<String> getAnonymously(String path) {
		return send(request(path).GET());
	}

	/**
	 * {@code POST} with the admin token and no body.
	 * @param path e.g. {@code /actuator/hotreload?dryRun=true}
	 * @return the response
	 */
	public HttpResponse<String> post(String path) {
		return send(request(path).header("Authorization", "Bearer " + token())
			.POST(HttpRequest.BodyPublishers.noBody()));
	}

	/**
	 * {@code GET /actuator/hotreload}, with up to 200 reports, asserting a 200.
	 * @return the engine's state, versions and history (newest first)
	 */
	public JsonNode hotreload() {
		HttpResponse<String> response = get("/actuator/hotreload?limit=200");
		assertThat(response.statusCode()).as("GET /actuator/hotreload: %s", response.body()).isEqualTo(200);
		return json(response.body());
	}

	/**
	 * @param text JSON
	 * @return the parsed tree
	 */
	public static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
			.timeout(Duration.ofSeconds(30));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Awaitility, set up for a node: {@link #START_TIMEOUT} at most, polling every 50 ms.
	 * @return the condition factory
	 */
	public static ConditionFactory waiting() {
		return await().atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50));
	}

	/** Runs a wait and, if it fails, says what was awaited and what the node printed. */
	private void explained(Runnable wait, String what) {
		try {
			wait.run();
		}
		catch (RuntimeException | AssertionError ex) {
			throw new AssertionError("Waiting for " + what + " from node " + this.name + " failed: " + ex.getMessage()
					+ "\n--- node output ---\n" + output(), ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
