package org.btcfed.node.reload.trigger;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The optional file-watch trigger ({@code btcfed.reload.watch=true}): a change of conf.yaml or
 * peers.yaml in the config dir asks for a reload once the directory has been quiet for the
 * debounce time, so that an editor's several writes make one reload.
 * <p>
 * It watches the directory, not the files, so it sees what editors and Kubernetes actually do:
 * writes in place, save-by-rename (a temp file renamed over conf.yaml) and a ConfigMap's atomic
 * swap of the {@code ..data} symlink that conf.yaml and peers.yaml point through.
 */
public class FileWatchTrigger implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(FileWatchTrigger.class);

	/** Names whose change means the configuration may have changed. */
	private static final Set<String> WATCHED = Set.of("conf.yaml", "peers.yaml", "..data");

	private final Path directory;

	private final Duration debounce;

	private final Runnable reload;

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(daemonThreads("hotreload-watch-debounce-"));

	private volatile @Nullable WatchService watcher;

	private @Nullable ScheduledFuture<?> pending;

	/**
	 * @param directory the config dir
	 * @param debounce how long the directory must be quiet before the reload
	 * @param reload asks for the reload
	 */
	public FileWatchTrigger(Path directory, Duration debounce, Runnable reload) {
		this.directory = directory;
		this.debounce = debounce;
		this.reload = reload;
	}

	@Override
	public void start() {
		try {
			WatchService service = FileSystems.getDefault().newWatchService();
			this.directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
					StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
			this.watcher = service;
			daemonThreads("hotreload-watch-").newThread(() -> watch(service)).start();
			logger.info("Watching " + this.directory.toAbsolutePath() + " for changes of conf.yaml and peers.yaml");
		}
		catch (IOException ex) {
			logger.warn("Cannot watch " + this.directory.toAbsolutePath() + " (" + ex.getMessage()
					+ "); reload with SIGHUP or POST /actuator/hotreload instead");
		}
	}

	private void watch(WatchService service) {
		try {
			while (true) {
				WatchKey key = service.take();
				boolean relevant = false;
				for (WatchEvent<?> event : key.pollEvents()) {
					relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
							|| (event.context() instanceof Path name && WATCHED.contains(name.toString()));
				}
				if (relevant) {
					schedule();
				}
				if (!key.reset()) {
					logger.warn("The config dir " + this.directory.toAbsolutePath()
							+ " can no longer be watched; reload with SIGHUP or POST /actuator/hotreload");
					return;
				}
			}
		}
		catch (InterruptedException | ClosedWatchServiceException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private synchronized void schedule() {
		if (this.pending != null) {
			this.pending.cancel(false);
		}
		this.pending = this.timer.schedule(this.reload, this.debounce.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		WatchService service = this.watcher;
		this.watcher = null;
		if (service != null) {
			try {
				service.close();
			}
			catch (IOException ex) {
				logger.debug("Closing the config watcher failed", ex);
			}
		}
		this.timer.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		return this.watcher != null;
	}

	private static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

}
