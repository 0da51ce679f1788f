package org.btcfed.node.reload.actuator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadFixture;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.btcfed.node.reload.spring.ReloadConfiguration;
import org.btcfed.node.security.AdminToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link HotReloadActuatorConfiguration} adds to the reload wiring, over a real config and
 * data dir: the endpoint, the {@code hotreload} health indicator and the metrics (the admin
 * token belongs to the security configuration), with no condition on them (not even the
 * endpoint's exposure, which Spring Boot applies when it discovers endpoints); only a
 * {@link MeterRegistry} is required.
 */
class HotReloadActuatorConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RefreshAutoConfiguration.class))
		.withUserConfiguration(ReloadConfiguration.class, HotReloadActuatorConfiguration.class);

	/** The config dir, with conf.yaml written, and the data dir; the context makes its own coordinator. */
	private final ReloadFixture files;

	HotReloadActuatorConfigurationTests(@TempDir Path root) {
		this.files = new ReloadFixture(root);
	}

	private ApplicationContextRunner withDirs() {
		return this.contextRunner.withPropertyValues("btcfed.config-dir=" + this.files.configDir,
				"btcfed.data-dir=" + this.files.dataDir);
	}

	private ApplicationContextRunner runner() {
		return withDirs().withBean(MeterRegistry.class, SimpleMeterRegistry::new);
	}

	@Test
	void runWithoutManagementPropertiesShouldHaveEndpointHealthIndicatorAndMetrics() {
		runner().run(context -> {
			assertThat(context).hasSingleBean(HotReloadEndpoint.class);
			assertThat(context).hasSingleBean(HotReloadHealthIndicator.class);
			assertThat(context).hasSingleBean(ReloadMetrics.class);
			assertThat(context).doesNotHaveBean(AdminToken.class);
			assertThat(context).hasSingleBean(EndpointMediaTypes.class);
		});
	}

	@Test
	void runWithoutMeterRegistryShouldFailNamingIt() {
		withDirs().run(context -> {
			assertThat(context).hasFailed();
			assertThat(context).getFailure().hasMessageContaining("reloadMetrics").hasMessageContaining("MeterRegistry");
		});
	}

	@Test
	void endpointShouldServeTheCoordinatorsStateAndHistory() {
		runner().run(context -> {
			ReloadCoordinator coordinator = context.getBean(ReloadCoordinator.class);
			HotReloadEndpoint.Status status = context.getBean(HotReloadEndpoint.class).status(null);
			assertThat(status.version()).isEqualTo(coordinator.active().version());
			assertThat(status.history()).singleElement()
				.satisfies(report -> assertThat(report.trigger()).isEqualTo(ReloadTrigger.STARTUP));
		});
	}

	@Test
	void healthIndicatorShouldBeTheHotreloadComponentOverTheCoordinator() {
		runner().run(context -> {
			assertThat(context).getBean("hotreloadHealthIndicator").isInstanceOf(HotReloadHealthIndicator.class);
			Health health = context.getBean(HotReloadHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("state", "IDLE")
				.containsEntry("version", context.getBean(ReloadCoordinator.class).active().version());
		});
	}

	@Test
	void metricsShouldHearTheCoordinatorsReports() {
		runner().run(context -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("hotreload.reloads").tags("trigger", "STARTUP", "status", "SUCCEEDED").counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void endpointMediaTypesShouldAlsoAcceptRequestsWithoutContentType() {
		runner().run(context -> {
			EndpointMediaTypes mediaTypes = context.getBean(EndpointMediaTypes.class);
			List<String> consumed = new ArrayList<>(EndpointMediaTypes.DEFAULT.getConsumed());
			consumed.add(MediaType.APPLICATION_OCTET_STREAM_VALUE);
			assertThat(mediaTypes.getConsumed()).containsExactlyElementsOf(consumed);
			assertThat(mediaTypes.getProduced()).isEqualTo(EndpointMediaTypes.DEFAULT.getProduced());
		});
	}

}
