package org.btcfed.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.awaitility.core.ConditionFactory;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.PeersYaml;
import org.btcfed.node.security.AdminToken;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A btcfed-node running as a child JVM from the packaged jar, for process-level integration
 * tests: real signals, real files, real HTTP on loopback. This class starts and stops the
 * process and owns its files; {@link NodeCommandLine} says how it is run, {@link ActuatorClient}
 * speaks HTTP to it and {@link ConfYaml} writes its conf.yaml.
 * <p>
 * A node lives in a root directory of its own ({@code config/}, {@code data/}, {@code work/} as
 * the working directory and {@code tmp/} as {@code java.io.tmpdir}), so that it leaves nothing
 * behind when the test's temporary directory goes. Its HTTP port is picked afresh at every
 * {@link #launch()}; its P2P listen address ({@code /ip4/127.0.0.1/tcp/<free port>}) is written
 * into a {@linkplain ConfYaml#defaults() default conf.yaml}, with an empty key that the node
 * generates at first start. The child runs with the build's coverage agent, which is why
 * {@link #close()} stops it with SIGTERM (the agent writes its data on a normal exit) and only
 * then forcibly.
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

	private final String name;

	private final Path root;

	private final List<String> jvmArguments = new ArrayList<>();

	private final ProcessOutput output = new ProcessOutput();

	private final ActuatorClient actuator = new ActuatorClient(() -> this.httpPort, this::token);

	private boolean nohup;

	private @Nullable Path sharedDataDir;

	private int runs;

	private int httpPort;

	private @Nullable Process process;

	private NodeProcess(String name, Path root) {
		this.name = name;
		this.root = root;
	}

	/**
	 * Prepares a node in {@code root}: its directories, the {@linkplain ConfYaml#defaults() default
	 * conf.yaml} and an empty peers.yaml. Nothing runs yet.
	 * @param root an empty directory the node may own
	 * @param name names the node's log copy in {@code target/it-logs}
	 * @return the node, not started
	 */
	public static NodeProcess create(Path root, String name) {
		NodeProcess node = new NodeProcess(name, root);
		try {
			for (String dir : List.of("config", "data", "work", "tmp")) {
				Files.createDirectories(root.resolve(dir));
			}
			node.writeConf(ConfYaml.defaults().listen(FreePorts.loopbackAddress()).render());
			PeersYaml.none().write(node.configDir());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return node;
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
		this.httpPort = FreePorts.pick();
		this.runs++;
		ProcessBuilder builder = new ProcessBuilder(command()).directory(workDir().toFile()).redirectErrorStream(true);
		// The token must come from the data dir, where the tests read it.
		builder.environment().remove(AdminToken.ENV);
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + builder.command(), ex);
		}
		Path logCopy = NodeCommandLine.logDir().resolve(this.name + "-" + this.runs + ".log");
		this.output.follow(this.process, logCopy, this.name);
		return this;
	}

	private List<String> command() {
		return NodeCommandLine.of(this.nohup, this.root.resolve("tmp"), this.jvmArguments,
				List.of("--btcfed.config-dir=" + configDir(), "--btcfed.data-dir=" + dataDir(),
						"--server.address=127.0.0.1", "--server.port=" + this.httpPort));
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
			this.output.awaitEnd(Duration.ofSeconds(10));
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
			this.output.awaitEnd(Duration.ofSeconds(5));
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
		return this.output.text();
	}

	/**
	 * @param text a text
	 * @return how often it occurs in the output so far
	 */
	public int occurrences(String text) {
		return this.output.occurrences(text);
	}

	/** @return the node's actuator, on the HTTP port of the current run */
	public ActuatorClient actuator() {
		return this.actuator;
	}

	/** @return the admin token the node wrote into its data dir */
	public String token() {
		return read(dataDir().resolve(DataDir.TOKEN_FILE)).trim();
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
		return configDir().resolve(ConfigLoader.CONF_FILE);
	}

	/** @return the node's pid file */
	public Path pidFile() {
		return dataDir().resolve(DataDir.PID_FILE);
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

}
