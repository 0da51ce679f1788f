package org.btcfed.node.reload.actuator;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.engine.ReloadFixture;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadState;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link HotReloadEndpoint} called directly over a real coordinator and config files
 * ({@link ReloadFixture}), without HTTP: what each operation returns, with which status, and the
 * problems it answers with instead (invalid parameter, unknown report, version mismatch, reload
 * not run). {@code If-Match} comes from the current request, bound here as Spring MVC binds it.
 */
class HotReloadEndpointUnitTests {

	private final TestComponent logging = new TestComponent("logging", "logging.level");

	private final ReloadFixture fixture;

	private final HotReloadEndpoint endpoint;

	HotReloadEndpointUnitTests(@TempDir Path root) {
		this.fixture = new ReloadFixture(root);
		this.endpoint = new HotReloadEndpoint(this.fixture.start(this.logging));
	}

	@AfterEach
	void tearDown() {
		RequestContextHolder.resetRequestAttributes();
		this.fixture.close();
	}

	private static void ifMatch(String value) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/actuator/hotreload");
		request.addHeader(HttpHeaders.IF_MATCH, value);
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
	}

	private String running() {
		return this.fixture.coordinator.active().version();
	}

	private int kept() {
		return this.fixture.coordinator.history().recent(Integer.MAX_VALUE).size();
	}

	private long newestId() {
		return this.fixture.coordinator.history().recent(1).get(0).id();
	}

	/** Asserts that the operation answers with a problem of that status and type. */
	private static ProblemDetail problem(ThrowingCallable operation, HttpStatus status, URI type) {
		ErrorResponseException ex = catchThrowableOfType(ErrorResponseException.class, operation);
		assertThat(ex).as("the problem answered").isNotNull();
		assertThat(ex.getStatusCode()).isEqualTo(status);
		ProblemDetail problem = ex.getBody();
		assertThat(problem.getStatus()).isEqualTo(status.value());
		assertThat(problem.getType()).isEqualTo(type);
		assertThat(problem.getTitle()).isNotBlank();
		assertThat(problem.getDetail()).isNotBlank();
		return problem;
	}

	@Test
	void reloadWhenConfigChangedShouldBe200WithSucceededReport() {
		String before = running();
		this.fixture.writeConf(Map.of("level", "debug"));
		WebEndpointResponse<ReloadReport> response = this.endpoint.reload(null);
		assertThat(response.getStatus()).isEqualTo(200);
		ReloadReport report = response.getBody();
		assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
		assertThat(report.trigger()).isEqualTo(ReloadTrigger.HTTP);
		assertThat(report.dryRun()).isFalse();
		assertThat(report.previousVersion()).isEqualTo(before);
		assertThat(report.version()).isEqualTo(running()).isNotEqualTo(before);
		assertThat(report.changes()).singleElement().satisfies(change -> {
			assertThat(change.key()).isEqualTo("logging.level");
			assertThat(change.from()).isEqualTo("info");
			assertThat(change.to()).isEqualTo("debug");
		});
		assertThat(this.logging.value).isEqualTo("debug");
	}

	@Test
	void reloadWhenNothingChangedShouldBe200WithNoChange() {
		WebEndpointResponse<ReloadReport> response = this.endpoint.reload(null);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getBody().status()).isEqualTo(ReloadStatus.NO_CHANGE);
		assertThat(this.logging.calls).doesNotContain("apply");
	}

	@ParameterizedTest
	@ValueSource(strings = { "true", "TRUE", "True" })
	void reloadWithDryRunShouldBe200ValidatedAndApplyNothing(String dryRun) {
		String before = running();
		this.fixture.writeConf(Map.of("level", "warn"));
		WebEndpointResponse<ReloadReport> response = this.endpoint.reload(dryRun);
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(response.getBody().status()).isEqualTo(ReloadStatus.VALIDATED);
		assertThat(response.getBody().dryRun()).isTrue();
		assertThat(running()).isEqualTo(before);
		assertThat(this.logging.value).isEqualTo("info");
		assertThat(this.logging.calls).doesNotContain("apply");
	}

	@ParameterizedTest
	@ValueSource(strings = { "false", "FALSE" })
	void reloadWithDryRunFalseShouldRunAReload(String dryRun) {
		this.fixture.writeConf(Map.of("level", "warn"));
		WebEndpointResponse<ReloadReport> response = this.endpoint.reload(dryRun);
		assertThat(response.getBody().status()).isEqualTo(ReloadStatus.SUCCEEDED);
		assertThat(response.getBody().dryRun()).isFalse();
		assertThat(this.logging.value).isEqualTo("warn");
	}

	@ParameterizedTest
	@ValueSource(strings = { "maybe", "", "1", "yes", " true" })
	void reloadWhenDryRunNeitherTrueNorFalseShouldBeInvalidParameterAndRunNothing(String dryRun) {
		this.fixture.writeConf(Map.of("level", "warn"));
		int before = kept();
		ProblemDetail problem = problem(() -> this.endpoint.reload(dryRun), HttpStatus.BAD_REQUEST,
				Problems.INVALID_PARAMETER);
		assertThat(problem.getDetail()).contains("dryRun must be true or false", "nothing was run");
		assertThat(kept()).isEqualTo(before);
		assertThat(this.logging.value).isEqualTo("info");
	}

	@Test
	void reloadWhenConfigInvalidShouldBe422WithRejectedReport() {
		this.fixture.writeConf(Map.of("level", "loud"));
		WebEndpointResponse<ReloadReport> response = this.endpoint.reload(null);
		assertThat(response.getStatus()).isEqualTo(422);
		assertThat(response.getBody().status()).isEqualTo(ReloadStatus.REJECTED);
		assertThat(response.getBody().errors()).singleElement().satisfies(error -> {
			assertThat(error.key()).isEqualTo("logging.level");
			assertThat(error.file()).isEqualTo("conf.yaml");
		});
		assertThat(this.logging.value).isEqualTo("info");
	}

	@Test
	void reloadWhenComponentFailsShouldBe500WithRolledBackReport() {
		this.logging.failApply = true;
		this.fixture.writeConf(Map.of("level", "debug"));
		WebEndpointResponse<ReloadReport> response = this.endpoint.reload(null);
		assertThat(response.getStatus()).isEqualTo(500);
		assertThat(response.getBody().status()).isEqualTo(ReloadStatus.ROLLED_BACK);
		assertThat(this.logging.value).isEqualTo("info");
	}

	@Test
	void reloadWhenRollbackFailsShouldBe500WithFailedReportAndStatusShouldSayFailed() {
		this.logging.failApply = true;
		this.logging.failRollback = true;
		this.fixture.writeConf(Map.of("level", "debug"));
		WebEndpointResponse<ReloadReport> response = this.endpoint.reload(null);
		assertThat(response.getStatus()).isEqualTo(500);
		assertThat(response.getBody().status()).isEqualTo(ReloadStatus.FAILED);
		assertThat(this.endpoint.status(null).state()).isEqualTo(ReloadState.FAILED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"%s\"", "%s", "  \"%s\"  " })
	void reloadWithIfMatchOfRunningVersionShouldRun(String format) {
		ifMatch(format.formatted(running()));
		this.fixture.writeConf(Map.of("level", "debug"));
		assertThat(this.endpoint.reload(null).getBody().status()).isEqualTo(ReloadStatus.SUCCEEDED);
		assertThat(this.logging.value).isEqualTo("debug");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*", " * ", "", "  " })
	void reloadWithIfMatchAnyOrBlankShouldRunWhateverVersionRuns(String value) {
		ifMatch(value);
		this.fixture.writeConf(Map.of("level", "debug"));
		assertThat(this.endpoint.reload(null).getBody().status()).isEqualTo(ReloadStatus.SUCCEEDED);
	}

	@Test
	void reloadWithStaleIfMatchShouldBeVersionMismatchNamingTheRunningVersionAndApplyNothing() {
		String running = running();
		int before = kept();
		ifMatch("\"sha256:0000\"");
		this.fixture.writeConf(Map.of("level", "debug"));
		ProblemDetail problem = problem(() -> this.endpoint.reload(null), HttpStatus.PRECONDITION_FAILED,
				Problems.VERSION_MISMATCH);
		assertThat(problem.getProperties()).containsEntry("version", running);
		assertThat(problem.getDetail()).contains(running).doesNotContain("sha256:0000");
		assertThat(running()).isEqualTo(running);
		assertThat(kept()).isEqualTo(before);
		assertThat(this.logging.value).isEqualTo("info");
	}

	@Test
	void reloadWhenEngineClosedShouldBeReloadNotRun() {
		this.fixture.coordinator.close();
		ProblemDetail problem = problem(() -> this.endpoint.reload(null), HttpStatus.INTERNAL_SERVER_ERROR,
				Problems.RELOAD_NOT_RUN);
		assertThat(problem.getDetail()).contains("The reload could not run", "shutting down");
	}

	@ParameterizedTest
	@CsvSource({ "SUCCEEDED, 200", "NO_CHANGE, 200", "VALIDATED, 200", "REJECTED, 422", "ROLLED_BACK, 500",
			"FAILED, 500" })
	void statusOfShouldMapEveryReportStatus(ReloadStatus status, int httpStatus) {
		assertThat(HotReloadEndpoint.statusOf(status)).isEqualTo(httpStatus);
	}

	@Test
	void statusShouldShowStateVersionAndHistoryNewestFirst() {
		this.fixture.writeConf(Map.of("level", "debug"));
		this.endpoint.reload(null);
		HotReloadEndpoint.Status status = this.endpoint.status(null);
		assertThat(status.state()).isEqualTo(ReloadState.IDLE);
		assertThat(status.version()).isEqualTo(running());
		assertThat(status.history()).extracting(ReloadReport::trigger)
			.containsExactly(ReloadTrigger.HTTP, ReloadTrigger.STARTUP);
		assertThat(status.history().get(0).id()).isEqualTo(newestId());
	}

	@ParameterizedTest
	@ValueSource(strings = { "1", " 1 " })
	void statusWithLimitShouldShowThatManyNewestReports(String limit) {
		this.endpoint.reload(null);
		assertThat(this.endpoint.status(limit).history()).extracting(ReloadReport::id).containsExactly(newestId());
	}

	@Test
	void statusWithLimitZeroShouldShowNoReports() {
		assertThat(this.endpoint.status("0").history()).isEmpty();
		assertThat(this.endpoint.status("0").version()).isEqualTo(running());
	}

	@Test
	void statusWithoutLimitShouldShowTheDefaultNumberOfReports() {
		for (int i = 0; i < HotReloadEndpoint.DEFAULT_LIMIT; i++) {
			this.endpoint.reload(null);
		}
		assertThat(kept()).isEqualTo(HotReloadEndpoint.DEFAULT_LIMIT + 1);
		assertThat(this.endpoint.status(null).history()).hasSize(HotReloadEndpoint.DEFAULT_LIMIT)
			.noneMatch(report -> report.trigger() == ReloadTrigger.STARTUP);
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1", "abc", "99999999999", "1.5", "" })
	void statusWhenLimitNotAWholeNumberOfZeroOrMoreShouldBeInvalidParameter(String limit) {
		ProblemDetail problem = problem(() -> this.endpoint.status(limit), HttpStatus.BAD_REQUEST,
				Problems.INVALID_PARAMETER);
		assertThat(problem.getDetail()).isEqualTo("limit must be a whole number, 0 or more (default 20).");
	}

	@Test
	void reportShouldReturnTheKeptReportWithThatId() {
		this.fixture.writeConf(Map.of("level", "debug"));
		this.endpoint.reload(null);
		long id = newestId();
		ReloadReport report = this.endpoint.report(String.valueOf(id));
		assertThat(report).isEqualTo(this.fixture.coordinator.history().find(id).orElseThrow());
		assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
	}

	@Test
	void reportWhenNoneKeptWithThatIdShouldBeUnknownReport() {
		ProblemDetail problem = problem(() -> this.endpoint.report("999999"), HttpStatus.NOT_FOUND,
				Problems.UNKNOWN_REPORT);
		assertThat(problem.getDetail()).contains("No reload report with id 999999", "GET /actuator/hotreload");
	}

	@ParameterizedTest
	@ValueSource(strings = { "latest", "12abc", "0x10" })
	void reportWhenIdNotANumberShouldBeUnknownReportWithoutRepeatingIt(String id) {
		ProblemDetail problem = problem(() -> this.endpoint.report(id), HttpStatus.NOT_FOUND, Problems.UNKNOWN_REPORT);
		assertThat(problem.getDetail()).contains("whole numbers").doesNotContain(id);
	}

}
