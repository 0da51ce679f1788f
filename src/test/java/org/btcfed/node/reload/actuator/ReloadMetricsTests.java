package org.btcfed.node.reload.actuator;

import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.btcfed.node.reload.ComponentResult;
import org.btcfed.node.reload.ReloadReport;
import org.btcfed.node.reload.ReloadStatus;
import org.btcfed.node.reload.ReloadTrigger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReloadMetricsTests {

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final ReloadMetrics metrics = new ReloadMetrics(this.registry);

	private static ReloadReport report(ReloadTrigger trigger, ReloadStatus status, String startedAt) {
		return new ReloadReport(1, trigger, status, "sha256:a", "sha256:b", startedAt, 2.5,
				Map.of("validate", 1.0, "update", 1.5),
				List.of(), List.of(new ComponentResult("logging", ComponentResult.Action.UPDATED, 0.5)), List.of());
	}

	@Test
	void reportsShouldBeCountedByTriggerAndStatusAndTimed() {
		this.metrics.onReport(report(ReloadTrigger.SIGNAL, ReloadStatus.SUCCEEDED, "2026-11-24T10:00:00Z"));
		this.metrics.onReport(report(ReloadTrigger.HTTP, ReloadStatus.REJECTED, "2026-11-24T10:01:00Z"));
		assertThat(this.registry.get("hotreload.reloads").tags("trigger", "SIGNAL", "status", "SUCCEEDED").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("hotreload.reloads").tags("trigger", "HTTP", "status", "REJECTED").counter().count())
			.isEqualTo(1);
		assertThat(this.registry.get("hotreload.duration").timer().count()).isEqualTo(2);
		assertThat(this.registry.get("hotreload.phase.duration").tag("phase", "update").timer().count()).isEqualTo(2);
		assertThat(this.registry.get("hotreload.component.duration").tag("component", "logging").timer().count())
			.isEqualTo(2);
	}

	@Test
	void lastReloadGaugesShouldFollowTheLastNonDryRunOutcome() {
		this.metrics.onReport(report(ReloadTrigger.SIGNAL, ReloadStatus.SUCCEEDED, "2026-11-24T10:00:00Z"));
		assertThat(this.registry.get("hotreload.config.last.reload.successful").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("hotreload.config.last.reload.success.timestamp.seconds").gauge().value())
			.isEqualTo(java.time.Instant.parse("2026-11-24T10:00:00Z").getEpochSecond());
		this.metrics.onReport(report(ReloadTrigger.HTTP, ReloadStatus.ROLLED_BACK, "2026-11-24T10:05:00Z"));
		assertThat(this.registry.get("hotreload.config.last.reload.successful").gauge().value()).isZero();
		this.metrics.onReport(report(ReloadTrigger.HTTP, ReloadStatus.VALIDATED, "2026-11-24T10:06:00Z"));
		assertThat(this.registry.get("hotreload.config.last.reload.successful").gauge().value()).isZero();
		assertThat(this.registry.get("hotreload.config.last.reload.success.timestamp.seconds").gauge().value())
			.isEqualTo(java.time.Instant.parse("2026-11-24T10:00:00Z").getEpochSecond());
	}

	@Test
	void coalescedTriggersShouldBeCounted() {
		this.metrics.onCoalesced(ReloadTrigger.SIGNAL);
		this.metrics.onCoalesced(ReloadTrigger.SIGNAL);
		this.metrics.onCoalesced(ReloadTrigger.FILE_WATCH);
		assertThat(this.registry.get("hotreload.coalesced.signals").tag("trigger", "SIGNAL").counter().count()).isEqualTo(2);
		assertThat(this.registry.get("hotreload.coalesced.signals").tag("trigger", "FILE_WATCH").counter().count())
			.isEqualTo(1);
	}

}
