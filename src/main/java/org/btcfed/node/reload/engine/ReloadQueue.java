package org.btcfed.node.reload.engine;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.jspecify.annotations.Nullable;

/**
 * Puts reloads on the engine's one thread. Triggers arriving while a reload runs coalesce into
 * at most one pending reload, which reads the files as they are when it starts. Signal and
 * file-watch reloads also start at least {@code btcfed.reload.min-interval} apart, so a storm of
 * signals costs one reload per interval, however many signals it holds. Thread-safe.
 */
final class ReloadQueue implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ReloadCoordinator.class);

	private final ExecutorService engine = Executors.newSingleThreadExecutor(Workers.daemonThreads("hotreload-"));

	private final Duration minInterval;

	private final Function<ReloadRequest, ReloadReport> reload;

	private final Consumer<ReloadTrigger> coalesced;

	private @Nullable Pending pending;

	/** When the last reload started; touched only by the engine thread. */
	private long lastStartNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

	/**
	 * @param minInterval how far apart signal and file-watch reloads start at least
	 * @param reload runs one reload, on the engine's thread
	 * @param coalesced told of each trigger folded into a pending reload
	 */
	ReloadQueue(Duration minInterval, Function<ReloadRequest, ReloadReport> reload,
			Consumer<ReloadTrigger> coalesced) {
		this.minInterval = minInterval;
		this.reload = reload;
		this.coalesced = coalesced;
	}

	/**
	 * @param request what to do
	 * @return the report, when the reload (or the pending one it was folded into) ends
	 */
	CompletableFuture<ReloadReport> submit(ReloadRequest request) {
		Pending run;
		synchronized (this) {
			if (request.coalescible() && this.pending != null) {
				this.coalesced.accept(request.trigger());
				return this.pending.result;
			}
			run = new Pending(request, new CompletableFuture<>());
			if (request.coalescible()) {
				this.pending = run;
			}
		}
		try {
			this.engine.execute(() -> execute(run));
		}
		catch (RejectedExecutionException ex) {
			run.result.completeExceptionally(new IllegalStateException("The node is shutting down"));
		}
		return run.result;
	}

	private void execute(Pending run) {
		if (isFireAndForget(run.request.trigger())) {
			// Signals and file events come in storms. Waiting here, while this run is still the
			// pending one, folds every trigger of the storm into it.
			long wait = this.lastStartNanos + this.minInterval.toNanos() - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
		}
		this.lastStartNanos = System.nanoTime();
		synchronized (this) {
			if (this.pending == run) {
				this.pending = null;
			}
		}
		try {
			run.result.complete(this.reload.apply(run.request));
		}
		catch (VersionMismatchException ex) {
			run.result.completeExceptionally(ex);
		}
		catch (RuntimeException | Error ex) {
			logger.error("Reload failed unexpectedly; the node keeps its running configuration", ex);
			run.result.completeExceptionally(ex);
		}
	}

	private static boolean isFireAndForget(ReloadTrigger trigger) {
		return trigger == ReloadTrigger.SIGNAL || trigger == ReloadTrigger.FILE_WATCH;
	}

	@Override
	public void close() {
		this.engine.shutdownNow();
	}

	private record Pending(ReloadRequest request, CompletableFuture<ReloadReport> result) {
	}

}
