package org.btcfed.node.reload.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.ConfigError;
import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.ResourceValidator;
import org.btcfed.node.config.StartupConfiguration;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.ReloadStrategy;
import org.btcfed.node.reload.TransientReloadException;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ErrorType;
import org.btcfed.node.reload.report.ReloadError;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadState;
import org.btcfed.node.reload.report.ReloadStatus;
import org.jspecify.annotations.Nullable;

/**
 * One reload, phase by phase: validate (stage, diff, check), update (affected components in plan
 * order), and commit, or roll back. Runs on the coordinator's engine thread; each component call
 * runs on a worker so that it can be timed out.
 */
final class ReloadRun {

	private static final Log logger = LogFactory.getLog(ReloadRun.class);

	private final ReloadCoordinator engine;

	private final ReloadRequest request;

	private final ReportBuilder report;

	private final ConfigSnapshot current;

	private final Retry retry;

	/** Components applied (or applied in part), in order, with their update: what rollback undoes. */
	private final List<Map.Entry<HotReloadable, ComponentUpdate>> applied = new ArrayList<>();

	/** Counted down when a component's apply has really ended (a timed-out apply may run on). */
	private final Map<HotReloadable, CountDownLatch> applyEnded = new java.util.HashMap<>();

	ReloadRun(ReloadCoordinator engine, ReloadRequest request) {
		this.engine = engine;
		this.request = request;
		this.report = new ReportBuilder(request.trigger(), request.dryRun());
		this.current = engine.active.get();
		this.retry = new Retry(Math.max(1, engine.settings.getRetryAttempts()), engine.settings.getRetryBackoff());
	}

	ReloadReport run() {
		String expected = this.request.expectedVersion();
		if (expected != null && !expected.equals(this.current.version())) {
			throw new VersionMismatchException(expected, this.current.version());
		}
		ReloadReport result;
		try {
			result = this.engine.publish(runPhases());
		}
		finally {
			this.engine.state = this.engine.degraded.isEmpty() ? ReloadState.IDLE : ReloadState.FAILED;
		}
		log(result);
		return result;
	}

	private ReloadReport runPhases() {
		this.engine.state = ReloadState.VALIDATING;
		Validation validation = stageAndValidate();
		this.report.phase("validate");
		if (validation == null || validation.staged() == null || validation.diff() == null) {
			return this.report.build(ReloadStatus.REJECTED, this.current.version(), this.current.version());
		}
		ConfigLoader.Staged staged = validation.staged();
		ConfigSnapshot target = staged.snapshot();
		ConfigDiff diff = validation.diff();
		this.report.changes(diff.changes());
		List<List<HotReloadable>> levels = this.engine.plan
			.levels(c -> this.engine.degraded.contains(c.name()) || diff.keys().stream().anyMatch(c::owns));
		if (diff.isEmpty() && levels.isEmpty()) {
			return this.report.build(ReloadStatus.NO_CHANGE, this.current.version(), this.current.version());
		}
		if (this.request.dryRun()) {
			levels.forEach(level -> level.forEach(c -> this.report.component(c.name(), ComponentResult.Action.PLANNED, 0)));
			return this.report.build(ReloadStatus.VALIDATED, this.current.version(), target.version());
		}
		this.engine.state = ReloadState.UPDATING;
		boolean updated = update(levels, target, diff);
		this.report.phase("update");
		if (!updated) {
			return rollBack();
		}
		commit(staged, diff);
		this.report.phase("commit");
		return this.report.build(ReloadStatus.SUCCEEDED, this.current.version(), target.version());
	}

	/** The validate phase, under its timeout. @return the staged config and its diff, or null when rejected */
	private @Nullable Validation stageAndValidate() {
		Future<Validation> future = this.engine.workers.submit(this::stageAndCheck);
		try {
			Validation validation = future.get(this.engine.settings.getValidateTimeout().toMillis(),
					TimeUnit.MILLISECONDS);
			validation.errors().forEach(this.report::error);
			return validation.errors().isEmpty() ? validation : null;
		}
		catch (ExecutionException ex) {
			this.report.error(ReloadError.component(ErrorType.SYSTEM, "config", describe(ex.getCause())));
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			this.report.error(ReloadError.component(ErrorType.SYSTEM, "config", "validation did not finish within "
					+ this.engine.settings.getValidateTimeout().toMillis() + " ms (btcfed.reload.validate-timeout)"));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.report.error(ReloadError.component(ErrorType.SYSTEM, "config", "interrupted while validating"));
		}
		return null;
	}

	/** Runs on a worker: reads the files (retrying transient failures) and checks the result. */
	private Validation stageAndCheck() throws Exception {
		List<ReloadError> errors = new ArrayList<>();
		try {
			ConfigLoader.Staged staged = this.retry.run(() -> this.engine.loader.stage(false),
					ex -> ex instanceof ConfigException config && config.isTransient());
			ConfigDiff diff = ConfigDiff.between(this.current, staged.snapshot());
			check(staged.snapshot(), diff, errors);
			return new Validation(staged, diff, errors);
		}
		catch (ConfigException ex) {
			ErrorType type = ex.isTransient() ? ErrorType.SYSTEM : ErrorType.VALIDATION;
			ex.getErrors().forEach(e -> errors.add(ReloadError.of(type, null, e)));
			return new Validation(null, null, errors);
		}
	}

	/** Checks what the staged snapshot asks of each component and of the machine. */
	private void check(ConfigSnapshot staged, ConfigDiff diff, List<ReloadError> errors) {
		for (HotReloadable component : this.engine.plan.components()) {
			for (ConfigChange change : diff.changes()) {
				if (component.owns(change.key())
						&& component.strategy(change.key()) == ReloadStrategy.NOT_RELOADABLE) {
					errors.add(error(staged, component.name(), change.key(),
							"cannot change while the node runs; restart the node to apply it"));
				}
			}
			for (ConfigError error : component.validate(staged)) {
				errors.add(ReloadError.of(ErrorType.VALIDATION, component.name(), error));
			}
		}
		Set<Multiaddr> held = new HashSet<>(this.current.config().network().addresses());
		for (ConfigError error : ResourceValidator.validate(staged, held, this.engine.dataDir)) {
			errors.add(ReloadError.of(ErrorType.VALIDATION, null, error));
		}
		for (ConfigError error : StartupConfiguration.permissionErrors(this.engine.loader, staged)) {
			errors.add(ReloadError.of(ErrorType.VALIDATION, null, error));
		}
	}

	/** The outcome of the validate phase: the staged files (null if unreadable) and the errors. */
	private record Validation(ConfigLoader.@Nullable Staged staged, @Nullable ConfigDiff diff,
			List<ReloadError> errors) {
	}

	private static ReloadError error(ConfigSnapshot staged, String component, String key, String message) {
		var location = staged.locate(key);
		return new ReloadError(ErrorType.VALIDATION, component, key, ConfigSnapshot.fileOf(key),
				location.map(l -> l.line()).orElse(null), location.map(l -> l.column()).orElse(null), message);
	}

	/** The update phase. @return whether every component applied */
	private boolean update(List<List<HotReloadable>> levels, ConfigSnapshot target, ConfigDiff diff) {
		long deadline = System.nanoTime() + this.engine.settings.getUpdateTimeout().toNanos();
		for (List<HotReloadable> level : levels) {
			Map<HotReloadable, Future<Long>> running = new LinkedHashMap<>();
			for (HotReloadable component : level) {
				List<ConfigChange> owned = diff.changes().stream().filter(c -> component.owns(c.key())).toList();
				ComponentUpdate update = new ComponentUpdate(this.current, target, owned);
				this.applied.add(Map.entry(component, update));
				CountDownLatch ended = new CountDownLatch(1);
				this.applyEnded.put(component, ended);
				running.put(component, this.engine.workers.submit(timed(() -> {
					try (HotReloadable.Isolation isolation = component.isolate()) {
						this.retry.run(() -> {
							component.apply(update);
							return null;
						}, ex -> ex instanceof TransientReloadException);
					}
					finally {
						ended.countDown();
					}
					return null;
				})));
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

	private boolean awaitApply(HotReloadable component, Future<Long> future, long deadline) {
		try {
			long nanos = future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			boolean restart = this.applied.stream()
				.filter(e -> e.getKey() == component)
				.flatMap(e -> e.getValue().changes().stream())
				.anyMatch(c -> component.strategy(c.key()) == ReloadStrategy.RESTART);
			this.report.component(component.name(),
					restart ? ComponentResult.Action.RESTARTED : ComponentResult.Action.UPDATED, nanos);
			return true;
		}
		catch (ExecutionException ex) {
			ErrorType type = (ex.getCause() instanceof TransientReloadException) ? ErrorType.SYSTEM
					: ErrorType.COMPONENT;
			fail(component, type, describe(ex.getCause()));
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			fail(component, ErrorType.COMPONENT, "did not finish within the update timeout of "
					+ this.engine.settings.getUpdateTimeout().toMillis() + " ms (btcfed.reload.update-timeout)");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			fail(component, ErrorType.COMPONENT, "interrupted while applying");
		}
		return false;
	}

	private void fail(HotReloadable component, ErrorType type, String message) {
		this.report.component(component.name(), ComponentResult.Action.FAILED, 0);
		this.report.error(ReloadError.component(type, component.name(), message));
	}

	/** The rollback phase; see {@link RollbackPhase}. */
	private ReloadReport rollBack() {
		this.engine.state = ReloadState.ROLLING_BACK;
		boolean restored = new RollbackPhase(this.engine, this.report, this.current, this.applyEnded).run(this.applied);
		this.report.phase("rollback");
		return this.report.build(restored ? ReloadStatus.ROLLED_BACK : ReloadStatus.FAILED, this.current.version(),
				this.current.version());
	}

	private void commit(ConfigLoader.Staged staged, ConfigDiff diff) {
		ConfigSnapshot target = staged.snapshot();
		this.engine.active.set(target);
		this.engine.lastKnownGood = target;
		this.engine.degraded.clear();
		this.engine.failureReason = null;
		this.engine.saveVersion(staged);
		this.engine.listeners.forEach(l -> ReloadCoordinator.notify(() -> l.onCommit(this.current, target, diff)));
	}

	/** Wraps a step so that it returns how long it took, in nanoseconds. */
	private static Callable<Long> timed(Callable<?> step) {
		return () -> {
			long start = System.nanoTime();
			step.call();
			return System.nanoTime() - start;
		};
	}

	static String describe(@Nullable Throwable ex) {
		if (ex == null) {
			return "unknown error";
		}
		String message = ex.getMessage();
		return (message == null || message.isBlank()) ? ex.getClass().getSimpleName() : message;
	}

	private void log(ReloadReport report) {
		String summary = "Reload #" + report.id() + " (" + report.trigger() + ") " + report.status() + " in "
				+ report.durationMs() + " ms; version " + report.version() + "; changes "
				+ report.changes().stream().map(ConfigChange::key).toList();
		if (report.status().isSuccessful()) {
			logger.info(summary);
			return;
		}
		StringBuilder details = new StringBuilder(summary);
		report.errors().forEach(e -> details.append(System.lineSeparator()).append("  ").append(describe(e)));
		if (report.status() == ReloadStatus.REJECTED) {
			logger.warn(details + System.lineSeparator() + "  The node keeps running on " + report.version());
		}
		else {
			logger.error(details);
		}
	}

	private static String describe(ReloadError error) {
		ConfigError asConfig = new ConfigError(error.key(), error.file(), error.line(), error.column(), error.message());
		return error.type() + ((error.component() != null) ? " [" + error.component() + "] " : " ")
				+ asConfig.describe();
	}

}
