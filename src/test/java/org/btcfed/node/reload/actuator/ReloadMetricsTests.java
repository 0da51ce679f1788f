package org.btcfed.node.reload.actuator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReloadMetricsTests {

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	final ReloadMetrics metrics = new ReloadMetrics(this.registry);

	private static ReloadReport report(ReloadTrigger trigger, ReloadStatus status, String startedAt) {
		return report(trigger, false, status, startedAt);
	}

	private static ReloadReport dryRun(ReloadStatus status, String startedAt) {
		return report(ReloadTrigger.HTTP, true, status, startedAt);
	}

	private static ReloadReport report(ReloadTrigger trigger, boolean dryRun, ReloadStatus status, String startedAt) {
		return new ReloadReport(1, trigger, dryRun, status, "sha256:a", "sha256:b", startedAt, 2.5,
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
	void lastReloadGaugesShouldFollowTheLastReloadOutcome() {
		this.metrics.onReport(report(ReloadTrigger.SIGNAL, ReloadStatus.SUCCEEDED, "2026-11-24T10:00:00Z"));
		assertThat(this.registry.get("hotreload.config.last.reload.successful").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("hotreload.config.last.reload.success.timestamp.seconds").gauge().value())
			.isEqualTo(Instant.parse("2026-11-24T10:00:00Z").getEpochSecond());
		this.metrics.onReport(report(ReloadTrigger.HTTP, ReloadStatus.ROLLED_BACK, "2026-11-24T10:05:00Z"));
		assertThat(this.registry.get("hotreload.config.last.reload.successful").gauge().value()).isZero();
		this.metrics.onReport(report(ReloadTrigger.FILE_WATCH, ReloadStatus.NO_CHANGE, "2026-11-24T10:06:00Z"));
		assertThat(this.registry.get("hotreload.config.last.reload.successful").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("hotreload.config.last.reload.success.timestamp.seconds").gauge().value())
			.isEqualTo(Instant.parse("2026-11-24T10:06:00Z").getEpochSecond());
	}

	@Test
	void dryRunsShouldBeCountedApartAndLeaveLastReloadGaugesAlone() {
		this.metrics.onReport(report(ReloadTrigger.SIGNAL, ReloadStatus.ROLLED_BACK, "2026-11-24T10:00:00Z"));
		this.metrics.onReport(dryRun(ReloadStatus.VALIDATED, "2026-11-24T10:01:00Z"));
		this.metrics.onReport(dryRun(ReloadStatus.NO_CHANGE, "2026-11-24T10:02:00Z"));
		assertThat(this.registry.get("hotreload.config.last.reload.successful").gauge().value()).isZero();
		this.metrics.onReport(report(ReloadTrigger.SIGNAL, ReloadStatus.SUCCEEDED, "2026-11-24T10:03:00Z"));
		this.metrics.onReport(dryRun(ReloadStatus.REJECTED, "2026-11-24T10:04:00Z"));
		this.metrics.onReport(dryRun(ReloadStatus.NO_CHANGE, "2026-11-24T10:05:00Z"));
		assertThat(this.registry.get("hotreload.config.last.reload.successful").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("hotreload.config.last.reload.success.timestamp.seconds").gauge().value())
			.isEqualTo(Instant.parse("2026-11-24T10:03:00Z").getEpochSecond());
		assertThat(this.registry.get("hotreload.dry.runs").tags("trigger", "HTTP", "status", "NO_CHANGE").counter().count())
			.isEqualTo(2);
		assertThat(this.registry.get("hotreload.dry.runs").tags("status", "VALIDATED").counter().count()).isEqualTo(1);
		assertThat(this.registry.get("hotreload.dry.runs").tags("status", "REJECTED").counter().count()).isEqualTo(1);
		assertThat(this.registry.find("hotreload.reloads").tag("trigger", "HTTP").counters()).isEmpty();
		assertThat(this.registry.get("hotreload.duration").timer().count()).isEqualTo(2);
		assertThat(this.registry.get("hotreload.component.duration").timer().count()).isEqualTo(2);
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
