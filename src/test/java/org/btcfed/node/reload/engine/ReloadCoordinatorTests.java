package org.btcfed.node.reload.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.btcfed.node.config.ConfigError;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.ReloadStrategy;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.actuator.HotReloadHealthIndicator;
import org.btcfed.node.reload.history.ConfigVersionStore;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ErrorType;
import org.btcfed.node.reload.report.ReloadError;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadState;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator over real files and test components: the state machine, rollback, fallback,
 * timeouts, retries and coalescing.
 */
class ReloadCoordinatorTests {

	@TempDir
	Path root;

	ReloadFixture fixture;

	// A chain: network depends on protocol, logging on network (three levels).
	TestComponent protocol = new TestComponent("protocol", "protocol.ping_interval");

	TestComponent network = new TestComponent("network", "network.max_connections", "protocol");

	TestComponent logging = new TestComponent("logging", "logging.level", "network");

	@BeforeEach
	void setUp() {
		this.fixture = new ReloadFixture(this.root);
	}

	@AfterEach
	void tearDown() {
		this.fixture.close();
	}

	private void changeAll() {
		this.fixture.writeConf(Map.of("ping_interval", "10s", "max_connections", "64", "level", "debug"));
	}

	@Test
	void reloadWhenAllComponentsApplyShouldCommitInDependencyOrder() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		String before = coordinator.active().version();
		List<String> order = new ArrayList<>();
		this.fixture.listeners.clear();
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
		assertThat(report.components()).extracting(ComponentResult::name)
			.containsExactly("protocol", "network", "logging");
		report.components().forEach(c -> order.add(c.name()));
		assertThat(report.changes()).extracting(ConfigChange::key)
			.containsExactly("logging.level", "network.max_connections", "protocol.ping_interval");
		assertThat(report.previousVersion()).isEqualTo(before);
		assertThat(report.version()).isEqualTo(coordinator.active().version()).isNotEqualTo(before);
		assertThat(report.phases()).containsKeys("validate", "update", "commit");
		assertThat(this.protocol.value).isEqualTo("10s");
		assertThat(this.network.value).isEqualTo("64");
		assertThat(this.logging.value).isEqualTo("debug");
		assertThat(coordinator.state()).isEqualTo(ReloadState.IDLE);
	}

	@Test
	void reloadWhenOnlyOneKeyChangesShouldTouchOnlyItsOwner() {
		this.fixture.start(this.logging, this.network, this.protocol);
		this.fixture.writeConf(Map.of("level", "warn"));
		ReloadReport report = this.fixture.reload();
		assertThat(report.components()).extracting(ComponentResult::name).containsExactly("logging");
		assertThat(this.protocol.calls).isEmpty();
		assertThat(this.network.calls).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 2 })
	void reloadWhenComponentAtPositionFailsShouldRestoreEveryEarlierComponent(int failing) {
		List<TestComponent> chain = List.of(this.protocol, this.network, this.logging);
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		String before = coordinator.active().version();
		chain.get(failing).failApply = true;
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.ROLLED_BACK);
		assertThat(report.version()).isEqualTo(before);
		assertThat(coordinator.active().version()).isEqualTo(before);
		assertThat(this.protocol.value).isEqualTo("30s");
		assertThat(this.network.value).isEqualTo("128");
		assertThat(this.logging.value).isEqualTo("info");
		for (int i = 0; i < chain.size(); i++) {
			List<String> expected = (i <= failing) ? List.of("apply", "rollback") : List.of();
			assertThat(chain.get(i).calls).as(chain.get(i).name).isEqualTo(expected);
		}
		assertThat(report.errors()).singleElement().satisfies(error -> {
			assertThat(error.type()).isEqualTo(ErrorType.COMPONENT);
			assertThat(error.component()).isEqualTo(chain.get(failing).name);
			assertThat(error.message()).contains("injected apply failure");
		});
		// Rolled back newest first.
		List<String> rolledBack = report.components()
			.stream()
			.filter(c -> c.action() == ComponentResult.Action.ROLLED_BACK)
			.map(ComponentResult::name)
			.toList();
		List<String> expectedOrder = new ArrayList<>(chain.subList(0, failing + 1).stream().map(c -> c.name).toList());
		Collections.reverse(expectedOrder);
		assertThat(rolledBack).isEqualTo(expectedOrder);
		assertThat(coordinator.state()).isEqualTo(ReloadState.IDLE);
	}

	@Test
	void reloadWhenApplyThrowsAnErrorShouldRollBackNamingWhatTheComponentThrew() {
		this.fixture.start(this.logging, this.network, this.protocol);
		this.network.failApply = true;
		this.network.failApplyWithError = true;
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.ROLLED_BACK);
		assertThat(report.errors()).singleElement().satisfies(error -> {
			assertThat(error.component()).isEqualTo("network");
			assertThat(error.message()).isEqualTo("injected apply failure in network");
		});
		assertThat(this.network.value).isEqualTo("128");
	}

	@Test
	void reloadWhenRollbackFailsShouldFallBackAndTurnHealthDown() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.network.failRollback = true;
		this.logging.failApply = true;
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.FAILED);
		assertThat(coordinator.state()).isEqualTo(ReloadState.FAILED);
		assertThat(this.network.calls).containsExactly("apply", "rollback", "restore");
		assertThat(this.network.value).isEqualTo("128");
		// The other components were still rolled back: every one is attempted.
		assertThat(this.protocol.value).isEqualTo("30s");
		assertThat(this.logging.value).isEqualTo("info");
		assertThat(report.errors()).extracting(ReloadError::type).contains(ErrorType.COMPONENT, ErrorType.CRITICAL);
		assertThat(report.components()).contains(new ComponentResult("network", ComponentResult.Action.RESTORED, 0));
		var health = new HotReloadHealthIndicator(coordinator).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails().get("reason").toString()).contains("network");
	}

	@Test
	void reloadWhenRollbackAndRestoreFailShouldStopTheComponent() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.network.failApply = true;
		this.network.failRollback = true;
		this.network.failRestore = true;
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.FAILED);
		assertThat(this.network.stopped).isTrue();
		assertThat(report.errors()).filteredOn(e -> e.type() == ErrorType.CRITICAL)
			.singleElement()
			.satisfies(e -> assertThat(e.message()).contains("stopped").contains("injected rollback failure"));
		assertThat(coordinator.failureReason()).contains("network");
	}

	@Test
	void reloadAfterFailureShouldReapplyDegradedComponentAndClearFailure() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.network.failApply = true;
		this.network.failRollback = true;
		changeAll();
		this.fixture.reload();
		assertThat(coordinator.state()).isEqualTo(ReloadState.FAILED);
		this.network.failApply = false;
		this.network.failRollback = false;
		this.network.calls.clear();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
		assertThat(this.network.calls).containsExactly("apply");
		assertThat(coordinator.state()).isEqualTo(ReloadState.IDLE);
		assertThat(coordinator.failureReason()).isNull();
		assertThat(new HotReloadHealthIndicator(coordinator).health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void reloadWhenComponentExceedsUpdateTimeoutShouldRollBack() {
		this.fixture.properties.getReload().setUpdateTimeout(Duration.ofMillis(300));
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		String before = coordinator.active().version();
		this.network.blockApply = new CountDownLatch(1);
		changeAll();
		try {
			ReloadReport report = this.fixture.reload();
			assertThat(report.status()).isEqualTo(ReloadStatus.ROLLED_BACK);
			assertThat(report.errors()).singleElement()
				.satisfies(e -> assertThat(e.message()).contains("did not finish within the update timeout of 300 ms"));
			assertThat(this.protocol.calls).containsExactly("apply", "rollback");
			assertThat(this.logging.calls).isEmpty();
			assertThat(coordinator.active().version()).isEqualTo(before);
		}
		finally {
			this.network.blockApply.countDown();
		}
	}

	@Test
	void reloadWhenTimedOutApplyIgnoresInterruptShouldRollBackOnlyAfterItEnds() throws Exception {
		this.fixture.properties.getReload().setUpdateTimeout(Duration.ofMillis(300));
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.network.blockApply = new CountDownLatch(1);
		this.network.uninterruptible = true;
		changeAll();
		// The stuck apply ends a little after the rollback phase has begun.
		CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> coordinator.state() == ReloadState.ROLLING_BACK);
			this.network.blockApply.countDown();
		});
		ReloadReport report = this.fixture.reload();
		release.join();
		assertThat(report.status()).isEqualTo(ReloadStatus.ROLLED_BACK);
		assertThat(this.network.calls).containsExactly("apply", "rollback");
		assertThat(this.network.rollbackStartedAt).isGreaterThanOrEqualTo(this.network.applyEndedAt);
		assertThat(this.network.value).isEqualTo("128");
	}

	@Test
	void reloadWhenTimedOutApplyNeverEndsShouldFailWithoutTouchingIt() {
		this.fixture.properties.getReload().setUpdateTimeout(Duration.ofMillis(200));
		this.fixture.properties.getReload().setRollbackTimeout(Duration.ofMillis(200));
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.network.blockApply = new CountDownLatch(1);
		this.network.uninterruptible = true;
		changeAll();
		try {
			ReloadReport report = this.fixture.reload();
			assertThat(report.status()).isEqualTo(ReloadStatus.FAILED);
			assertThat(report.errors()).filteredOn(e -> e.type() == ErrorType.CRITICAL)
				.singleElement()
				.satisfies(e -> assertThat(e.message()).contains("still running", "restart the node"));
			assertThat(this.network.calls).containsExactly("apply");
			assertThat(this.protocol.calls).containsExactly("apply", "rollback");
			assertThat(coordinator.state()).isEqualTo(ReloadState.FAILED);
		}
		finally {
			this.network.blockApply.countDown();
		}
	}

	@Test
	void reloadWhenComponentFailsTransientlyShouldRetryAndSucceed() {
		this.fixture.start(this.logging, this.network, this.protocol);
		this.network.transientFailures.set(2);
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
		assertThat(this.network.calls).containsExactly("apply", "apply", "apply");
	}

	@Test
	void reloadWhenTransientFailureOutlastsRetriesShouldReportSystemError() {
		this.fixture.properties.getReload().setRetryAttempts(3);
		this.fixture.start(this.logging, this.network, this.protocol);
		this.network.transientFailures.set(10);
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.ROLLED_BACK);
		assertThat(report.errors()).singleElement().satisfies(e -> {
			assertThat(e.type()).isEqualTo(ErrorType.SYSTEM);
			assertThat(e.message()).contains("port busy");
		});
		assertThat(this.network.calls).filteredOn("apply"::equals).hasSize(3);
	}

	@Test
	void reloadWhenTriggeredDuringReloadShouldCoalesceIntoOnePendingReload() throws Exception {
		List<ReloadTrigger> coalesced = Collections.synchronizedList(new ArrayList<>());
		this.fixture.listeners.add(new ReloadListener() {
			@Override
			public void onCoalesced(ReloadTrigger trigger) {
				coalesced.add(trigger);
			}
		});
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.network.blockApply = new CountDownLatch(1);
		this.fixture.writeConf(Map.of("max_connections", "64"));
		CompletableFuture<ReloadReport> first = coordinator.submit(ReloadRequest.of(ReloadTrigger.SIGNAL));
		assertThat(this.network.applyStarted.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(coordinator.state()).isEqualTo(ReloadState.UPDATING);
		this.fixture.writeConf(Map.of("max_connections", "32"));
		List<CompletableFuture<ReloadReport>> more = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			more.add(coordinator.submit(ReloadRequest.of(ReloadTrigger.SIGNAL)));
		}
		this.network.blockApply.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(ReloadStatus.SUCCEEDED);
		ReloadReport second = more.get(0).get(10, TimeUnit.SECONDS);
		assertThat(more).allSatisfy(f -> assertThat(f.join()).isSameAs(second));
		assertThat(second.id()).isEqualTo(first.join().id() + 1);
		assertThat(this.network.value).isEqualTo("32");
		assertThat(coalesced).hasSize(49);
		assertThat(coordinator.history().recent(100)).hasSize(3);
	}

	@Test
	void signalsShouldStartReloadsAtLeastMinIntervalApartAndCoalesceMeanwhile() {
		this.fixture.properties.getReload().setMinInterval(Duration.ofMillis(300));
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		ReloadReport first = coordinator.submit(ReloadRequest.of(ReloadTrigger.SIGNAL)).join();
		CompletableFuture<ReloadReport> second = coordinator.submit(ReloadRequest.of(ReloadTrigger.SIGNAL));
		// The second one waits out the interval as the pending reload: the next signals join it.
		CompletableFuture<ReloadReport> third = coordinator.submit(ReloadRequest.of(ReloadTrigger.SIGNAL));
		assertThat(third).isSameAs(second);
		long gap = Instant.parse(second.join().startedAt()).toEpochMilli()
				- Instant.parse(first.startedAt()).toEpochMilli();
		assertThat(gap).isGreaterThanOrEqualTo(295);
		// HTTP callers wait for their answer, so they are not held back.
		long before = System.nanoTime();
		coordinator.submit(ReloadRequest.of(ReloadTrigger.HTTP)).join();
		assertThat(coordinator.history().recent(10)).hasSize(4);
		assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(290));
	}

	@Test
	void reloadWhenKeyFileReadableByEveryUserShouldRejectNamingTheFile() throws Exception {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.fixture.writeConf(Map.of("level", "debug"));
		Files.setPosixFilePermissions(this.fixture.configDir.resolve("conf.yaml"),
				PosixFilePermissions.fromString("rw-r--r--"));
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.REJECTED);
		assertThat(report.errors()).singleElement().satisfies(e -> {
			assertThat(e.file()).isEqualTo("conf.yaml");
			assertThat(e.message()).contains("readable by every user (mode 0644)", "chmod 600");
		});
		assertThat(coordinator.active().version()).isEqualTo(this.fixture.startup.snapshot().version());
	}

	@Test
	void dryRunShouldValidateAndDiffWithoutTouchingAnything() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		String before = coordinator.active().version();
		changeAll();
		ReloadReport report = coordinator.submit(new ReloadRequest(ReloadTrigger.HTTP, true, null)).join();
		assertThat(report.status()).isEqualTo(ReloadStatus.VALIDATED);
		assertThat(report.changes()).hasSize(3);
		assertThat(report.components()).extracting(ComponentResult::action).containsOnly(ComponentResult.Action.PLANNED);
		assertThat(report.version()).isNotEqualTo(before);
		assertThat(coordinator.active().version()).isEqualTo(before);
		assertThat(this.protocol.calls).isEmpty();
		assertThat(this.network.calls).isEmpty();
		assertThat(this.logging.calls).isEmpty();
	}

	@Test
	void reloadWhenFilesUnchangedShouldReportNoChangeAndTouchNothing() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		// A comment-only edit keeps the version.
		this.fixture.write("conf.yaml", "# edited\n" + readConf());
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.NO_CHANGE);
		assertThat(report.version()).isEqualTo(coordinator.active().version());
		assertThat(this.logging.calls).isEmpty();
		assertThat(report.components()).isEmpty();
	}

	@Test
	void reloadWhenKeyIsNotReloadableShouldRejectNamingKeyAndApplyNothing() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.network.strategy = ReloadStrategy.NOT_RELOADABLE;
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.REJECTED);
		assertThat(report.errors()).singleElement().satisfies(e -> {
			assertThat(e.key()).isEqualTo("network.max_connections");
			assertThat(e.component()).isEqualTo("network");
			assertThat(e.file()).isEqualTo("conf.yaml");
			assertThat(e.line()).isEqualTo(6);
			assertThat(e.message()).contains("restart");
		});
		assertThat(this.protocol.calls).isEmpty();
		assertThat(coordinator.active().version()).isEqualTo(this.fixture.startup.snapshot().version());
	}

	@Test
	void reloadWhenRestartStrategyShouldReportRestarted() {
		this.fixture.start(this.logging, this.network, this.protocol);
		this.network.strategy = ReloadStrategy.RESTART;
		this.fixture.writeConf(Map.of("max_connections", "64"));
		assertThat(this.fixture.reload().components()).extracting(ComponentResult::action)
			.containsExactly(ComponentResult.Action.RESTARTED);
	}

	@Test
	void reloadWhenComponentValidationFailsShouldRejectWithComponentName() {
		this.fixture.start(this.logging, this.network, this.protocol);
		this.logging.validator = staged -> List
			.of(new ConfigError("logging.level", "conf.yaml", 9, 10, "debug is not allowed here (test)"));
		changeAll();
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.REJECTED);
		assertThat(report.errors()).singleElement()
			.isEqualTo(new ReloadError(ErrorType.VALIDATION, "logging", "logging.level", "conf.yaml", 9, 10,
					"debug is not allowed here (test)"));
		assertThat(this.protocol.calls).isEmpty();
	}

	@Test
	void reloadWhenFileInvalidShouldRejectWithLocationAndKeepVersion() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.fixture.writeConf(Map.of("max_connections", "0"));
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.REJECTED);
		assertThat(report.errors()).singleElement()
			.isEqualTo(new ReloadError(ErrorType.VALIDATION, null, "network.max_connections", "conf.yaml", 6, 20,
					"must be between 1 and 65535, was 0"));
		assertThat(report.version()).isEqualTo(coordinator.active().version());
	}

	@Test
	void reloadWhenFileStaysEmptyShouldRetryThenReportSystemError() {
		this.fixture.start(this.logging, this.network, this.protocol);
		this.fixture.write("conf.yaml", "");
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.REJECTED);
		assertThat(report.errors()).singleElement().satisfies(e -> {
			assertThat(e.type()).isEqualTo(ErrorType.SYSTEM);
			assertThat(e.message()).contains("empty");
		});
	}

	@Test
	void reloadWhenValidationExceedsTimeoutShouldRejectAndApplyNothing() {
		this.fixture.properties.getReload().setValidateTimeout(Duration.ofMillis(200));
		CountDownLatch release = new CountDownLatch(1);
		this.fixture.start(this.logging, this.network, this.protocol);
		this.logging.validator = staged -> {
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return List.of();
		};
		changeAll();
		try {
			ReloadReport report = this.fixture.reload();
			assertThat(report.status()).isEqualTo(ReloadStatus.REJECTED);
			assertThat(report.errors()).singleElement()
				.satisfies(e -> assertThat(e.message()).contains("validation did not finish within 200 ms"));
			assertThat(this.network.calls).isEmpty();
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void reloadWithStaleExpectedVersionShouldFailWithMismatchAndRecordNothing() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		changeAll();
		CompletableFuture<ReloadReport> result = coordinator
			.submit(new ReloadRequest(ReloadTrigger.HTTP, false, "sha256:stale"));
		assertThat(result).failsWithin(Duration.ofSeconds(10))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(VersionMismatchException.class);
		assertThat(coordinator.history().recent(10)).hasSize(1);
		ReloadReport matching = coordinator
			.submit(new ReloadRequest(ReloadTrigger.HTTP, false, coordinator.active().version()))
			.join();
		assertThat(matching.status()).isEqualTo(ReloadStatus.SUCCEEDED);
	}

	@Test
	void commitShouldNotifyListenersAndSaveVersion() {
		List<List<ConfigChange>> commits = new ArrayList<>();
		List<ReloadReport> reports = new ArrayList<>();
		this.fixture.listeners.add(new ReloadListener() {
			@Override
			public void onCommit(ConfigSnapshot previous, ConfigSnapshot current, List<ConfigChange> changes) {
				commits.add(changes);
			}

			@Override
			public void onReport(ReloadReport report) {
				reports.add(report);
				throw new IllegalStateException("a failing listener must not break the engine");
			}
		});
		ReloadCoordinator coordinator = this.fixture.start(this.logging, this.network, this.protocol);
		this.fixture.writeConf(Map.of("level", "error"));
		ReloadReport report = this.fixture.reload();
		assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
		assertThat(commits).singleElement().satisfies(changes -> assertThat(changes).extracting(ConfigChange::key).containsExactly("logging.level"));
		assertThat(reports).extracting(ReloadReport::trigger).containsExactly(ReloadTrigger.STARTUP, ReloadTrigger.HTTP);
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(new ConfigVersionStore(this.fixture.dataDir, 10).versions()).hasSize(2));
		assertThat(coordinator.history().find(report.id())).contains(report);
	}

	private String readConf() {
		try {
			return Files.readString(this.fixture.configDir.resolve("conf.yaml"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
