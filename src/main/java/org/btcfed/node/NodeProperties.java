package org.btcfed.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ValidationPipeline;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * The node's own settings ({@code btcfed.*} on the command line, environment or
 * application.yaml), as opposed to the federation config in conf.yaml and peers.yaml.
 */
@ConfigurationProperties("btcfed")
public class NodeProperties {

	/** Directory holding conf.yaml and peers.yaml. */
	private Path configDir = Path.of("config");

	/** Directory for the pid file, admin token, reload history and config versions. */
	private Path dataDir = Path.of("data");

	private final Reload reload = new Reload();

	public Path getConfigDir() {
		return this.configDir;
	}

	public void setConfigDir(Path configDir) {
		this.configDir = configDir;
	}

	public Path getDataDir() {
		return this.dataDir;
	}

	public void setDataDir(Path dataDir) {
		this.dataDir = dataDir;
	}

	/**
	 * The validation pipeline over these settings: their data dir and retry.
	 * @param loader reads the config dir
	 * @param warnings receives findings that are reported but do not stop a configuration
	 * @return the pipeline
	 */
	public ValidationPipeline validationPipeline(ConfigLoader loader, Consumer<String> warnings) {
		return new ValidationPipeline(loader, this.dataDir, this.reload::retryTemplate, warnings);
	}

	public Reload getReload() {
		return this.reload;
	}

	/** {@code btcfed.reload.*}: how the engine runs. */
	public static class Reload {

		private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(1);

		/** Longest time reading, parsing and validating may take. */
		private Duration validateTimeout = Duration.ofSeconds(10);

		/** Longest time applying to all components may take, retries included. */
		private Duration updateTimeout = Duration.ofSeconds(30);

		/** Longest time one component's rollback may take. */
		private Duration rollbackTimeout = Duration.ofSeconds(30);

		/** Attempts for a step that fails transiently (a file mid-write, a port in TIME_WAIT). */
		private int retryAttempts = 5;

		/** First retry delay; doubles for each further attempt. */
		private Duration retryBackoff = Duration.ofMillis(50);

		/** Least time between the starts of two signal or file-watch reloads; triggers in between coalesce. */
		private Duration minInterval = Duration.ofMillis(100);

		/** Reload reports kept in the history (memory and file). */
		private int historyLimit = 200;

		/** Committed config versions kept in the data dir. */
		private int keepVersions = 10;

		/** Reload when conf.yaml or peers.yaml change on disk. */
		private boolean watch = false;

		/** With the file watch: how long the config dir must be quiet before the reload. */
		private Duration watchDebounce = Duration.ofMillis(250);

		public Duration getValidateTimeout() {
			return this.validateTimeout;
		}

		public void setValidateTimeout(Duration validateTimeout) {
			this.validateTimeout = validateTimeout;
		}

		public Duration getUpdateTimeout() {
			return this.updateTimeout;
		}

		public void setUpdateTimeout(Duration updateTimeout) {
			this.updateTimeout = updateTimeout;
		}

		public Duration getRollbackTimeout() {
			return this.rollbackTimeout;
		}

		public void setRollbackTimeout(Duration rollbackTimeout) {
			this.rollbackTimeout = rollbackTimeout;
		}

		public int getRetryAttempts() {
			return this.retryAttempts;
		}

		public void setRetryAttempts(int retryAttempts) {
			this.retryAttempts = retryAttempts;
		}

		public Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		/**
		 * The retry of a step that fails transiently (a file caught mid-write, a port still in
		 * TIME_WAIT): {@code retry-attempts} attempts in all, the first delay
		 * {@code retry-backoff}, doubling after each attempt, never more than one second apart.
		 * @param isTransient which failures are worth another attempt; others end it at once
		 * @return the retry
		 */
		public RetryTemplate retryTemplate(Predicate<Throwable> isTransient) {
			Duration first = (this.retryBackoff.compareTo(MAX_RETRY_DELAY) > 0) ? MAX_RETRY_DELAY : this.retryBackoff;
			return new RetryTemplate(RetryPolicy.builder()
				.maxRetries(Math.max(0, this.retryAttempts - 1))
				.delay(first)
				.multiplier(2)
				.maxDelay(MAX_RETRY_DELAY)
				.predicate(isTransient)
				.build());
		}

		public Duration getMinInterval() {
			return this.minInterval;
		}

		public void setMinInterval(Duration minInterval) {
			this.minInterval = minInterval;
		}

		public int getHistoryLimit() {
			return this.historyLimit;
		}

		public void setHistoryLimit(int historyLimit) {
			this.historyLimit = historyLimit;
		}

		public int getKeepVersions() {
			return this.keepVersions;
		}

		public void setKeepVersions(int keepVersions) {
			this.keepVersions = keepVersions;
		}

		public Duration getWatchDebounce() {
			return this.watchDebounce;
		}

		public void setWatchDebounce(Duration watchDebounce) {
			this.watchDebounce = watchDebounce;
		}

		public boolean isWatch() {
			return this.watch;
		}

		public void setWatch(boolean watch) {
			this.watch = watch;
		}

	}

}
