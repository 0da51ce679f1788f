package org.btcfed.node.reload.actuator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.btcfed.node.DataDir;
import org.btcfed.node.SpringBootTestNode;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.context.config.annotation.RefreshScope;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.endpoint.event.RefreshEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole node in one Spring context on a random loopback port, driven over real HTTP: the
 * endpoint's status codes and JSON, the bearer token, secrets, the Spring integration, and a
 * rollback across the real logging component and a fault-injecting one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HotReloadEndpointTests {

	static final String KEY = NodeKey.generate().encoded();

	static final SpringBootTestNode NODE = SpringBootTestNode.create("hotreload-endpoint", KEY);

	static final Path DATA = NODE.dataDir();

	@LocalServerPort
	int port;

	@Autowired
	ReloadCoordinator coordinator;

	@Autowired
	Environment environment;

	@Autowired
	ApplicationEventPublisher publisher;

	@Autowired
	RefreshScopedSettings refreshScoped;

	@Autowired
	ChangeEvents changeEvents;

	@Autowired
	TestComponent faulty;

	@Autowired
	ReloadMetrics metrics;

	static final JsonMapper JSON = JsonMapper.builder().build();

	final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		NODE.register(registry);
	}

	static void writeConf(String level, String key, String pingInterval) {
		NODE.writeConf(level, key, pingInterval);
	}

	@BeforeEach
	void resetConfig() {
		this.faulty.failApply = false;
		writeConf("info", KEY, "30s");
		post("", null);
	}

	private String token() {
		return NODE.token();
	}

	private HttpResponse<String> post(String query, String ifMatch) {
		return NODE.actuator(this.port).post("/actuator/hotreload" + query, ifMatch);
	}

	private HttpResponse<String> get(String path, String token) {
		return NODE.actuator(this.port).get(path, token);
	}

	@Test
	void postWithoutTokenShouldBe401AndRunNothing() throws Exception {
		int before = this.coordinator.history().recent(1000).size();
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/hotreload"))
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
		assertThat(get("/actuator/hotreload", "wrong-token").statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
		assertThat(this.coordinator.history().recent(1000)).hasSize(before);
	}

	@Test
	void healthShouldBeOpenAndShowComponentsOnlyWithToken() throws Exception {
		HttpResponse<String> open = get("/actuator/health", null);
		assertThat(open.statusCode()).isEqualTo(200);
		assertThat(open.body()).contains("\"status\":\"UP\"").doesNotContain("hotreload");
		HttpResponse<String> detailed = get("/actuator/health", token());
		assertThat(detailed.body()).contains("\"hotreload\"").contains("\"state\":\"IDLE\"");
	}

	@Test
	void healthWithWrongTokenShouldAnswerAsWithoutToken() throws Exception {
		for (String path : List.of("/actuator/health", "/actuator/health/hotreload")) {
			HttpResponse<String> open = get(path, null);
			HttpResponse<String> wrong = get(path, "wrong-or-expired-token");
			assertThat(wrong.statusCode()).as(path).isEqualTo(open.statusCode());
			assertThat(wrong.body()).as(path).isEqualTo(open.body()).doesNotContain("wrong-or-expired-token");
			assertThat(wrong.headers().firstValue("WWW-Authenticate")).as(path).isEmpty();
		}
		assertThat(get("/actuator/health", "wrong-or-expired-token").body()).contains("\"status\":\"UP\"")
			.doesNotContain("\"components\"", "hotreload");
		assertThat(get("/actuator/health/hotreload", token()).body()).contains("\"state\":\"IDLE\"");
		assertThat(get("/actuator/hotreload", "wrong-or-expired-token").statusCode()).isEqualTo(401);
	}

	@Test
	void postWhenLevelChangedShouldSucceedAndUpdateSpring() throws Exception {
		this.changeEvents.keys.clear();
		writeConf("debug", KEY, "30s");
		HttpResponse<String> response = post("", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"SUCCEEDED\"", "\"trigger\":\"HTTP\"",
				"{\"key\":\"logging.level\",\"change\":\"MODIFIED\",\"from\":\"info\",\"to\":\"debug\"}",
				"{\"name\":\"logging\",\"action\":\"UPDATED\"");
		assertThat(this.environment.getProperty("btcfed.logging.level")).isEqualTo("debug");
		assertThat(this.refreshScoped.level()).isEqualTo("debug");
		assertThat(this.changeEvents.keys).contains("btcfed.logging.level");
		assertThat(rootLevel()).isEqualTo(Level.DEBUG);
	}

	@Test
	void postWhenNothingChangedShouldReportNoChange() throws Exception {
		HttpResponse<String> response = post("", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"NO_CHANGE\"");
	}

	@Test
	void postWithDryRunShouldValidateWithoutApplying() throws Exception {
		String before = this.coordinator.active().version();
		writeConf("warn", KEY, "30s");
		HttpResponse<String> response = post("?dryRun=true", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"status\":\"VALIDATED\"", "\"action\":\"PLANNED\"");
		assertThat(this.coordinator.active().version()).isEqualTo(before);
		assertThat(rootLevel()).isEqualTo(Level.INFO);
		assertThat(this.environment.getProperty("btcfed.logging.level")).isEqualTo("info");
	}

	@Test
	void dryRunWhenConfigInvalidShouldLeaveLastReloadMetricsAloneAndBeRecordedAsDryRun() throws Exception {
		// The last success at a known time, long ago: a dry run that moved it would show.
		String running = this.coordinator.active().version();
		this.metrics.onReport(new ReloadReport(0, ReloadTrigger.HTTP, false, ReloadStatus.SUCCEEDED, running, running,
				"2026-01-01T00:00:00Z", 1.0, Map.of(), List.of(), List.of(), List.of()));
		String before = get("/actuator/prometheus", token()).body();
		assertThat(gauge(before, "hotreload_config_last_reload_successful")).isEqualTo(1.0);
		writeConf("loud", KEY, "30s");
		HttpResponse<String> rejected = post("?dryRun=true", null);
		assertThat(rejected.statusCode()).isEqualTo(422);
		assertThat(rejected.body()).contains("\"dryRun\":true", "\"status\":\"REJECTED\"");
		writeConf("info", KEY, "30s");
		assertThat(post("?dryRun=true", null).body()).contains("\"dryRun\":true", "\"status\":\"NO_CHANGE\"");
		String after = get("/actuator/prometheus", token()).body();
		// deploy/prometheus/alerts.yaml's BtcfedConfigReloadFailed fires on this gauge being 0.
		assertThat(gauge(after, "hotreload_config_last_reload_successful")).isEqualTo(1.0);
		assertThat(gauge(after, "hotreload_config_last_reload_success_timestamp_seconds"))
			.isEqualTo(gauge(before, "hotreload_config_last_reload_success_timestamp_seconds"));
		assertThat(after).contains("hotreload_dry_runs_total{status=\"REJECTED\",trigger=\"HTTP\"}")
			.doesNotContain("hotreload_reloads_total{status=\"VALIDATED\"");
		long id = this.coordinator.history().recent(1).get(0).id();
		assertThat(get("/actuator/hotreload?limit=2", token()).body()).contains("\"id\":" + id + ",\"trigger\":\"HTTP\",\"dryRun\":true",
				"\"id\":" + (id - 1) + ",\"trigger\":\"HTTP\",\"dryRun\":true");
		List<String> lines = Files.readAllLines(DATA.resolve(DataDir.HISTORY_FILE));
		assertThat(lines.get(lines.size() - 1)).contains("\"id\":" + id + ",", "\"dryRun\":true");
		assertThat(lines.get(lines.size() - 3)).contains("\"dryRun\":false");
	}

	private static double gauge(String prometheus, String name) {
		return prometheus.lines()
			.filter(line -> line.startsWith(name + " "))
			.mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + name + " in " + prometheus));
	}

	@Test
	void postWhenConfigInvalidShouldBe422WithLocation() throws Exception {
		writeConf("loud", KEY, "30s");
		HttpResponse<String> response = post("", null);
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).contains("\"status\":\"REJECTED\"", "\"key\":\"logging.level\"",
				"\"file\":\"conf.yaml\"", "\"line\":6", "\"column\":10");
	}

	@Test
	void postWithStaleIfMatchShouldBe412AndApplyNothing() throws Exception {
		String running = this.coordinator.active().version();
		writeConf("debug", KEY, "30s");
		HttpResponse<String> stale = post("", "\"sha256:0000\"");
		assertThat(stale.statusCode()).isEqualTo(412);
		assertThat(stale.body()).contains(running);
		assertThat(this.coordinator.active().version()).isEqualTo(running);
		assertThat(post("", running).statusCode()).isEqualTo(200);
	}

	@Test
	void postWithIfMatchAnyShouldRunWhateverVersionRuns() throws Exception {
		writeConf("debug", KEY, "30s");
		HttpResponse<String> any = post("", "*");
		assertThat(any.statusCode()).as(any.body()).isEqualTo(200);
		assertThat(any.body()).contains("\"status\":\"SUCCEEDED\"");
		assertThat(rootLevel()).isEqualTo(Level.DEBUG);
		writeConf("info", KEY, "30s");
		assertThat(post("", "\"" + this.coordinator.active().version() + "\"").statusCode()).isEqualTo(200);
		assertThat(post("", "\"sha256:0000\"").statusCode()).isEqualTo(412);
	}

	@Test
	void badParametersShouldBe400ProblemsAndRunNothing() throws Exception {
		int before = this.coordinator.history().recent(1000).size();
		for (String query : List.of("?dryRun=maybe", "?dryRun=", "?dryRun=1")) {
			JsonNode problem = assertProblem(post(query, null), 400, "invalid-parameter", "/actuator/hotreload");
			assertThat(problem.path("detail").asString()).as(query).contains("dryRun must be true or false");
		}
		for (String query : List.of("?limit=-1", "?limit=abc", "?limit=99999999999")) {
			JsonNode problem = assertProblem(get("/actuator/hotreload" + query, token()), 400, "invalid-parameter",
					"/actuator/hotreload");
			assertThat(problem.path("detail").asString()).as(query).contains("limit must be a whole number, 0 or more");
		}
		assertThat(this.coordinator.history().recent(1000)).hasSize(before);
	}

	@Test
	void missingOrWrongTokenShouldBe401ProblemsWithBearerChallenge() throws Exception {
		String wrong = "not-the-admin-token-0123456789";
		for (String path : List.of("/actuator/hotreload", "/actuator/peers", "/actuator/prometheus")) {
			HttpResponse<String> missing = get(path, null);
			JsonNode problem = assertProblem(missing, 401, "unauthorized", path);
			assertThat(problem.path("detail").asString()).contains("Authorization: Bearer", DataDir.TOKEN_FILE);
			assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"btcfed-node\"");
			HttpResponse<String> rejected = get(path, wrong);
			assertThat(assertProblem(rejected, 401, "unauthorized", path).path("detail").asString())
				.contains("not this node's admin token");
			assertThat(rejected.body()).doesNotContain(wrong).doesNotContain(token());
			assertThat(rejected.headers().firstValue("WWW-Authenticate"))
				.hasValue("Bearer realm=\"btcfed-node\", error=\"invalid_token\"");
		}
		HttpResponse<String> post = this.http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/hotreload?dryRun=true"))
					.header("Authorization", "Bearer " + wrong)
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(),
				HttpResponse.BodyHandlers.ofString());
		assertProblem(post, 401, "unauthorized", "/actuator/hotreload");
	}

	@Test
	void unknownReportShouldBe404Problem() throws Exception {
		JsonNode unknown = assertProblem(get("/actuator/hotreload/999999", token()), 404, "unknown-report",
				"/actuator/hotreload/999999");
		assertThat(unknown.path("detail").asString()).contains("No reload report with id 999999");
		JsonNode notANumber = assertProblem(get("/actuator/hotreload/latest", token()), 404, "unknown-report",
				"/actuator/hotreload/latest");
		assertThat(notANumber.path("detail").asString()).contains("whole numbers").doesNotContain("latest");
	}

	@Test
	void staleIfMatchShouldBe412ProblemWithRunningVersion() throws Exception {
		String running = this.coordinator.active().version();
		JsonNode problem = assertProblem(post("", "\"sha256:0000\""), 412, "version-mismatch", "/actuator/hotreload");
		assertThat(problem.path("version").asString()).isEqualTo(running);
		assertThat(problem.path("detail").asString()).contains(running).doesNotContain("sha256:0000");
	}

	/** Asserts an RFC 9457 problem: its media type and every member, its type as the README lists it. */
	private static JsonNode assertProblem(HttpResponse<String> response, int status, String type, String path) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).as(response.body())
			.hasValueSatisfying(value -> assertThat(value).startsWith("application/problem+json"));
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.path("type").asString()).isEqualTo("tag:btcfed.org,2026:problems/" + type);
		assertThat(problem.path("title").asString()).isNotBlank();
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("detail").asString()).isNotBlank();
		assertThat(problem.path("instance").asString()).isEqualTo(path);
		return problem;
	}

	@Test
	void postWhenComponentFailsShouldBe500AndRestoreLoggingLevel() throws Exception {
		this.faulty.failApply = true;
		writeConf("error", KEY, "10s");
		HttpResponse<String> response = post("", null);
		assertThat(response.statusCode()).isEqualTo(500);
		assertThat(response.body()).contains("\"status\":\"ROLLED_BACK\"", "\"component\":\"faulty\"",
				"{\"name\":\"logging\",\"action\":\"ROLLED_BACK\"");
		assertThat(rootLevel()).isEqualTo(Level.INFO);
		assertThat(this.environment.getProperty("btcfed.logging.level")).isEqualTo("info");
	}

	@Test
	void getShouldShowStateHistoryAndSingleReports() throws Exception {
		writeConf("warn", KEY, "30s");
		post("", null);
		HttpResponse<String> status = get("/actuator/hotreload?limit=1", token());
		assertThat(status.statusCode()).isEqualTo(200);
		assertThat(status.body()).contains("\"state\":\"IDLE\"", "\"version\":\"" + this.coordinator.active().version(),
				"\"history\":[");
		long id = this.coordinator.history().recent(1).get(0).id();
		assertThat(status.body()).contains("\"id\":" + id).doesNotContain("\"id\":" + (id - 1) + ",");
		assertThat(get("/actuator/hotreload/" + id, token()).body()).contains("\"id\":" + id);
		HttpResponse<String> missing = get("/actuator/hotreload/999999", token());
		assertThat(missing.statusCode()).isEqualTo(404);
		assertThat(get("/actuator/hotreload?limit=-1", token()).statusCode()).isEqualTo(400);
	}

	@Test
	void secretsShouldNeverAppearInResponsesHistoryOrEnvironment() throws Exception {
		String newKey = NodeKey.generate().encoded();
		writeConf("info", newKey, "30s");
		HttpResponse<String> response = post("", null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"key\":\"node.private_key\"", "\"from\":\"******\"", "\"to\":\"******\"")
			.doesNotContain(newKey)
			.doesNotContain(KEY);
		String token = token();
		for (String path : List.of("/actuator/hotreload?limit=100", "/actuator/health", "/actuator/prometheus",
				"/actuator/env", "/actuator/configprops")) {
			assertThat(get(path, token).body()).as(path).doesNotContain(newKey).doesNotContain(KEY).doesNotContain(token);
		}
		assertThat(Files.readString(DATA.resolve(DataDir.HISTORY_FILE))).doesNotContain(newKey).doesNotContain(KEY);
		assertThat(this.environment.getProperty("btcfed.node.private_key")).isEqualTo(ConfigSnapshot.MASK);
	}

	@Test
	void refreshEventShouldGoThroughTheEngine() throws Exception {
		long before = this.coordinator.history().recent(1).get(0).id();
		writeConf("warn", KEY, "30s");
		this.publisher.publishEvent(new RefreshEvent(this, null, "test"));
		var latest = this.coordinator.history().recent(1).get(0);
		assertThat(latest.id()).isGreaterThan(before);
		assertThat(latest.trigger()).isEqualTo(ReloadTrigger.HTTP);
		assertThat(rootLevel()).isEqualTo(Level.WARN);
	}

	@Test
	void prometheusShouldExposeReloadMetrics() throws Exception {
		HttpResponse<String> metrics = get("/actuator/prometheus", token());
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("hotreload_reloads_total{status=\"NO_CHANGE\",trigger=\"HTTP\"}",
				"hotreload_duration_seconds_bucket", "hotreload_config_last_reload_successful 1.0",
				"hotreload_config_last_reload_success_timestamp_seconds", "hotreload_coalesced_signals_total");
	}

	private static Level rootLevel() {
		return ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
			.getLevel();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Extras {

		@Bean
		@RefreshScope
		RefreshScopedSettings refreshScopedSettings(@Value("${btcfed.logging.level}") String level) {
			return new RefreshScopedSettings(level);
		}

		@Bean
		ChangeEvents changeEvents() {
			return new ChangeEvents();
		}

		/**
		 * Fault injection: a component owning protocol.ping_interval that fails on demand, applied
		 * after logging (it depends on it), so that its failure must undo logging's change.
		 */
		@Bean
		@DependsOn("loggingComponent")
		TestComponent faulty() {
			return new TestComponent("faulty", "protocol.ping_interval");
		}

	}

	/** A {@code @RefreshScope} bean: rebuilt with the new value after a commit. */
	static class RefreshScopedSettings {

		private final String level;

		RefreshScopedSettings(String level) {
			this.level = level;
		}

		String level() {
			return this.level;
		}

	}

	/** Records the keys of every {@link EnvironmentChangeEvent}. */
	static class ChangeEvents {

		final List<String> keys = new CopyOnWriteArrayList<>();

		@EventListener
		void on(EnvironmentChangeEvent event) {
			this.keys.addAll(event.getKeys());
		}

	}

}
