package org.btcfed.node.reload.actuator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.btcfed.node.reload.engine.ReloadListener;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadTrigger;

/**
 * Reload metrics, named so that Prometheus shows them as {@code hotreload_*}:
 * <ul>
 * <li>{@code hotreload_reloads_total{trigger,status}}</li>
 * <li>{@code hotreload_duration_seconds} (histogram) and
 * {@code hotreload_phase_duration_seconds{phase}}, {@code hotreload_component_duration_seconds{component}}</li>
 * <li>{@code hotreload_config_last_reload_successful} (1 or 0) and
 * {@code hotreload_config_last_reload_success_timestamp_seconds}, as Prometheus and Caddy name theirs</li>
 * <li>{@code hotreload_dry_runs_total{trigger,status}}</li>
 * <li>{@code hotreload_coalesced_signals_total{trigger}}</li>
 * </ul>
 * A dry run is not a reload: it is counted in {@code hotreload_dry_runs_total} only (status
 * {@code VALIDATED}, {@code REJECTED} or {@code NO_CHANGE}), so that checking a broken file never
 * makes the last-reload gauges, and the alerts built on them, report a failed reload, and a
 * successful check never hides one.
 */
public class ReloadMetrics implements ReloadListener {

	private final MeterRegistry registry;

	private final AtomicLong lastSuccessful = new AtomicLong(1);

	private final AtomicLong lastSuccessEpochSeconds = new AtomicLong();

	/**
	 * @param registry where the meters go
	 */
	public ReloadMetrics(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("hotreload.config.last.reload.successful", this.lastSuccessful, AtomicLong::get)
			.description("Whether the last reload attempt succeeded (1) or not (0)")
			.strongReference(true)
			.register(registry);
		Gauge.builder("hotreload.config.last.reload.success.timestamp.seconds", this.lastSuccessEpochSeconds,
				AtomicLong::get)
			.description("Unix time of the last successful reload (or start-up)")
			.strongReference(true)
			.register(registry);
		coalesced(ReloadTrigger.SIGNAL);
	}

	@Override
	public void onReport(ReloadReport report) {
		if (report.dryRun()) {
			Counter.builder("hotreload.dry.runs")
				.description("Dry runs by trigger and outcome; they apply nothing and leave the last-reload gauges alone")
				.tag("trigger", report.trigger().name())
				.tag("status", report.status().name())
				.register(this.registry)
				.increment();
			return;
		}
		Counter.builder("hotreload.reloads")
			.description("Reload attempts by trigger and outcome")
			.tag("trigger", report.trigger().name())
			.tag("status", report.status().name())
			.register(this.registry)
			.increment();
		time(report);
		boolean ok = report.status().isSuccessful();
		this.lastSuccessful.set(ok ? 1 : 0);
		if (ok) {
			this.lastSuccessEpochSeconds.set(Instant.parse(report.startedAt()).getEpochSecond());
		}
	}

	private void time(ReloadReport report) {
		Timer.builder("hotreload.duration")
			.description("Duration of reload attempts")
			.publishPercentileHistogram()
			.register(this.registry)
			.record(nanos(report.durationMs()));
		for (Map.Entry<String, Double> phase : report.phases().entrySet()) {
			Timer.builder("hotreload.phase.duration")
				.description("Duration of reload phases")
				.tag("phase", phase.getKey())
				.register(this.registry)
				.record(nanos(phase.getValue()));
		}
		for (ComponentResult component : report.components()) {
			Timer.builder("hotreload.component.duration")
				.description("Duration of each component's part in a reload")
				.tag("component", component.name())
				.tag("action", component.action().name())
				.register(this.registry)
				.record(nanos(component.durationMs()));
		}
	}

	@Override
	public void onCoalesced(ReloadTrigger trigger) {
		coalesced(trigger).increment();
	}

	private Counter coalesced(ReloadTrigger trigger) {
		return Counter.builder("hotreload.coalesced.signals")
			.description("Triggers folded into an already pending reload")
			.tag("trigger", trigger.name())
			.register(this.registry);
	}

	private static Duration nanos(double millis) {
		return Duration.ofNanos((long) (millis * 1_000_000));
	}

}
