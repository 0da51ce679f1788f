package org.btcfed.node.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jnr.constants.platform.Signal;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.btcfed.node.DataDir;
import org.btcfed.node.reload.report.ReloadReport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the command line knows of a running node: its pid file, history file, port file and
 * admin token in the data dir, its process (signals via jnr-posix), and its actuator.
 */
final class NodeClient {

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
		Path file = this.options.dataDir().resolve(DataDir.PID_FILE);
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
		Path file = this.options.dataDir().resolve(DataDir.HISTORY_FILE);
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

	/**
	 * GETs an actuator path with the admin token and reads its JSON answer. When no node answers,
	 * or something else does, the exception says which, where the port came from and what to do.
	 * @param path the path under {@code /actuator}
	 * @param field a field the node's answer always has
	 * @return the answer's body and its tree
	 * @throws IOException saying why the node could not be asked
	 * @throws InterruptedException when interrupted while waiting
	 */
	Answer getJson(String path, String field) throws IOException, InterruptedException {
		Target target = target();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + target.address() + "/actuator" + path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token())
			.GET()
			.build();
		HttpResponse<String> response;
		try {
			response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
				.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (ConnectException ex) {
			Optional<Long> pid = runningPid();
			String stale = (target.fromFile() && pid.isEmpty()) ? ", written by a node that is no longer running?" : "";
			String starting = pid.map(p -> " (pid " + p + " of " + this.options.dataDir().resolve(DataDir.PID_FILE)
					+ " is alive: if it is still starting, wait until it writes its port file)").orElse("");
			throw new IOException("no node answers on " + target.address() + " (" + target.source() + stale
					+ "); is the node running? start it, or pass --server.port" + starting);
		}
		catch (HttpTimeoutException ex) {
			throw new IOException(target.address() + " (" + target.source() + ") did not answer within 10 s; is it the node?");
		}
		catch (IOException ex) {
			throw new IOException("something answers on " + target.address() + " (" + target.source() + ") but it does"
					+ " not speak HTTP (" + Objects.requireNonNullElse(ex.getMessage(), ex.getClass().getSimpleName())
					+ "); it is not the node: pass --server.port");
		}
		return read(response, target, path, field);
	}

	/** The node's answer, or an exception naming what answered instead. */
	private static Answer read(HttpResponse<String> response, Target target, String path, String field)
			throws IOException {
		String notTheNode = "something answers on " + target.address() + " (" + target.source()
				+ ") but it is not the node's actuator: HTTP " + response.statusCode() + " for GET /actuator" + path;
		if (response.statusCode() == 401 || response.statusCode() == 403) {
			throw new IOException("HTTP " + response.statusCode() + " from " + target.address() + ": the admin token was"
					+ " refused; BTCFED_ADMIN_TOKEN, or " + DataDir.TOKEN_FILE + " in --btcfed.data-dir, must be this node's");
		}
		if (response.statusCode() != 200) {
			throw new IOException(notTheNode + "; pass --server.port");
		}
		try {
			JsonNode tree = JSON.readTree(response.body());
			if (tree.path(field).isMissingNode()) {
				throw new IOException(notTheNode + " without '" + field + "'; pass --server.port");
			}
			return new Answer(response.body(), tree);
		}
		catch (JacksonException ex) {
			throw new IOException(notTheNode + ", not JSON ("
					+ response.headers().firstValue("Content-Type").orElse("no Content-Type") + "); pass --server.port");
		}
	}

	/** A body and its tree. */
	record Answer(String body, JsonNode json) {
	}

	/** Where the node's HTTP API should be, and who said so. */
	private record Target(String address, String source, boolean fromFile) {
	}

	private Target target() throws IOException {
		String host = this.options.host().contains(":") ? "[" + this.options.host() + "]" : this.options.host();
		if (this.options.port() != 0) {
			return new Target(host + ":" + this.options.port(), "port from --server.port or SERVER_PORT", false);
		}
		Path file = this.options.dataDir().resolve(DataDir.PORT_FILE);
		if (!Files.exists(file)) {
			throw new IOException("no " + file + ": is the node running with --btcfed.data-dir=" + this.options.dataDir()
					+ "? (or pass --server.port)");
		}
		String port = Files.readString(file).trim();
		if (!port.matches("[0-9]{1,5}")) {
			throw new IOException(file + " does not hold a port number; pass --server.port");
		}
		return new Target(host + ":" + port, "port from " + file, true);
	}

	private String token() throws IOException {
		String fromEnv = this.env.get("BTCFED_ADMIN_TOKEN");
		if (fromEnv != null && !fromEnv.isBlank()) {
			return fromEnv.trim();
		}
		Path file = this.options.dataDir().resolve(DataDir.TOKEN_FILE);
		if (!Files.exists(file)) {
			throw new IOException("no admin token: set BTCFED_ADMIN_TOKEN or point --btcfed.data-dir at the node's data dir");
		}
		return Files.readString(file).trim();
	}

}
