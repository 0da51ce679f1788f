package org.btcfed.node.reload.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
import org.jspecify.annotations.Nullable;

/**
 * Undoes a failed reload: every component applied (or applied in part) is rolled back, newest
 * first, each under the rollback timeout; all are attempted, and failures are aggregated into one
 * exception with the others suppressed. A component whose rollback fails runs from the
 * last-known-good config, or is stopped when even that fails; the engine is then FAILED.
 */
final class RollbackPhase {

	private static final Log logger = LogFactory.getLog(RollbackPhase.class);

	private final ReloadCoordinator engine;

	private final ReportBuilder report;

	private final ConfigSnapshot current;

	private final Map<HotReloadable, CountDownLatch> applyEnded;

	RollbackPhase(ReloadCoordinator engine, ReportBuilder report, ConfigSnapshot current,
			Map<HotReloadable, CountDownLatch> applyEnded) {
		this.engine = engine;
		this.report = report;
		this.current = current;
		this.applyEnded = applyEnded;
	}

	/**
	 * Waits for a component's apply to have really ended: an apply that outlived its timeout and
	 * ignored the interrupt must not run at the same time as the rollback or restore of the same
	 * component.
	 */
	private void awaitApplyEnded(HotReloadable component, long timeoutMillis) throws Exception {
		CountDownLatch ended = this.applyEnded.get(component);
		if (ended != null && !ended.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
			throw new TimeoutException("its apply is still running after the update and rollback timeouts");
		}
	}

	/** @return whether every component was rolled back; otherwise the engine is FAILED */
	boolean run(List<Map.Entry<HotReloadable, ComponentUpdate>> applied) {
		List<Map.Entry<HotReloadable, ComponentUpdate>> failed = new ArrayList<>();
		Exception aggregate = null;
		for (int i = applied.size() - 1; i >= 0; i--) {
			HotReloadable component = applied.get(i).getKey();
			ComponentUpdate update = applied.get(i).getValue();
			long start = System.nanoTime();
			try {
				awaitApplyEnded(component, this.engine.settings.getRollbackTimeout().toMillis());
				callWithTimeout(() -> {
					try (HotReloadable.Isolation isolation = component.isolate()) {
						component.rollback(update);
					}
					return null;
				});
				this.report.component(component.name(), ComponentResult.Action.ROLLED_BACK, System.nanoTime() - start);
			}
			catch (Exception ex) {
				failed.add(applied.get(i));
				Exception cause = new IllegalStateException(component.name() + ": " + ReloadRun.describe(ex));
				if (aggregate == null) {
					aggregate = new IllegalStateException("Rollback failed", cause);
				}
				else {
					aggregate.addSuppressed(cause);
				}
			}
		}
		if (failed.isEmpty()) {
			return true;
		}
		fallBack(failed, aggregate);
		return false;
	}

	/** After failed rollbacks: run each such component from last-known-good, or stop it. */
	private void fallBack(List<Map.Entry<HotReloadable, ComponentUpdate>> failed, @Nullable Exception aggregate) {
		ConfigSnapshot good = this.engine.lastKnownGood;
		List<String> names = new ArrayList<>();
		for (Map.Entry<HotReloadable, ComponentUpdate> entry : failed) {
			HotReloadable component = entry.getKey();
			names.add(component.name());
			this.engine.degraded.add(component.name());
			String rollbackFailure = aggregateMessage(aggregate, component.name());
			if (stillApplying(component)) {
				// Restoring or stopping it now would race its own apply: leave it, say so.
				this.report.error(ReloadError.component(ErrorType.CRITICAL, component.name(), "rollback failed ("
						+ rollbackFailure + "); it is left as its apply leaves it: restart the node"));
				continue;
			}
			try {
				callWithTimeout(() -> {
					component.restore(entry.getValue(), good);
					return null;
				});
				this.report.component(component.name(), ComponentResult.Action.RESTORED, 0);
				this.report.error(ReloadError.component(ErrorType.CRITICAL, component.name(), "rollback failed ("
						+ rollbackFailure + "); it runs from the last-known-good config " + good.version()));
			}
			catch (Exception ex) {
				notifyStop(component);
				this.report.component(component.name(), ComponentResult.Action.STOPPED, 0);
				this.report.error(ReloadError.component(ErrorType.CRITICAL, component.name(), "rollback failed ("
						+ rollbackFailure + ") and so did its fallback (" + ReloadRun.describe(ex) + "); it was stopped"));
			}
		}
		this.engine.failureReason = "Rollback failed for " + names + "; see reload report for details";
		logger.error("Reload FAILED: the rollback of " + names + " failed. The node keeps running on config "
				+ this.current.version() + ", but " + names + " run from the last-known-good config or are stopped."
				+ " Fix the cause named in the report (GET /actuator/hotreload), then reload again: a successful"
				+ " reload re-applies these components and clears the failure. Restart the node if it does not.",
				aggregate);
	}

	private boolean stillApplying(HotReloadable component) {
		CountDownLatch ended = this.applyEnded.get(component);
		return ended != null && ended.getCount() > 0;
	}

	private static String aggregateMessage(@Nullable Exception aggregate, String component) {
		if (aggregate == null) {
			return "unknown";
		}
		List<Throwable> all = new ArrayList<>(List.of(aggregate.getSuppressed()));
		all.add(0, aggregate.getCause());
		return all.stream()
			.filter(t -> t != null && t.getMessage().startsWith(component + ": "))
			.map(t -> t.getMessage().substring(component.length() + 2))
			.findFirst()
			.orElse("unknown");
	}

	private void notifyStop(HotReloadable component) {
		try {
			component.stop();
		}
		catch (RuntimeException ex) {
			logger.error("Component " + component.name() + " could not be stopped: " + ReloadRun.describe(ex));
		}
	}

	private <T> T callWithTimeout(Callable<T> call) throws Exception {
		Future<T> future = this.engine.workers.submit(call);
		try {
			return future.get(this.engine.settings.getRollbackTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new TimeoutException("did not finish within the rollback timeout of "
					+ this.engine.settings.getRollbackTimeout().toMillis() + " ms (btcfed.reload.rollback-timeout)");
		}
	}

}
