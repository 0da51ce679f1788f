package org.btcfed.node.logging;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.spi.LifeCycle;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.WarnStatus;
import org.btcfed.node.config.NodeConfig.LogFormat;
import org.btcfed.node.config.NodeConfig.LoggingSettings;
import org.btcfed.node.config.ResourceValidator;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

/**
 * Builds started Logback outputs for the logging settings: the console and the rotating log file,
 * each with the encoder of {@code logging.format}. An output that cannot start is stopped again
 * and reported by an exception that names it, so that the caller keeps its current outputs.
 */
final class OutputFactory {

	/** Text lines: ISO-8601 timestamp with offset, level, thread, logger, message. */
	static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %msg%n";

	/** {@link #TEXT_PATTERN} with the level coloured, for {@code console_color: true}. */
	static final String COLOR_PATTERN = TEXT_PATTERN.replace("%-5level", "%highlight(%-5level)");

	/** Spring Boot's structured format used for {@code format: json}. */
	static final String JSON_FORMAT = "logstash";

	/** The largest {@code logging.file_max_history} the schema allows. */
	private static final int MAX_HISTORY = 1000;

	private final LoggerContext context;

	private final OutputStream console;

	/**
	 * @param context the logger context the outputs belong to
	 * @param console where console output goes (standard output in the node)
	 */
	OutputFactory(LoggerContext context, OutputStream console) {
		this.context = context;
		this.console = console;
	}

	/**
	 * @param format the log format
	 * @param color whether text lines show their level in colour (JSON lines never do)
	 * @return a started console output
	 */
	OutputStreamAppender<ILoggingEvent> console(LogFormat format, boolean color) {
		OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
		appender.setContext(this.context);
		appender.setName("CONSOLE");
		appender.setOutputStream(this.console);
		Encoder<ILoggingEvent> encoder = encoder(format, color);
		appender.setEncoder(encoder);
		return started(appender, "console output", List.of(encoder));
	}

	/**
	 * @param settings the logging settings (format, size and history)
	 * @param file the resolved log file
	 * @return a started file output that rotates at {@code file_max_size}
	 * @throws IllegalStateException naming the file when it cannot be opened
	 */
	RollingFileAppender<ILoggingEvent> file(LoggingSettings settings, Path file) {
		String problem = ResourceValidator.rotationProblem(file);
		if (problem != null) {
			throw new IllegalStateException(problem);
		}
		RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
		appender.setContext(this.context);
		appender.setName("FILE");
		// Logback insists on the file being set before the policies.
		appender.setFile(file.toString());
		Encoder<ILoggingEvent> encoder = encoder(settings.format(), false);
		appender.setEncoder(encoder);
		FixedWindowRollingPolicy rolling = rollingPolicy(appender, file, settings.fileMaxHistory());
		SizeTriggeringPolicy trigger = new SizeTriggeringPolicy(settings.fileMaxSize().toBytes());
		trigger.setContext(this.context);
		trigger.start();
		appender.setRollingPolicy(rolling);
		appender.setTriggeringPolicy(trigger);
		return started(appender, "log file " + file, List.of(encoder, rolling, trigger));
	}

	private FixedWindowRollingPolicy rollingPolicy(RollingFileAppender<ILoggingEvent> appender, Path file,
			int history) {
		FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy() {

			// Logback caps the window at 20 files unless told otherwise.
			@Override
			protected int getMaxWindowSize() {
				return MAX_HISTORY;
			}

		};
		rolling.setContext(this.context);
		rolling.setParent(appender);
		rolling.setFileNamePattern(file + ".%i");
		rolling.setMinIndex(1);
		rolling.setMaxIndex(history);
		rolling.start();
		return rolling;
	}

	/**
	 * Logback names rotated files from a pattern in which '%' starts a conversion word and cannot
	 * be escaped (a backslash is taken for a path separator), so such a path cannot be rotated.
	 * @param file the resolved log file
	 * @return why it cannot be used, or {@code null} when it can
	 */
	private Encoder<ILoggingEvent> encoder(LogFormat format, boolean color) {
		if (format == LogFormat.JSON) {
			ensureEnvironment();
			StructuredLogEncoder encoder = new StructuredLogEncoder();
			encoder.setContext(this.context);
			encoder.setFormat(JSON_FORMAT);
			encoder.start();
			return encoder;
		}
		PatternLayoutEncoder encoder = new PatternLayoutEncoder();
		encoder.setContext(this.context);
		encoder.setPattern(color ? COLOR_PATTERN : TEXT_PATTERN);
		encoder.start();
		return encoder;
	}

	/**
	 * Spring Boot's logging system puts the application's Environment into the logger context,
	 * where the structured encoder reads its {@code logging.structured.*} settings. Without Boot's
	 * logging system it is missing; rather than refusing to log, fall back to system properties
	 * and environment variables, and say so in Logback's status.
	 */
	private void ensureEnvironment() {
		String key = Environment.class.getName();
		if (this.context.getObject(key) == null) {
			this.context.putObject(key, new StandardEnvironment());
			this.context.getStatusManager()
				.add(new WarnStatus("No Spring Environment in the logger context; JSON logging reads"
						+ " logging.structured.* from system properties and environment variables only", this));
		}
	}

	private <A extends OutputStreamAppender<ILoggingEvent>> A started(A appender, String what,
			List<LifeCycle> parts) {
		appender.start();
		if (!appender.isStarted()) {
			// A half-built appender holds nothing open, but its parts may: stop them.
			parts.forEach(LifeCycle::stop);
			throw new IllegalStateException("cannot open " + what + ": " + reason(appender));
		}
		return appender;
	}

	/**
	 * Logback reports a failed start as error statuses rather than exceptions: find the latest one
	 * from this appender.
	 */
	private String reason(Object appender) {
		List<Status> statuses = this.context.getStatusManager().getCopyOfStatusList();
		for (int i = statuses.size() - 1; i >= 0; i--) {
			Status status = statuses.get(i);
			if (status.getOrigin() == appender && status.getLevel() == Status.ERROR) {
				Throwable cause = status.getThrowable();
				return (cause != null && cause.getMessage() != null) ? cause.getMessage() : status.getMessage();
			}
		}
		return "Logback could not start it (see its status messages)";
	}

}
