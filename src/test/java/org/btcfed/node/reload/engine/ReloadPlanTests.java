package org.btcfed.node.reload.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ReloadPlanTests {

	@TempDir
	Path root;

	@Test
	void ofWhenDependenciesShouldGroupIndependentComponentsIntoLevels() {
		TestComponent a = new TestComponent("a", "logging.level");
		TestComponent b = new TestComponent("b", "network.max_connections");
		TestComponent c = new TestComponent("c", "protocol.ping_interval", "a");
		TestComponent d = new TestComponent("d", "protocol.max_message_size", "b", "c");
		ReloadPlan plan = ReloadPlan.of(List.of(d, c, b, a), Map.of());
		assertThat(plan.levels(component -> true)).containsExactly(List.of(a, b), List.of(c), List.of(d));
		assertThat(plan.components()).containsExactly(a, b, c, d);
		assertThat(plan).hasToString("[a, b] -> [c] -> [d]");
	}

	@Test
	void ofWhenExtraDependenciesShouldOrderByThem() {
		TestComponent a = new TestComponent("a", "logging.level");
		TestComponent b = new TestComponent("b", "network.max_connections");
		ReloadPlan plan = ReloadPlan.of(List.of(a, b), Map.of("a", Set.of("b")));
		assertThat(plan.components()).containsExactly(b, a);
	}

	@Test
	void ofWhenCycleShouldFailNamingTheCycle() {
		TestComponent a = new TestComponent("a", "logging.level", "c");
		TestComponent b = new TestComponent("b", "network.max_connections", "a");
		TestComponent c = new TestComponent("c", "protocol.ping_interval", "b");
		assertThatIllegalStateException().isThrownBy(() -> ReloadPlan.of(List.of(a, b, c), Map.of()))
			.withMessage("Reloadable components form a dependency cycle: a -> c -> b -> a");
	}

	@Test
	void ofWhenSelfDependencyShouldFailNamingIt() {
		TestComponent a = new TestComponent("a", "logging.level", "a");
		assertThatIllegalStateException().isThrownBy(() -> ReloadPlan.of(List.of(a), Map.of()))
			.withMessageContaining("a -> a");
	}

	@Test
	void ofWhenUnknownDependencyShouldFailNamingIt() {
		TestComponent a = new TestComponent("a", "logging.level", "nope");
		assertThatIllegalStateException().isThrownBy(() -> ReloadPlan.of(List.of(a), Map.of()))
			.withMessageContaining("'a' depends on 'nope'");
	}

	@Test
	void ofWhenDuplicateNamesShouldFail() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ReloadPlan.of(List.of(new TestComponent("a", "logging.level"),
					new TestComponent("a", "network.max_connections")), Map.of()))
			.withMessageContaining("named 'a'");
	}

	@Test
	void reloadWhenComponentsIndependentShouldApplyThemInParallel() {
		// Both components wait at a barrier inside apply: applied one after the other, neither
		// would ever get past it and the reload would time out instead of succeeding.
		CyclicBarrier barrier = new CyclicBarrier(2);
		ParallelComponent a = new ParallelComponent("a", "logging.level", barrier);
		ParallelComponent b = new ParallelComponent("b", "network.max_connections", barrier);
		try (ReloadFixture fixture = new ReloadFixture(this.root)) {
			fixture.properties.getReload().setUpdateTimeout(Duration.ofSeconds(10));
			fixture.start(a, b);
			fixture.writeConf(Map.of("level", "debug", "max_connections", "7"));
			ReloadReport report = fixture.reload();
			assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
			assertThat(report.components()).extracting(ComponentResult::name).containsExactlyInAnyOrder("a", "b");
		}
	}

	/** A component that only completes its apply when its sibling applies at the same time. */
	static final class ParallelComponent extends TestComponent {

		private final CyclicBarrier barrier;

		ParallelComponent(String name, String key, CyclicBarrier barrier) {
			super(name, key);
			this.barrier = barrier;
		}

		@Override
		public void apply(ComponentUpdate update) throws Exception {
			this.barrier.await(5, TimeUnit.SECONDS);
			super.apply(update);
		}

	}

}
