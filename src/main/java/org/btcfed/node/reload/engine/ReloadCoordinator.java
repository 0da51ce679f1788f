package org.btcfed.node.reload.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.history.ConfigVersionStore;
import org.btcfed.node.reload.history.ReloadHistory;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadState;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.jspecify.annotations.Nullable;

/**
 * Runs reloads, one at a time, through the state machine IDLE, VALIDATING, UPDATING,
 * ROLLING_BACK (and FAILED when a rollback fails). Triggers arriving while a reload runs
 * coalesce into at most one pending reload, which reads the files as they are when it starts.
 * Signal and file-watch reloads also start at least {@code btcfed.reload.min-interval} apart,
 * so a storm of signals costs one reload per interval, however many signals it holds.
 * <p>
 * The active snapshot is published by one reference swap after every affected component has
 * applied; readers never see a half-applied configuration. Thread-safe: {@link #submit} may be
 * called from any thread (signal handler, HTTP, file watcher).
 */
public class ReloadCoordinator implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ReloadCoordinator.class);

	final ConfigLoader loader;

	final ReloadPlan plan;

	final ReloadHistory history;

	final ConfigVersionStore versions;

	final NodeProperties.Reload settings;

	final Path dataDir;

	final List<ReloadListener> listeners;

	final ExecutorService workers = Executors.newCachedThreadPool(threads("hotreload-worker"));

	final AtomicReference<ConfigSnapshot> active;

	/** Components that run from a fallback after a failed rollback; re-applied by the next reload. */
	final Set<String> degraded = ConcurrentHashMap.newKeySet();

	volatile ConfigSnapshot lastKnownGood;

	volatile ReloadState state = ReloadState.IDLE;

	volatile @Nullable String failureReason;

	private final ExecutorService engine = Executors.newSingleThreadExecutor(threads("hotreload"));

	/** Version backups are written off the reload's critical path, in commit order. */
	private final ExecutorService backups = Executors.newSingleThreadExecutor(threads("hotreload-versions"));

	private @Nullable Pending pending;

	/** When the last reload started; touched only by the engine thread. */
	private long lastStartNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);

	/**
	 * @param loader reads the staged configuration
	 * @param initial the configuration the node started with, already applied by the components
	 * @param plan the components in update order
	 * @param history where reports go
	 * @param versions where committed versions go
	 * @param properties the node's settings (data dir, timeouts, retries)
	 * @param listeners who hears of commits and reports
	 */
	public ReloadCoordinator(ConfigLoader loader, ConfigLoader.Staged initial, ReloadPlan plan, ReloadHistory history,
			ConfigVersionStore versions, NodeProperties properties, List<ReloadListener> listeners) {
		this.loader = loader;
		this.plan = plan;
		this.history = history;
		this.versions = versions;
		this.settings = properties.getReload();
		this.dataDir = properties.getDataDir();
		this.listeners = List.copyOf(listeners);
		this.active = new AtomicReference<>(initial.snapshot());
		this.lastKnownGood = initial.snapshot();
	}

	/**
	 * Records the start-up configuration as the first version and report of this run.
	 * @param initial the configuration the node started with
	 * @return the start-up report
	 */
	public ReloadReport recordStartup(ConfigLoader.Staged initial) {
		ReportBuilder report = new ReportBuilder(ReloadTrigger.STARTUP);
		saveVersion(initial);
		return publish(report.build(ReloadStatus.SUCCEEDED, null, initial.snapshot().version()));
	}

	/**
	 * Asks for a reload. Never blocks: the reload runs on the engine's thread.
	 * @param request what to do
	 * @return the report, when the reload (or the pending one it was folded into) ends; fails
	 * with {@link VersionMismatchException} for a stale {@code If-Match}
	 */
	public CompletableFuture<ReloadReport> submit(ReloadRequest request) {
		Pending run;
		synchronized (this) {
			if (request.coalescible() && this.pending != null) {
				this.listeners.forEach(listener -> notify(() -> listener.onCoalesced(request.trigger())));
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
			// pending one, folds every trigger of the storm into it: a storm costs one reload per
			// min-interval, however many signals it holds.
			long wait = this.lastStartNanos + this.settings.getMinInterval().toNanos() - System.nanoTime();
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
			run.result.complete(new ReloadRun(this, run.request).run());
		}
		catch (VersionMismatchException ex) {
			run.result.completeExceptionally(ex);
		}
		catch (RuntimeException | Error ex) {
			logger.error("Reload failed unexpectedly; the node keeps its running configuration", ex);
			this.state = this.degraded.isEmpty() ? ReloadState.IDLE : ReloadState.FAILED;
			run.result.completeExceptionally(ex);
		}
	}

	/** Keeps a committed version's files; asynchronous, since a backup must not slow a reload. */
	void saveVersion(ConfigLoader.Staged committed) {
		Runnable save = () -> this.versions.save(committed.snapshot().version(), committed.files());
		try {
			this.backups.execute(save);
		}
		catch (RejectedExecutionException ex) {
			save.run();
		}
	}

	private static boolean isFireAndForget(ReloadTrigger trigger) {
		return trigger == ReloadTrigger.SIGNAL || trigger == ReloadTrigger.FILE_WATCH;
	}

	ReloadReport publish(ReloadReport report) {
		ReloadReport recorded = this.history.append(report);
		this.listeners.forEach(listener -> notify(() -> listener.onReport(recorded)));
		return recorded;
	}

	static void notify(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.warn("A reload listener failed: " + ex, ex);
		}
	}

	/**
	 * @return the configuration that runs now
	 */
	public ConfigSnapshot active() {
		return this.active.get();
	}

	/**
	 * @return the last configuration every component ran successfully
	 */
	public ConfigSnapshot lastKnownGood() {
		return this.lastKnownGood;
	}

	/**
	 * @return the engine's state
	 */
	public ReloadState state() {
		return this.state;
	}

	/**
	 * @return why the engine is FAILED, or {@code null}
	 */
	public @Nullable String failureReason() {
		return this.failureReason;
	}

	/**
	 * @return the reload history
	 */
	public ReloadHistory history() {
		return this.history;
	}

	/**
	 * @return the components in update order
	 */
	public ReloadPlan plan() {
		return this.plan;
	}

	@Override
	public void close() {
		this.engine.shutdownNow();
		this.workers.shutdownNow();
		this.backups.shutdown();
		try {
			if (!this.backups.awaitTermination(5, TimeUnit.SECONDS)) {
				logger.warn("A config version backup did not finish before shutdown");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static ThreadFactory threads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return runnable -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private record Pending(ReloadRequest request, CompletableFuture<ReloadReport> result) {
	}

}
