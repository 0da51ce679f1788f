package org.btcfed.node.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LoggingComponent} as Spring creates it: on the global Logback context, whose
 * root logger is put back as it was after each test.
 */
class LoggingComponentStartupTests {

	@TempDir
	private Path dir;

	private final Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory())
		.getLogger(Logger.ROOT_LOGGER_NAME);

	private final List<Appender<ILoggingEvent>> appenders = new ArrayList<>();

	private @Nullable Level level;

	@BeforeEach
	void saveRoot() {
		this.root.iteratorForAppenders().forEachRemaining(this.appenders::add);
		this.level = this.root.getLevel();
	}

	@AfterEach
	void restoreRoot() {
		List<Appender<ILoggingEvent>> attached = new ArrayList<>();
		this.root.iteratorForAppenders().forEachRemaining(attached::add);
		for (Appender<ILoggingEvent> appender : attached) {
			if (!this.appenders.contains(appender)) {
				this.root.detachAppender(appender);
				appender.stop();
			}
		}
		for (Appender<ILoggingEvent> appender : this.appenders) {
			if (!appender.isStarted()) {
				// The component stopped them when it took over.
				appender.start();
			}
			if (!attached.contains(appender)) {
				this.root.addAppender(appender);
			}
		}
		this.root.setLevel(this.level);
	}

	@Test
	void createShouldReplaceTheRootAppendersAndApplyTheStartupSettings() throws IOException {
		Path configDir = Files.createDirectories(this.dir.resolve("config"));
		Files.writeString(configDir.resolve(ConfigLoader.CONF_FILE),
				ConfYaml.withNetwork("logging:\n  level: error\n  format: text\n  console_output: false\n  file_output: true\n"));
		NodeProperties properties = new NodeProperties();
		properties.setDataDir(this.dir.resolve("data"));
		new LoggingComponent(new ConfigLoader(configDir).load(true), properties);
		LoggerFactory.getLogger("startup").error("line 0");
		LoggerFactory.getLogger("startup").warn("line 1");
		assertThat(this.root.iteratorForAppenders()).toIterable()
			.singleElement()
			.isInstanceOf(SwitchingAppender.class);
		assertThat(this.appenders).noneMatch(Appender::isStarted);
		assertThat(this.root.getLevel()).isEqualTo(Level.ERROR);
		assertThat(Files.readAllLines(this.dir.resolve("data/btcfed-node.log"))).singleElement()
			.asString()
			.endsWith(" ERROR [main] startup - line 0");
	}

}
