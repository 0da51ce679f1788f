package org.btcfed.node.reload.engine;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ReloadError;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.jspecify.annotations.Nullable;

/** Collects a reload's outcome as it runs. Used by one thread at a time. */
final class ReportBuilder {

	private final ReloadTrigger trigger;

	private final boolean dryRun;

	private final Instant startedAt = Instant.now();

	private final long startNanos = System.nanoTime();

	private final Map<String, Double> phases = new LinkedHashMap<>();

	private final List<ComponentResult> components = new ArrayList<>();

	private final List<ReloadError> errors = new ArrayList<>();

	private List<ConfigChange> changes = List.of();

	private long phaseStart = this.startNanos;

	ReportBuilder(ReloadTrigger trigger) {
		this(trigger, false);
	}

	ReportBuilder(ReloadTrigger trigger, boolean dryRun) {
		this.trigger = trigger;
		this.dryRun = dryRun;
	}

	/** Ends the current phase and starts the next one. */
	void phase(String name) {
		long now = System.nanoTime();
		this.phases.merge(name, millis(now - this.phaseStart), Double::sum);
		this.phaseStart = now;
	}

	void changes(List<ConfigChange> changes) {
		this.changes = changes;
	}

	void component(String name, ComponentResult.Action action, long nanos) {
		this.components.add(new ComponentResult(name, action, millis(nanos)));
	}

	void error(ReloadError error) {
		this.errors.add(error);
	}

	ReloadReport build(ReloadStatus status, @Nullable String previousVersion, @Nullable String version) {
		return new ReloadReport(0, this.trigger, this.dryRun, status, previousVersion, version,
				this.startedAt.truncatedTo(ChronoUnit.MILLIS).toString(), millis(System.nanoTime() - this.startNanos),
				this.phases, this.changes, this.components, this.errors);
	}

	/** Milliseconds with microsecond precision, as the report shows them. */
	static double millis(long nanos) {
		return Math.round(nanos / 1_000.0) / 1_000.0;
	}

}
