package org.btcfed.node.cli;

import java.io.IOException;
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
import java.util.Map;
import java.util.Optional;

import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.btcfed.node.reload.ReloadHistory;
import org.btcfed.node.reload.ReloadReport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the command line knows of a running node: its pid file, history file, port file and
 * admin token in the data dir, its process (signals via jnr-posix), and its actuator.
 */
final class NodeClient {

	static final String PID_FILE = "btcfed-node.pid";

	static final String PORT_FILE = "btcfed-node.port";

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final POSIX POSIX_API = POSIXFactory.getPOSIX();

	private final CliOptions options;

	private final Map<String, String> env;

	NodeClient(CliOptions options, Map<String, String> env) {
		this.options = options;
		this.env = env;
	}

	/** The running node's pid, if its pid file names a live process. */
	Optional<Long> runningPid() {
		Path file = this.options.dataDir().resolve(PID_FILE);
		try {
			long pid = Long.parseLong(Files.readString(file).trim());
			return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> pid);
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	/** Sends SIGHUP to a process. */
	void sendHangup(long pid) {
		if (POSIX_API.kill((int) pid, Signal.SIGHUP.intValue()) != 0) {
			throw new IllegalStateException("cannot signal process " + pid + " (errno " + POSIX_API.errno() + ")");
		}
	}

	/** The reports in the history file, oldest first. */
	List<ReloadReport> history() {
		Path file = this.options.dataDir().resolve(ReloadHistory.FILE_NAME);
		List<ReloadReport> reports = new ArrayList<>();
		try {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				try {
					reports.add(JSON.readValue(line, ReloadReport.class));
				}
				catch (JacksonException ex) {
					// A line being appended right now: it is read on the next poll.
				}
			}
		}
		catch (IOException ex) {
			return List.of();
		}
		return reports;
	}

	/** GETs an actuator path with the admin token. */
	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token())
			.GET()
			.build();
		return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
			.send(request, HttpResponse.BodyHandlers.ofString());
	}

	String baseUrl() throws IOException {
		int port = this.options.port();
		if (port == 0) {
			Path file = this.options.dataDir().resolve(PORT_FILE);
			if (!Files.exists(file)) {
				throw new IOException("no " + file + ": is the node running with --btcfed.data-dir="
						+ this.options.dataDir() + "? (or pass --server.port)");
			}
			port = Integer.parseInt(Files.readString(file).trim());
		}
		String host = this.options.host().contains(":") ? "[" + this.options.host() + "]" : this.options.host();
		return "http://" + host + ":" + port + "/actuator";
	}

	private String token() throws IOException {
		String fromEnv = this.env.get("BTCFED_ADMIN_TOKEN");
		if (fromEnv != null && !fromEnv.isBlank()) {
			return fromEnv.trim();
		}
		Path file = this.options.dataDir().resolve("admin.token");
		if (!Files.exists(file)) {
			throw new IOException("no admin token: set BTCFED_ADMIN_TOKEN or point --btcfed.data-dir at the node's data dir");
		}
		return Files.readString(file).trim();
	}

}
