package org.btcfed.node.reload.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.ValidationPipeline;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.ReloadStrategy;
import org.btcfed.node.reload.TransientReloadException;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ErrorType;
import org.btcfed.node.reload.report.ReloadError;
import org.btcfed.node.reload.report.ReloadState;
import org.btcfed.node.reload.report.ReloadStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryException;

/**
 * One reload, phase by phase: validate (the {@link ValidationPipeline} and the diff), update
 * (affected components in plan order) and, when an update fails, roll back. It changes no
 * engine state: it announces each phase and returns an {@link Outcome}, which the
 * {@link ReloadCoordinator} applies. Runs on the engine's thread; each component call runs on a
 * worker so that it can be timed out.
 */
final class ReloadRun {

	private final EngineParts parts;

	private final ReloadRequest request;

	private final ConfigSnapshot current;

	private final Set<String> degraded;

	private final Consumer<ReloadState> phases;

	private final ReportBuilder report;

	/** Components applied (or applied in part), in order, with their update: what rollback undoes. */
	private final List<Map.Entry<HotReloadable, ComponentUpdate>> applied = new ArrayList<>();

	/** Counted down when a component's apply has really ended (a timed-out apply may run on). */
	private final Map<HotReloadable, CountDownLatch> applyEnded = new LinkedHashMap<>();

	/**
	 * @param parts what the engine runs with
	 * @param request what was asked
	 * @param current the configuration that runs now
	 * @param degraded components running from a fallback, re-applied by this run
	 * @param phases told of each phase as it begins
	 */
	ReloadRun(EngineParts parts, ReloadRequest request, ConfigSnapshot current, Set<String> degraded,
			Consumer<ReloadState> phases) {
		this.parts = parts;
		this.request = request;
		this.current = current;
		this.degraded = Set.copyOf(degraded);
		this.phases = phases;
		this.report = new ReportBuilder(request.trigger(), request.dryRun());
	}

	/**
	 * @return what the coordinator is to record and, for a successful reload, commit
	 */
	Outcome run() {
		this.phases.accept(ReloadState.VALIDATING);
		ValidationPipeline.Result validation = validate();
		this.report.phase("validate");
		if (validation == null) {
			return end(ReloadStatus.REJECTED);
		}
		ConfigLoader.Staged staged = validation.orThrow();
		ConfigDiff diff = ConfigDiff.of(this.current, staged.snapshot(), validation.changedKeys());
		this.report.changes(diff.changes());
		List<List<HotReloadable>> levels = this.parts.plan()
			.levels(c -> this.degraded.contains(c.name()) || diff.keys().stream().anyMatch(c::owns));
		if (diff.isEmpty() && levels.isEmpty()) {
			return end(ReloadStatus.NO_CHANGE);
		}
		if (this.request.dryRun()) {
			levels.forEach(level -> level.forEach(c -> this.report.component(c.name(), ComponentResult.Action.PLANNED, 0)));
			return new Outcome(this.report, ReloadStatus.VALIDATED, staged.snapshot().version(), null, diff.changes(),
					Map.of());
		}
		this.phases.accept(ReloadState.UPDATING);
		boolean updated = update(levels, staged.snapshot(), diff);
		this.report.phase("update");
		if (updated) {
			return new Outcome(this.report, ReloadStatus.SUCCEEDED, staged.snapshot().version(), staged,
					diff.changes(), Map.of());
		}
		this.phases.accept(ReloadState.ROLLING_BACK);
		Map<String, RollbackPhase.Failure> failures = new RollbackPhase(this.parts, this.report, this.current,
				this.applyEnded)
			.run(this.applied);
		this.report.phase("rollback");
		return new Outcome(this.report, failures.isEmpty() ? ReloadStatus.ROLLED_BACK : ReloadStatus.FAILED,
				this.current.version(), null, diff.changes(), failures);
	}

	private Outcome end(ReloadStatus status) {
		return new Outcome(this.report, status, this.current.version(), null, List.of(), Map.of());
	}

	/** The validate phase, under its timeout. @return the valid result, or null when rejected */
	private ValidationPipeline.@Nullable Result validate() {
		Set<Multiaddr> held = Set.copyOf(this.current.config().network().addresses());
		ValidationPipeline.Result result;
		try {
			result = this.parts.workers()
				.call(() -> this.parts.pipeline().validate(this.parts.plan().components(), this.current, staged -> held, false),
						this.parts.settings().getValidateTimeout(), "validation did not finish within "
								+ this.parts.settings().getValidateTimeout().toMillis()
								+ " ms (btcfed.reload.validate-timeout)");
		}
		catch (InterruptedException ex) {
			this.report.error(ReloadError.component(ErrorType.SYSTEM, "config", "interrupted while validating"));
			return null;
		}
		catch (Exception ex) {
			this.report.error(ReloadError.component(ErrorType.SYSTEM, "config", describe(ex)));
			return null;
		}
		for (ValidationPipeline.Finding finding : result.findings()) {
			this.report.error(ReloadError.of(finding.system() ? ErrorType.SYSTEM : ErrorType.VALIDATION,
					finding.part(), finding.error()));
		}
		return result.isValid() ? result : null;
	}

	/** The update phase. @return whether every component applied */
	private boolean update(List<List<HotReloadable>> levels, ConfigSnapshot target, ConfigDiff diff) {
		long deadline = System.nanoTime() + this.parts.settings().getUpdateTimeout().toNanos();
		for (List<HotReloadable> level : levels) {
			Map<HotReloadable, Future<Long>> running = new LinkedHashMap<>();
			for (HotReloadable component : level) {
				List<ConfigChange> owned = diff.changes().stream().filter(c -> component.owns(c.key())).toList();
				ComponentUpdate update = new ComponentUpdate(this.current, target, owned);
				this.applied.add(Map.entry(component, update));
				CountDownLatch ended = new CountDownLatch(1);
				this.applyEnded.put(component, ended);
				running.put(component, this.parts.workers().start(() -> apply(component, update, ended)));
			}
			boolean levelOk = true;
			for (Map.Entry<HotReloadable, Future<Long>> entry : running.entrySet()) {
				levelOk &= awaitApply(entry.getKey(), entry.getValue(), deadline);
			}
			if (!levelOk) {
				return false;
			}
		}
		return true;
	}

	/** Runs on a worker: one component's apply, isolated, retried while it fails transiently. */
	private long apply(HotReloadable component, ComponentUpdate update, CountDownLatch ended) throws Exception {
		long start = System.nanoTime();
		try (HotReloadable.Isolation isolation = component.isolate()) {
			this.parts.applyRetry().execute(() -> {
				component.apply(update);
				return null;
			});
		}
		catch (RetryException ex) {
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		finally {
			ended.countDown();
		}
		return System.nanoTime() - start;
	}

	private boolean awaitApply(HotReloadable component, Future<Long> future, long deadline) {
		try {
			long nanos = Workers.await(future, deadline, "did not finish within the update timeout of "
					+ this.parts.settings().getUpdateTimeout().toMillis() + " ms (btcfed.reload.update-timeout)");
			boolean restart = this.applied.stream()
				.filter(e -> e.getKey() == component)
				.flatMap(e -> e.getValue().changes().stream())
				.anyMatch(c -> component.strategy(c.key()) == ReloadStrategy.RESTART);
			this.report.component(component.name(),
					restart ? ComponentResult.Action.RESTARTED : ComponentResult.Action.UPDATED, nanos);
			return true;
		}
		catch (InterruptedException ex) {
			fail(component, ErrorType.COMPONENT, "interrupted while applying");
		}
		catch (TimeoutException ex) {
			fail(component, ErrorType.COMPONENT, ex.getMessage());
		}
		catch (Exception ex) {
			// An Error thrown by the apply comes wrapped: name what the component threw.
			Throwable failure = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			fail(component, (failure instanceof TransientReloadException) ? ErrorType.SYSTEM : ErrorType.COMPONENT,
					describe(failure));
		}
		return false;
	}

	private void fail(HotReloadable component, ErrorType type, String message) {
		this.report.component(component.name(), ComponentResult.Action.FAILED, 0);
		this.report.error(ReloadError.component(type, component.name(), message));
	}

	static String describe(@Nullable Throwable ex) {
		if (ex == null) {
			return "unknown error";
		}
		String message = ex.getMessage();
		return (message == null || message.isBlank()) ? ex.getClass().getSimpleName() : message;
	}

	/**
	 * How a run ended, for the coordinator to apply.
	 *
	 * @param report the report so far; the coordinator ends it
	 * @param status the run's status
	 * @param version the version that runs when the outcome is applied (or would, for a dry run)
	 * @param commit the staged files to commit, for a successful reload only
	 * @param changes what the reload changes
	 * @param rollbackFailures the components whose rollback failed, with how each was left
	 */
	record Outcome(ReportBuilder report, ReloadStatus status, String version, ConfigLoader.@Nullable Staged commit,
			List<ConfigChange> changes, Map<String, RollbackPhase.Failure> rollbackFailures) {
	}

}
