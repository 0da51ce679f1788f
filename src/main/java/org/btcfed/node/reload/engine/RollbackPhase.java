package org.btcfed.node.reload.engine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ErrorType;
import org.btcfed.node.reload.report.ReloadError;

/**
 * Undoes a failed reload: every component applied (or applied in part) is rolled back, newest
 * first, each under the rollback timeout, and all are attempted. A component whose rollback
 * fails is restored to the configuration the reload started from, or stopped when even that
 * fails; the run then ends FAILED with those components and how each was left.
 */
final class RollbackPhase {

	private static final Log logger = LogFactory.getLog(RollbackPhase.class);

	private final EngineParts parts;

	private final ReportBuilder report;

	private final ConfigSnapshot current;

	private final Map<HotReloadable, CountDownLatch> applyEnded;

	RollbackPhase(EngineParts parts, ReportBuilder report, ConfigSnapshot current,
			Map<HotReloadable, CountDownLatch> applyEnded) {
		this.parts = parts;
		this.report = report;
		this.current = current;
		this.applyEnded = applyEnded;
	}

	/**
	 * @param applied the components applied, in the order they were
	 * @return the components whose rollback failed, by name, in rollback order; empty when every
	 * component was rolled back
	 */
	Map<String, Failure> run(List<Map.Entry<HotReloadable, ComponentUpdate>> applied) {
		Map<Map.Entry<HotReloadable, ComponentUpdate>, Exception> failed = new LinkedHashMap<>();
		for (int i = applied.size() - 1; i >= 0; i--) {
			HotReloadable component = applied.get(i).getKey();
			ComponentUpdate update = applied.get(i).getValue();
			long start = System.nanoTime();
			try {
				awaitApplyEnded(component);
				call(() -> {
					try (HotReloadable.Isolation isolation = component.isolate()) {
						component.rollback(update);
					}
					return null;
				});
				this.report.component(component.name(), ComponentResult.Action.ROLLED_BACK, System.nanoTime() - start);
			}
			catch (Exception ex) {
				failed.put(applied.get(i), ex);
			}
		}
		Map<String, Failure> failures = new LinkedHashMap<>();
		failed.forEach((entry, ex) -> failures.put(entry.getKey().name(), fallBack(entry.getKey(), entry.getValue(), ex)));
		if (!failures.isEmpty()) {
			// The report says what failed, in words; the log keeps each failure with its stack.
			IllegalStateException causes = new IllegalStateException("Rollback failed for " + failures.keySet());
			failed.values().forEach(causes::addSuppressed);
			logger.error("Reload FAILED: the rollback of " + failures.keySet() + " failed (" + failures
					+ "). The node keeps running on config " + this.current.version() + "; each of those components"
					+ " was restored to it (RESTORED), stopped (STOPPED) or left to its running apply (LEFT_APPLYING)."
					+ " Fix the cause named in the report (GET /actuator/hotreload), then reload again: a successful"
					+ " reload re-applies these components and clears the failure. Restart the node if it does not.",
					causes);
		}
		return failures;
	}

	/**
	 * Waits for a component's apply to have really ended: an apply that outlived its timeout and
	 * ignored the interrupt must not run at the same time as the rollback or restore of the same
	 * component.
	 */
	private void awaitApplyEnded(HotReloadable component) throws Exception {
		CountDownLatch ended = this.applyEnded.get(component);
		if (ended != null && !ended.await(timeout().toMillis(), TimeUnit.MILLISECONDS)) {
			throw new TimeoutException("its apply is still running after the update and rollback timeouts");
		}
	}

	/** After a failed rollback: restore the component to the config the reload started from, or stop it. */
	private Failure fallBack(HotReloadable component, ComponentUpdate update, Exception rollbackFailure) {
		String cause = ReloadRun.describe(rollbackFailure);
		if (stillApplying(component)) {
			// Restoring or stopping it now would race its own apply: leave it, say so.
			this.report.error(ReloadError.component(ErrorType.CRITICAL, component.name(),
					"rollback failed (" + cause + "); it is left as its apply leaves it: restart the node"));
			return new Failure(cause, Fallback.LEFT_APPLYING);
		}
		try {
			call(() -> {
				component.restore(update, this.current);
				return null;
			});
			this.report.component(component.name(), ComponentResult.Action.RESTORED, 0);
			this.report.error(ReloadError.component(ErrorType.CRITICAL, component.name(), "rollback failed (" + cause
					+ "); it runs from the last-known-good config " + this.current.version()));
			return new Failure(cause, Fallback.RESTORED);
		}
		catch (Exception ex) {
			stop(component);
			this.report.component(component.name(), ComponentResult.Action.STOPPED, 0);
			this.report.error(ReloadError.component(ErrorType.CRITICAL, component.name(), "rollback failed (" + cause
					+ ") and so did its fallback (" + ReloadRun.describe(ex) + "); it was stopped"));
			return new Failure(cause, Fallback.STOPPED);
		}
	}

	private boolean stillApplying(HotReloadable component) {
		CountDownLatch ended = this.applyEnded.get(component);
		return ended != null && ended.getCount() > 0;
	}

	private void stop(HotReloadable component) {
		try {
			component.stop();
		}
		catch (RuntimeException ex) {
			logger.error("Component " + component.name() + " could not be stopped: " + ReloadRun.describe(ex));
		}
	}

	private <T> T call(Callable<T> call) throws Exception {
		return this.parts.workers().call(call, timeout(), "did not finish within the rollback timeout of "
				+ timeout().toMillis() + " ms (btcfed.reload.rollback-timeout)");
	}

	private Duration timeout() {
		return this.parts.settings().getRollbackTimeout();
	}

	/** How a component whose rollback failed was left. */
	enum Fallback {

		/** Restored to the configuration the reload started from. */
		RESTORED,

		/** Even the restore failed: stopped. */
		STOPPED,

		/** Its apply still runs (it ignored the interrupt): left alone, to restart the node. */
		LEFT_APPLYING

	}

	/**
	 * A failed rollback.
	 *
	 * @param cause why the rollback failed, safe to show an operator
	 * @param fallback how the component was left
	 */
	record Failure(String cause, Fallback fallback) {

		@Override
		public String toString() {
			return this.cause + "; " + this.fallback;
		}

	}

}
