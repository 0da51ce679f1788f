package org.btcfed.node.logging;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.joran.spi.ConsoleTarget;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeConfig.LoggingSettings;
import org.btcfed.node.config.ResourceValidator;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.HotReloadable;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The node's logging, as {@code logging.*} in conf.yaml describes it: the root level, and console
 * and rotating file outputs in JSON (Spring Boot's logstash format) or text.
 * <p>
 * When the bean is created it takes over the Logback root logger: the appenders Spring Boot
 * configured are replaced by one {@link SwitchingAppender} that feeds the configured outputs.
 * On reload only what changed is touched: a level change is a field write; a format or output
 * change opens the new outputs first, switches to them in one step and only then closes the old
 * ones, so that no line is lost and an output that cannot open (a log file that is a directory)
 * fails the apply with the old outputs still in place.
 * <p>
 * {@link #apply} moves to the target from what actually runs, not from
 * {@code update.previous()}, so the default {@link #rollback} (apply the reversed update) and
 * {@link #restore} work after a failed or partial apply too. Whether the log file can be
 * written is checked before a reload by {@link ResourceValidator}.
 * <p>
 * Thread-safe: reloads are serialized by a lock; any thread may log at any time.
 */
@Component
public class LoggingComponent implements HotReloadable {

	private final LoggerContext context;

	private final Path dataDir;

	private final OutputFactory factory;

	private final SwitchingAppender switching = new SwitchingAppender();

	private final Object lock = new Object();

	/** What runs now; null only until the startup settings are installed. Guarded by lock. */
	private @Nullable LoggingSettings live;

	/** Guarded by lock. */
	private @Nullable Appender<ILoggingEvent> console;

	/** Guarded by lock. */
	private @Nullable Appender<ILoggingEvent> file;

	/**
	 * Creates the component and applies the startup settings to Logback's root logger.
	 * @param startupConfig the configuration the node started with
	 * @param properties the node's settings, for the data dir the log file is resolved against
	 */
	@Autowired
	public LoggingComponent(ConfigSnapshot startupConfig, NodeProperties properties) {
		this(startupConfig, properties.getDataDir(), logbackContext(), ConsoleTarget.SystemOut.getStream());
	}

	/**
	 * @param startupConfig the configuration the node started with
	 * @param dataDir the directory a relative log file name is resolved against
	 * @param context the Logback context whose root logger this component drives
	 * @param console where console output goes
	 */
	LoggingComponent(ConfigSnapshot startupConfig, Path dataDir, LoggerContext context, OutputStream console) {
		this.context = context;
		this.dataDir = dataDir;
		this.factory = new OutputFactory(context, console);
		this.switching.setContext(context);
		this.switching.start();
		reconcile(startupConfig.config().logging());
		this.switching.takeOver(root());
	}

	private static LoggerContext logbackContext() {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (factory instanceof LoggerContext context) {
			return context;
		}
		throw new IllegalStateException(
				"logging needs Logback as the SLF4J provider, found " + factory.getClass().getName());
	}

	@Override
	public String name() {
		return "logging";
	}

	@Override
	public Set<String> ownedKeys() {
		return Set.of("logging");
	}

	@Override
	public void apply(ComponentUpdate update) {
		reconcile(update.target().config().logging());
	}

	/**
	 * @return the outputs events go to now, in order: console, then file
	 */
	List<Appender<ILoggingEvent>> outputs() {
		return this.switching.outputs();
	}

	/**
	 * Makes Logback run {@code target}, changing only what differs from what runs now.
	 * @throws IllegalStateException naming the output that could not be opened; nothing changed
	 */
	private void reconcile(LoggingSettings target) {
		synchronized (this.lock) {
			LoggingSettings current = this.live;
			boolean reformat = current == null || current.format() != target.format();
			Appender<ILoggingEvent> nextConsole = nextConsole(target, reformat);
			Appender<ILoggingEvent> nextFile;
			try {
				nextFile = nextFile(current, target, reformat);
			}
			catch (RuntimeException ex) {
				stopUnlessKept(nextConsole, this.console);
				throw ex;
			}
			switchOutputs(nextConsole, nextFile);
			// Only when it changed: a level set meanwhile through /actuator/loggers is the
			// operator's, and a reload of other logging keys should not undo it.
			if (current == null || current.level() != target.level()) {
				root().setLevel(Level.toLevel(target.level().name()));
			}
			this.live = target;
		}
	}

	private @Nullable Appender<ILoggingEvent> nextConsole(LoggingSettings target, boolean reformat) {
		if (!target.consoleOutput()) {
			return null;
		}
		LoggingSettings current = this.live;
		boolean recolor = current == null || current.consoleColor() != target.consoleColor();
		return (reformat || recolor || this.console == null)
				? this.factory.console(target.format(), target.consoleColor()) : this.console;
	}

	private @Nullable Appender<ILoggingEvent> nextFile(@Nullable LoggingSettings current, LoggingSettings target,
			boolean reformat) {
		if (!target.fileOutput()) {
			return null;
		}
		boolean reuse = !reformat && this.file != null && sameFile(Objects.requireNonNull(current), target);
		return reuse ? this.file : this.factory.file(target, logFile(target));
	}

	private boolean sameFile(LoggingSettings current, LoggingSettings target) {
		return logFile(current).equals(logFile(target)) && current.fileMaxSize().equals(target.fileMaxSize())
				&& current.fileMaxHistory() == target.fileMaxHistory();
	}

	private Path logFile(LoggingSettings settings) {
		return ResourceValidator.logFile(this.dataDir, settings.fileName());
	}

	/**
	 * Switches to the new outputs, then stops the old ones that are not kept: the switch waits for
	 * lines being written, so the old outputs are idle by the time they close.
	 */
	private void switchOutputs(@Nullable Appender<ILoggingEvent> nextConsole,
			@Nullable Appender<ILoggingEvent> nextFile) {
		if (nextConsole == this.console && nextFile == this.file) {
			return;
		}
		List<Appender<ILoggingEvent>> next = new ArrayList<>(2);
		if (nextConsole != null) {
			next.add(nextConsole);
		}
		if (nextFile != null) {
			next.add(nextFile);
		}
		this.switching.switchTo(next);
		stopUnlessKept(this.console, nextConsole);
		stopUnlessKept(this.file, nextFile);
		this.console = nextConsole;
		this.file = nextFile;
	}

	/** Stops {@code appender} unless it is {@code kept}, the one staying in use. */
	private static void stopUnlessKept(@Nullable Appender<ILoggingEvent> appender,
			@Nullable Appender<ILoggingEvent> kept) {
		if (appender != null && appender != kept) {
			appender.stop();
		}
	}

	private Logger root() {
		return this.context.getLogger(Logger.ROOT_LOGGER_NAME);
	}

}
