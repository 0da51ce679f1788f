package org.btcfed.node.reload.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadFixture;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.btcfed.node.reload.trigger.FileWatchTrigger;
import org.btcfed.node.reload.trigger.SignalGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ContextRefresher;
import org.springframework.cloud.logging.LoggingRebinder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link ReloadConfiguration} puts in a context, with Spring Cloud's refresh
 * auto-configuration beside it as in the node, over a real config dir: the file watch only with
 * {@code btcfed.reload.watch=true}, the signal gate the node registers before start-up (or one
 * of its own), the start-up report and Environment, and the engine in place of Spring Cloud's
 * refresher and logging rebinder.
 */
class ReloadConfigurationWiringTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RefreshAutoConfiguration.class))
		.withUserConfiguration(ReloadConfiguration.class)
		.withBean("loggingComponent", TestComponent.class, () -> new TestComponent("logging", "logging.level"));

	/** The config dir, with conf.yaml written, and the data dir; the context makes its own coordinator. */
	private final ReloadFixture files;

	ReloadConfigurationWiringTests(@TempDir Path root) {
		this.files = new ReloadFixture(root);
	}

	private ApplicationContextRunner runner(String... properties) {
		return this.contextRunner
			.withPropertyValues("btcfed.config-dir=" + this.files.configDir, "btcfed.data-dir=" + this.files.dataDir)
			.withPropertyValues(properties);
	}

	@Test
	void runWhenWatchNotSetShouldHaveNoFileWatchTrigger() {
		runner().run(context -> {
			assertThat(context).hasSingleBean(ReloadCoordinator.class);
			assertThat(context).doesNotHaveBean(FileWatchTrigger.class);
		});
	}

	@Test
	void runWhenWatchFalseShouldHaveNoFileWatchTrigger() {
		runner("btcfed.reload.watch=false").run(context -> {
			assertThat(context).hasSingleBean(ReloadCoordinator.class);
			assertThat(context).doesNotHaveBean(FileWatchTrigger.class);
		});
	}

	@Test
	void runWhenWatchTrueShouldStartFileWatchThatReloadsThroughTheCoordinator() {
		runner("btcfed.reload.watch=true", "btcfed.reload.watch-debounce=50ms").run(context -> {
			assertThat(context).hasSingleBean(FileWatchTrigger.class);
			assertThat(context.getBean(FileWatchTrigger.class).isRunning()).isTrue();
			ReloadCoordinator coordinator = context.getBean(ReloadCoordinator.class);
			this.files.writeConf(Map.of("level", "debug"));
			Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> coordinator.history().recent(1).get(0).trigger() == ReloadTrigger.FILE_WATCH);
			assertThat(coordinator.history().recent(1).get(0).status()).isEqualTo(ReloadStatus.SUCCEEDED);
			assertThat(context.getBean(TestComponent.class).value).isEqualTo("debug");
		});
	}

	@Test
	void runWithoutSignalGateShouldCreateOne() {
		runner().run(context -> assertThat(context).hasSingleBean(SignalGate.class));
	}

	@Test
	void runWhenNodeRegisteredItsSignalGateShouldUseThatGate() {
		// As NodeApplication does: the gate the SIGHUP handler feeds, registered before the
		// context refreshes, under the name of the configuration's own bean method.
		SignalGate gate = new SignalGate();
		runner().withInitializer(context -> context.getBeanFactory().registerSingleton("signalGate", gate))
			.run(context -> {
				assertThat(context).hasSingleBean(SignalGate.class);
				assertThat(context.getBean(SignalGate.class)).isSameAs(gate);
			});
	}

	@Test
	void runWhenSignalGateBeanDefinedShouldUseItInsteadOfItsOwn() {
		SignalGate gate = new SignalGate();
		runner().withBean("nodeSignalGate", SignalGate.class, () -> gate).run(context -> {
			assertThat(context).hasSingleBean(SignalGate.class);
			assertThat(context.getBean(SignalGate.class)).isSameAs(gate);
		});
	}

	@Test
	void runShouldRecordStartupFirstAndPublishTheSnapshotToTheEnvironment() {
		runner().run(context -> {
			ReloadCoordinator coordinator = context.getBean(ReloadCoordinator.class);
			assertThat(coordinator.history().recent(10)).singleElement().satisfies(report -> {
				assertThat(report.trigger()).isEqualTo(ReloadTrigger.STARTUP);
				assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
				assertThat(report.version()).isEqualTo(coordinator.active().version());
			});
			assertThat(context.getBean("startupConfig")).isSameAs(coordinator.active());
			assertThat(context.getEnvironment().getProperty("btcfed.logging.level")).isEqualTo("info");
			assertThat(context.getEnvironment().getProperty("btcfed.node.private_key")).isEqualTo(ConfigSnapshot.MASK);
		});
	}

	@Test
	void runShouldReplaceSpringCloudsRefresherAndLoggingRebinder() {
		runner().run(context -> {
			assertThat(context).getBean(ContextRefresher.class).isInstanceOf(EngineContextRefresher.class);
			assertThat(context).hasSingleBean(ContextRefresher.class);
			assertThat(context).getBean(LoggingRebinder.class).isInstanceOf(ChangedKeysLoggingRebinder.class);
			assertThat(context).hasSingleBean(LoggingRebinder.class);
		});
	}

	@Test
	void contextRefresherRefreshShouldRunAReloadThroughTheEngine() {
		runner().run(context -> {
			this.files.writeConf(Map.of("level", "warn"));
			assertThat(context.getBean(ContextRefresher.class).refresh()).containsExactly("btcfed.logging.level");
			ReloadReport latest = context.getBean(ReloadCoordinator.class).history().recent(1).get(0);
			assertThat(latest.trigger()).isEqualTo(ReloadTrigger.HTTP);
			assertThat(latest.status()).isEqualTo(ReloadStatus.SUCCEEDED);
			assertThat(context.getBean(TestComponent.class).value).isEqualTo("warn");
			assertThat(context.getEnvironment().getProperty("btcfed.logging.level")).isEqualTo("warn");
		});
	}

	@Test
	void runWhenConfigInvalidShouldFailNamingTheKey() {
		this.files.writeConf(Map.of("level", "loud"));
		runner().run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(ConfigException.class)
				.hasMessageContaining("logging.level");
		});
	}

}
