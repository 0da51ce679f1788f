package org.btcfed.node.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryTemplate;

/**
 * The one validation pipeline. Start-up, a reload, a dry run and the {@code validate} command all
 * put a configuration through it, stage after stage, and every error found is reported, not only
 * the first:
 * <ol>
 * <li>read and bind both files (syntax, schema, types, cross-file rules), retrying a file caught
 * while an editor was writing it;</li>
 * <li>the rules of each part of the node ({@link ConfigRules}): keys that cannot change while it
 * runs, and its own checks (only where the parts exist: reload and dry run);</li>
 * <li>what the machine must give ({@link ResourceValidator}): free listen ports, a writable log
 * file;</li>
 * <li>file permissions ({@link FilePermissions}): a key file others can read is an error, the
 * rest is a warning.</li>
 * </ol>
 * Reads files and probes ports; changes nothing.
 */
public final class ValidationPipeline {

	private final ConfigLoader loader;

	private final Path dataDir;

	private final RetryTemplate retry;

	private final Consumer<String> warnings;

	/**
	 * @param loader reads the config dir
	 * @param dataDir the data dir, against which a relative log file is resolved
	 * @param retries builds the retry of a file caught mid-write, given which failures are
	 * transient (the node's is {@code NodeProperties.Reload#retryTemplate})
	 * @param warnings receives findings that are reported but do not stop a configuration
	 */
	public ValidationPipeline(ConfigLoader loader, Path dataDir,
			Function<Predicate<Throwable>, RetryTemplate> retries, Consumer<String> warnings) {
		this.loader = loader;
		this.dataDir = dataDir;
		this.retry = retries.apply(ex -> ex instanceof ConfigException config && config.isTransient());
		this.warnings = warnings;
	}

	/**
	 * @return the loader this pipeline reads with
	 */
	public ConfigLoader loader() {
		return this.loader;
	}

	/**
	 * Puts the config dir's files through every stage.
	 * @param rules the parts of the node whose rules apply
	 * @param running the configuration that runs now, or {@code null} when none does
	 * @param held the listen addresses, of those the staged configuration names, that the running
	 * node already holds: they are not probed
	 * @param allowMissingKey whether an empty {@code node.private_key} is allowed
	 * @return the staged files (null when they cannot be read or bound) and every finding
	 */
	public Result validate(List<? extends ConfigRules> rules, @Nullable ConfigSnapshot running,
			Function<ConfigSnapshot, Set<Multiaddr>> held, boolean allowMissingKey) {
		Result read = stage(allowMissingKey);
		ConfigLoader.Staged staged = read.staged();
		return (staged != null) ? check(staged, rules, running, held) : read;
	}

	/**
	 * Every stage after the first, on files already read and bound.
	 * @param staged the staged files
	 * @param rules the parts of the node whose rules apply
	 * @param running the configuration that runs now, or {@code null} when none does
	 * @param held the listen addresses the running node already holds (not probed)
	 * @return the staged files and every finding
	 */
	public Result check(ConfigLoader.Staged staged, List<? extends ConfigRules> rules,
			@Nullable ConfigSnapshot running, Function<ConfigSnapshot, Set<Multiaddr>> held) {
		ConfigSnapshot snapshot = staged.snapshot();
		List<String> changed = (running != null) ? running.changedKeys(snapshot) : List.of();
		List<Finding> findings = new ArrayList<>();
		for (ConfigRules part : rules) {
			for (String key : changed) {
				if (part.fixedWhileRunning(key)) {
					findings.add(new Finding(part.name(), snapshot.errorAt(key,
							"cannot change while the node runs; restart the node to apply it"), false));
				}
			}
			part.validate(snapshot).forEach(error -> findings.add(new Finding(part.name(), error, false)));
		}
		ResourceValidator.validate(snapshot, held.apply(snapshot), this.dataDir)
			.forEach(error -> findings.add(new Finding(null, error, false)));
		FilePermissions.configErrors(this.loader.configDir(), snapshot.config().node().key() != null, this.warnings)
			.forEach(error -> findings.add(new Finding(null, error, false)));
		return new Result(staged, changed, findings);
	}

	/**
	 * The first stage only: reads and binds both files.
	 * @param allowMissingKey whether an empty {@code node.private_key} is allowed
	 * @return the staged files, or no files and why they cannot be read or bound
	 */
	public Result stage(boolean allowMissingKey) {
		try {
			return new Result(this.retry.execute(() -> this.loader.stage(allowMissingKey)), List.of(), List.of());
		}
		catch (RetryException ex) {
			if (ex.getCause() instanceof ConfigException config) {
				boolean system = config.isTransient();
				return new Result(null, List.of(),
						config.getErrors().stream().map(error -> new Finding(null, error, system)).toList());
			}
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(cause.getMessage(), cause);
		}
	}

	/**
	 * One problem with a configuration.
	 *
	 * @param part the part of the node whose rule found it, or {@code null} for the shared stages
	 * @param error what and where
	 * @param system whether it is the machine's fault rather than the files' (a file that stayed
	 * unreadable), so that retrying later may succeed
	 */
	public record Finding(@Nullable String part, ConfigError error, boolean system) {
	}

	/**
	 * What the pipeline found.
	 *
	 * @param staged the staged files, or {@code null} when they could not be read or bound
	 * @param changedKeys the keys that differ from the running configuration, sorted
	 * @param findings every problem, in stage order
	 */
	public record Result(ConfigLoader.@Nullable Staged staged, List<String> changedKeys, List<Finding> findings) {

		public Result {
			changedKeys = List.copyOf(changedKeys);
			findings = List.copyOf(findings);
		}

		/**
		 * @return whether the configuration can be used
		 */
		public boolean isValid() {
			return this.staged != null && this.findings.isEmpty();
		}

		/**
		 * @return the errors, without the part that found them
		 */
		public List<ConfigError> errors() {
			return this.findings.stream().map(Finding::error).toList();
		}

		/**
		 * @return the staged files of a valid configuration
		 * @throws ConfigException listing every error when it is not valid
		 */
		public ConfigLoader.Staged orThrow() {
			if (!isValid()) {
				throw new ConfigException(errors());
			}
			return this.staged;
		}

	}

}
