package org.btcfed.node.reload.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.ValidationPipeline;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.TransientReloadException;
import org.btcfed.node.reload.history.ConfigVersionStore;
import org.btcfed.node.reload.history.ReloadHistory;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadState;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.jspecify.annotations.Nullable;

/**
 * The reload engine's facade and the sole owner of its state. Runs reloads, one at a time,
 * through the states IDLE, VALIDATING, UPDATING, ROLLING_BACK (and FAILED when a rollback
 * fails). A {@link ReloadRun} computes what a reload does and returns its outcome; only the
 * coordinator changes state, through four transitions: {@link #beginPhase begin a phase},
 * {@link #commit}, {@link #degrade} and {@link #settle}. Every attempt is then recorded and
 * published to the {@link ReloadListener}s.
 * <p>
 * Reloads queue on the engine's one thread, coalescing triggers that arrive while one runs
 * (see {@link ReloadQueue}).
 * <p>
 * The active snapshot is published by one reference swap after every affected component has
 * applied; readers never see a half-applied configuration. Thread-safe: {@link #submit} may be
 * called from any thread (signal handler, HTTP, file watcher).
 */
public class ReloadCoordinator implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ReloadCoordinator.class);

	private final EngineParts parts;

	private final ReloadHistory history;

	private final ConfigVersionStore versions;

	private final List<ReloadListener> listeners;

	private final AtomicReference<ConfigSnapshot> active;

	/** Components that run from a fallback after a failed rollback; re-applied by the next reload. */
	private final Set<String> degraded = ConcurrentHashMap.newKeySet();

	private volatile ReloadState state = ReloadState.IDLE;

	private volatile @Nullable String failureReason;

	private final ReloadQueue queue;

	/** Version backups are written off the reload's critical path, in commit order. */
	private final ExecutorService backups;

	/**
	 * @param pipeline validates staged configurations
	 * @param initial the configuration the node started with, already applied by the components
	 * @param components the components
	 * @param dependencies more update-order dependencies between components, by name, besides
	 * their own {@link HotReloadable#dependsOn()}
	 * @param history where reports go
	 * @param versions where committed versions go
	 * @param properties the node's settings (timeouts, retries, min interval)
	 * @param listeners who hears of commits and reports
	 */
	public ReloadCoordinator(ValidationPipeline pipeline, ConfigLoader.Staged initial,
			List<? extends HotReloadable> components, Map<String, Set<String>> dependencies, ReloadHistory history,
			ConfigVersionStore versions, NodeProperties properties, List<ReloadListener> listeners) {
		NodeProperties.Reload settings = properties.getReload();
		ReloadPlan plan = ReloadPlan.of(components, dependencies);
		this.parts = new EngineParts(pipeline, plan, settings, new Workers(),
				settings.retryTemplate(ex -> ex instanceof TransientReloadException));
		this.history = history;
		this.versions = versions;
		this.listeners = List.copyOf(listeners);
		this.active = new AtomicReference<>(initial.snapshot());
		this.queue = new ReloadQueue(settings.getMinInterval(), this::reload,
				trigger -> this.listeners.forEach(listener -> notify(() -> listener.onCoalesced(trigger))));
		this.backups = Executors.newSingleThreadExecutor(Workers.daemonThreads("hotreload-versions-"));
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
		return this.queue.submit(request);
	}

	/** One reload: the run computes its outcome, the coordinator applies and records it. */
	private ReloadReport reload(ReloadRequest request) {
		ConfigSnapshot current = this.active.get();
		String expected = request.expectedVersion();
		if (expected != null && !expected.equals(current.version())) {
			throw new VersionMismatchException(expected, current.version());
		}
		ReloadReport report;
		try {
			ReloadRun.Outcome outcome = new ReloadRun(this.parts, request, current, this.degraded, this::beginPhase)
				.run();
			if (outcome.commit() != null) {
				commit(current, outcome.commit(), outcome.changes());
				outcome.report().phase("commit");
			}
			else if (!outcome.rollbackFailures().isEmpty()) {
				degrade(outcome.rollbackFailures());
			}
			report = publish(outcome.report().build(outcome.status(), current.version(), outcome.version()));
		}
		finally {
			settle();
		}
		ReloadLog.log(report);
		return report;
	}

	/** Transition: a phase of the running reload begins. */
	private void beginPhase(ReloadState phase) {
		this.state = phase;
	}

	/** Transition: the staged configuration becomes the active one, any fallback state cleared. */
	private void commit(ConfigSnapshot previous, ConfigLoader.Staged committed, List<ConfigChange> changes) {
		ConfigSnapshot target = committed.snapshot();
		this.active.set(target);
		this.degraded.clear();
		this.failureReason = null;
		saveVersion(committed);
		this.listeners.forEach(l -> notify(() -> l.onCommit(previous, target, changes)));
	}

	/** Transition: components whose rollback failed run from a fallback until a reload succeeds. */
	private void degrade(Map<String, RollbackPhase.Failure> failures) {
		this.degraded.addAll(failures.keySet());
		this.failureReason = "Rollback failed for " + failures.keySet() + "; see reload report for details";
	}

	/** Transition: the reload has ended; the engine is IDLE, or FAILED while components are degraded. */
	private void settle() {
		this.state = this.degraded.isEmpty() ? ReloadState.IDLE : ReloadState.FAILED;
	}

	/** Keeps a committed version's files; asynchronous, since a backup must not slow a reload. */
	private void saveVersion(ConfigLoader.Staged committed) {
		Runnable save = () -> this.versions.save(committed.snapshot().version(), committed.files());
		try {
			this.backups.execute(save);
		}
		catch (RejectedExecutionException ex) {
			save.run();
		}
	}

	private ReloadReport publish(ReloadReport report) {
		ReloadReport recorded = this.history.append(report);
		this.listeners.forEach(listener -> notify(() -> listener.onReport(recorded)));
		return recorded;
	}

	private static void notify(Runnable call) {
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
	public List<HotReloadable> components() {
		return this.parts.plan().components();
	}

	@Override
	public void close() {
		this.queue.close();
		this.parts.workers().close();
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

}
