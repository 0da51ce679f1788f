package org.btcfed.node.cli;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.btcfed.node.DataDir;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfigError;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.ValidationPipeline;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import tools.jackson.databind.JsonNode;

/**
 * {@code java -jar btcfed-node.jar <command> [options]}: the node's admin commands. Exit codes:
 * 0 success (config valid; reload SUCCEEDED or NO_CHANGE), 1 invalid configuration (REJECTED),
 * 2 the command line is wrong, 3 ROLLED_BACK, 4 FAILED, 5 the node cannot be reached.
 */
public final class AdminCli {

	/** The commands, as the first argument. */
	public static final List<String> COMMANDS = List.of("validate", "reload", "status", "history", "keygen", "help");

	private static final Set<String> HELP = Set.of("help", "--help", "-h");

	public static final int OK = 0;

	public static final int INVALID = 1;

	public static final int USAGE = 2;

	public static final int ROLLED_BACK = 3;

	public static final int FAILED = 4;

	public static final int UNAVAILABLE = 5;

	private final CliOptions options;

	private final NodeClient node;

	private final PrintStream out;

	private final PrintStream err;

	private AdminCli(CliOptions options, Map<String, String> env, PrintStream out, PrintStream err) {
		this.options = options;
		this.node = new NodeClient(options, env);
		this.out = out;
		this.err = err;
	}

	/**
	 * Whether a command line is for the admin commands rather than for starting the node: a first
	 * argument that is not an option ({@code --...}), or {@code --help}. A mistyped command is
	 * therefore an error here; it never starts a node.
	 * @param args the JVM's arguments
	 * @return {@code true} to {@link #run run} them, {@code false} to start the node
	 */
	public static boolean handles(String[] args) {
		return args.length > 0 && (!args[0].startsWith("--") || HELP.contains(args[0]));
	}

	/**
	 * Runs a command.
	 * @param args the command and its options
	 * @param env the environment
	 * @param out standard output
	 * @param err standard error
	 * @return the exit code
	 */
	public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
		// Help is a usage text like any other: exit 2, so that a script that ran it by mistake
		// (say, a command it mistyped as --help) does not carry on as if a command had run.
		if (args.length == 0 || HELP.contains(args[0])) {
			out.print(Usage.TEXT);
			return USAGE;
		}
		if ("keygen".equals(args[0])) {
			return Keygen.run(Arrays.asList(args).subList(1, args.length), out, err);
		}
		if (!COMMANDS.contains(args[0])) {
			err.print(Usage.unknownCommand(args[0]));
			return USAGE;
		}
		if (Arrays.stream(args).anyMatch(Set.of("--help", "-h")::contains)) {
			out.print(Usage.TEXT);
			return USAGE;
		}
		CliOptions options;
		try {
			options = CliOptions.parse(Arrays.asList(args), env);
		}
		catch (IllegalArgumentException ex) {
			err.println("btcfed-node " + args[0] + ": " + ex.getMessage() + " (see: java -jar btcfed-node.jar help)");
			return USAGE;
		}
		AdminCli cli = new AdminCli(options, env, out, err);
		try {
			return switch (options.command()) {
				case "validate" -> cli.validate();
				case "reload" -> cli.reload();
				case "status" -> cli.status();
				case "history" -> cli.history();
				default -> throw new IllegalStateException("no command " + options.command());
			};
		}
		catch (Exception ex) {
			err.println("btcfed-node " + options.command() + ": "
					+ Objects.requireNonNullElse(ex.getMessage(), ex.getClass().getSimpleName()));
			return UNAVAILABLE;
		}
	}

	/**
	 * Validates the config dir through the {@link ValidationPipeline} start-up and reload use:
	 * the same stages, the same errors. With a node running, the addresses it holds are not probed.
	 */
	int validate() {
		boolean running = this.node.runningPid().isPresent();
		NodeProperties properties = new NodeProperties();
		properties.setConfigDir(this.options.configDir());
		properties.setDataDir(this.options.dataDir());
		ValidationPipeline.Result result = properties.validationPipeline(new ConfigLoader(this.options.configDir()), warning -> this.err.println("warning: " + warning))
			.validate(List.of(), null, staged -> running ? heldByRunningNode(staged) : Set.of(), true);
		if (!result.isValid()) {
			return invalid(result.errors());
		}
		ConfigSnapshot snapshot = result.orThrow().snapshot();
		boolean holdsKey = snapshot.config().node().key() != null;
		this.out.println("configuration OK: " + this.options.configDir().resolve(ConfigLoader.CONF_FILE) + " and "
				+ ConfigLoader.PEERS_FILE + ", version " + snapshot.version() + ", " + snapshot.peers().size()
				+ " peer(s)" + (holdsKey ? "" : "; node.private_key is empty: a key is generated at first start")
				+ (running ? " (a node is running: the addresses it listens on were not probed)" : ""));
		return OK;
	}

	/**
	 * The addresses the running node listens on, from its peers endpoint, so that only new ones
	 * are probed; when it cannot be asked, none are probed.
	 */
	private Set<Multiaddr> heldByRunningNode(ConfigSnapshot snapshot) {
		try {
			Set<Multiaddr> held = new HashSet<>();
			for (JsonNode address : this.node.getJson("/peers", "node").json().path("node").path("listening")) {
				held.add(Multiaddr.parse(address.asString()));
			}
			return held;
		}
		catch (Exception ex) {
			// Not reachable (no token, no port file): fall through.
		}
		return Set.copyOf(snapshot.config().network().addresses());
	}

	private int invalid(List<ConfigError> errors) {
		this.err.println("configuration invalid (" + errors.size() + " error(s)):");
		errors.forEach(error -> this.err.println("  " + error.describe()));
		return INVALID;
	}

	/** Sends SIGHUP to the running node and waits for the report of the reload it started. */
	int reload() {
		Optional<Long> pid = this.node.runningPid();
		if (pid.isEmpty()) {
			this.err.println("btcfed-node reload: no node is running (no live pid in "
					+ this.options.dataDir().resolve(DataDir.PID_FILE) + ")");
			return UNAVAILABLE;
		}
		long lastId = this.node.history().stream().mapToLong(ReloadReport::id).max().orElse(0);
		// A reload already running read the files before this command: only a later one answers it.
		Instant sent = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		this.node.sendHangup(pid.get());
		long deadline = System.nanoTime() + this.options.timeout().toNanos();
		while (System.nanoTime() < deadline) {
			Optional<ReloadReport> report = this.node.history()
				.stream()
				.filter(r -> r.id() > lastId && r.trigger() == ReloadTrigger.SIGNAL
						&& !Instant.parse(r.startedAt()).isBefore(sent))
				.findFirst();
			if (report.isPresent()) {
				print(report.get());
				return exitCode(report.get().status());
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
		this.err.println("btcfed-node reload: SIGHUP sent to " + pid.get() + ", but no report within "
				+ this.options.timeout().toSeconds() + " s (see the node's log)");
		return UNAVAILABLE;
	}

	static int exitCode(ReloadStatus status) {
		return switch (status) {
			case SUCCEEDED, NO_CHANGE, VALIDATED -> OK;
			case REJECTED -> INVALID;
			case ROLLED_BACK -> ROLLED_BACK;
			case FAILED -> FAILED;
		};
	}

	private void print(ReloadReport report) {
		if (this.options.json()) {
			this.out.println(NodeClient.JSON.writeValueAsString(report));
			return;
		}
		this.out.println("reload #" + report.id() + " " + report.status() + " in " + report.durationMs() + " ms, version "
				+ report.version());
		for (ConfigChange change : report.changes()) {
			this.out.println("  " + change.change() + " " + change.key() + ": " + change.from() + " -> " + change.to());
		}
		report.components().forEach(c -> this.out.println("  component " + c.name() + ": " + c.action()));
		report.errors().forEach(e -> this.out.println("  " + e.describe()));
	}

	/** The engine's state and the last report, from the endpoint. */
	int status() throws Exception {
		NodeClient.Answer answer = this.node.getJson("/hotreload?limit=1", "state");
		if (this.options.json()) {
			this.out.println(answer.body());
		}
		JsonNode body = answer.json();
		String state = body.path("state").asString();
		if (!this.options.json()) {
			this.out.println("state " + state + ", version " + body.path("version").asString());
			JsonNode last = body.path("history").path(0);
			if (!last.isMissingNode()) {
				this.out.println("last reload #" + last.path("id").asLong() + " (" + last.path("trigger").asString() + ") "
						+ last.path("status").asString() + " at " + last.path("startedAt").asString());
			}
		}
		return "FAILED".equals(state) ? FAILED : OK;
	}

	/** The recent reports, newest first. */
	int history() throws Exception {
		NodeClient.Answer answer = this.node.getJson("/hotreload?limit=" + this.options.limit(), "history");
		if (this.options.json()) {
			this.out.println(answer.body());
			return OK;
		}
		for (JsonNode report : answer.json().path("history")) {
			this.out.printf("#%-5d %-24s %-10s %-11s %8.3f ms  %d change(s) %d error(s)%n", report.path("id").asLong(),
					report.path("startedAt").asString(), report.path("trigger").asString(), report.path("status").asString(),
					report.path("durationMs").asDouble(), report.path("changes").size(), report.path("errors").size());
		}
		return OK;
	}

}
