package org.btcfed.node.reload.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ErrorType;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The rollback phase on its own: every applied component is rolled back newest first, and each
 * one whose rollback fails comes back in a typed map with how it was left, never as text to
 * parse.
 */
class RollbackPhaseTests {

	@TempDir
	Path root;

	private final Workers workers = new Workers();

	@AfterEach
	void tearDown() {
		this.workers.close();
	}

	@Test
	void runShouldRollBackNewestFirstAndReturnEachFailureWithHowItWasLeft() {
		ReloadFixture fixture = new ReloadFixture(this.root);
		ConfigSnapshot current = new ConfigLoader(fixture.configDir).load();
		TestComponent rolledBack = new TestComponent("logging", "logging.level");
		TestComponent restored = new TestComponent("protocol", "protocol.ping_interval");
		restored.failRollback = true;
		TestComponent stopped = new TestComponent("network", "network.max_connections");
		stopped.failRollback = true;
		stopped.failRestore = true;
		List<Map.Entry<HotReloadable, ComponentUpdate>> applied = List.of(applied(rolledBack, current),
				applied(restored, current), applied(stopped, current));
		ReportBuilder report = new ReportBuilder(ReloadTrigger.HTTP);
		EngineParts parts = new EngineParts(fixture.properties.validationPipeline(new ConfigLoader(fixture.configDir),
				warning -> {
				}), ReloadPlan.of(List.of(rolledBack, restored, stopped), Map.of()), fixture.properties.getReload(),
				this.workers, fixture.properties.getReload().retryTemplate(ex -> false));

		Map<String, RollbackPhase.Failure> failures = new RollbackPhase(parts, report, current,
				Map.of(rolledBack, new CountDownLatch(0), restored, new CountDownLatch(0), stopped,
						new CountDownLatch(0)))
			.run(applied);

		assertThat(failures).containsExactly(
				entry("network", new RollbackPhase.Failure("injected rollback failure in network",
						RollbackPhase.Fallback.STOPPED)),
				entry("protocol", new RollbackPhase.Failure("injected rollback failure in protocol",
						RollbackPhase.Fallback.RESTORED)));
		assertThat(rolledBack.calls).containsExactly("rollback");
		assertThat(restored.calls).containsExactly("rollback", "restore");
		assertThat(stopped.calls).containsExactly("rollback", "restore", "stop");
		assertThat(stopped.stopped).isTrue();
		assertThat(report.build(null, null, null).components()).extracting(ComponentResult::name, ComponentResult::action)
			.containsExactly(tuple("logging", ComponentResult.Action.ROLLED_BACK),
					tuple("network", ComponentResult.Action.STOPPED), tuple("protocol", ComponentResult.Action.RESTORED));
		assertThat(report.build(null, null, null).errors()).extracting(e -> e.type() + " " + e.component())
			.containsExactly(ErrorType.CRITICAL + " network", ErrorType.CRITICAL + " protocol");
	}

	private static Map.Entry<HotReloadable, ComponentUpdate> applied(TestComponent component, ConfigSnapshot current) {
		component.startWith(current);
		return Map.entry(component, new ComponentUpdate(current, current, List.of()));
	}

}
