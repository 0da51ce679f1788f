package org.btcfed.node.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import org.btcfed.node.config.NodeConfig.LogFormat;
import org.btcfed.node.config.NodeConfig.LogLevel;
import org.btcfed.node.config.NodeConfig.LoggingSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.json.BasicJsonParser;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link OutputFactory}, on a Logback context of their own.
 */
class OutputFactoryTests {

	@TempDir
	private Path dir;

	private final LoggerContext context = new LoggerContext();

	private final ByteArrayOutputStream console = new ByteArrayOutputStream();

	private final OutputFactory factory = new OutputFactory(this.context, this.console);

	private final Logger log = this.context.getLogger("test");

	OutputFactoryTests() {
		this.context.setMDCAdapter(new LogbackMDCAdapter());
		this.log.setAdditive(false);
	}

	@AfterEach
	void tearDown() {
		this.log.detachAndStopAllAppenders();
	}

	@Test
	void consoleWhenTextShouldWriteTimestampLevelThreadLoggerAndMessage() {
		this.log.addAppender(this.factory.console(LogFormat.TEXT, false));
		this.log.warn("hello {}", "world");
		assertThat(this.console.toString(StandardCharsets.UTF_8)).matches(
				"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  \\[main\\] test - hello world\n");
	}

	@Test
	void consoleWhenJsonWithoutSpringEnvironmentShouldFallBackToStandardEnvironment() {
		OutputStreamAppender<ILoggingEvent> appender = this.factory.console(LogFormat.JSON, false);
		this.log.addAppender(appender);
		this.log.info("hello");
		appender.stop();
		assertThat(this.context.getObject(Environment.class.getName())).isInstanceOf(StandardEnvironment.class);
		assertThat(new BasicJsonParser().parseMap(this.console.toString(StandardCharsets.UTF_8)))
			.containsEntry("message", "hello")
			.containsEntry("level", "INFO")
			.containsEntry("logger_name", "test");
	}

	@Test
	void fileWhenExistingFileShouldAppendAndCountItsSize() throws IOException {
		Path file = this.dir.resolve("node.log");
		Files.writeString(file, "x".repeat(2000) + "\n");
		RollingFileAppender<ILoggingEvent> appender = this.factory.file(settings(DataSize.ofKilobytes(1), 1), file);
		this.log.addAppender(appender);
		this.log.info("line 0");
		appender.stop();
		assertThat(Files.readAllLines(this.dir.resolve("node.log.1"))).containsExactly("x".repeat(2000));
		assertThat(Files.readAllLines(file)).singleElement().asString().endsWith("line 0");
	}

	@Test
	void fileWhenPathIsADirectoryShouldThrowNamingIt() throws IOException {
		Path file = Files.createDirectories(this.dir.resolve("node.log"));
		assertThatIllegalStateException().isThrownBy(() -> this.factory.file(settings(DataSize.ofMegabytes(1), 1), file))
			.withMessage("cannot open log file " + file + ": " + file + " (Is a directory)");
	}

	@Test
	void fileWhenPathHasPercentShouldThrowNamingIt() {
		Path file = this.dir.resolve("node-%d.log");
		assertThatIllegalStateException().isThrownBy(() -> this.factory.file(settings(DataSize.ofMegabytes(1), 1), file))
			.withMessageStartingWith("log file " + file + " must not contain '%'");
		assertThat(file).doesNotExist();
	}

	private static LoggingSettings settings(DataSize maxSize, int maxHistory) {
		return new LoggingSettings(LogLevel.INFO, LogFormat.TEXT, false, false, true, "node.log", maxSize, maxHistory);
	}

}
