package org.btcfed.node.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.ReloadStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.json.BasicJsonParser;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LoggingComponent}, on a Logback context of their own so that nothing leaks
 * into the logging of the test run. Snapshots are loaded from real conf.yaml files.
 */
class LoggingComponentTests {

	private static final Pattern NUMBERED = Pattern.compile("\\bline (\\d+)\\b");

	@TempDir
	private Path dir;

	private final LoggerContext context = new LoggerContext();

	private final ByteArrayOutputStream console = new ByteArrayOutputStream();

	private final Logger log = this.context.getLogger("test");

	private int configs;

	LoggingComponentTests() {
		// In the node, Spring Boot's logging system puts the Environment there, and Logback's
		// SLF4J provider sets the MDC adapter.
		this.context.putObject(Environment.class.getName(), new StandardEnvironment());
		this.context.setMDCAdapter(new LogbackMDCAdapter());
	}

	@AfterEach
	void tearDown() {
		// Stops the root's appenders, which closes the log files in the temp dir.
		this.context.stop();
	}

	@Test
	void componentShouldOwnLoggingKeysInPlace() throws IOException {
		LoggingComponent component = component(snapshot("format: text"));
		assertThat(component.name()).isEqualTo("logging");
		assertThat(component.owns("logging.file_name")).isTrue();
		assertThat(component.owns("network.addresses[0]")).isFalse();
		assertThat(component.strategy("logging.format")).isEqualTo(ReloadStrategy.IN_PLACE);
		assertThat(component.validate(snapshot("file_output: true"))).isEmpty();
		assertThat(root().iteratorForAppenders()).toIterable().singleElement().isInstanceOf(SwitchingAppender.class);
	}

	@Test
	void applyWhenLevelChangesShouldSetRootLevel() throws IOException {
		ConfigSnapshot info = snapshot("format: text", "level: info");
		LoggingComponent component = component(info);
		List<Appender<ILoggingEvent>> outputs = component.outputs();
		this.log.debug("line 0");
		component.apply(update(info, snapshot("format: text", "level: debug")));
		this.log.debug("line 1");
		assertThat(root().getLevel()).isEqualTo(Level.DEBUG);
		assertThat(component.outputs()).as("outputs are untouched").isSameAs(outputs);
		assertThat(numbers(consoleLines())).containsExactly(1);
	}

	@Test
	void applyWhenLevelUnchangedShouldKeepLevelSetElsewhere() throws IOException {
		ConfigSnapshot text = snapshot("format: text", "level: info");
		LoggingComponent component = component(text);
		root().setLevel(Level.ERROR); // as /actuator/loggers would
		component.apply(update(text, snapshot("format: json", "level: info")));
		assertThat(root().getLevel()).isEqualTo(Level.ERROR);
	}

	@Test
	void applyWhenFormatChangesFromTextToJsonShouldWriteJsonLines() throws IOException {
		ConfigSnapshot text = snapshot("format: text", "console_output: false", "file_output: true");
		LoggingComponent component = component(text);
		this.log.info("line 0");
		component.apply(update(text, snapshot("format: json", "console_output: false", "file_output: true")));
		this.log.info("line 1");
		List<String> lines = fileLines("btcfed-node.log");
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).endsWith(" INFO  [main] test - line 0");
		assertThat(new BasicJsonParser().parseMap(lines.get(1))).containsEntry("message", "line 1")
			.containsEntry("level", "INFO")
			.containsKey("@timestamp");
	}

	@Test
	void applyWhenConsoleSwitchesToFileShouldWriteToFileOnly() throws IOException {
		ConfigSnapshot consoleOnly = snapshot("format: text");
		LoggingComponent component = component(consoleOnly);
		this.log.info("line 0");
		component.apply(update(consoleOnly,
				snapshot("format: text", "console_output: false", "file_output: true", "file_name: logs/node.log")));
		this.log.info("line 1");
		assertThat(numbers(consoleLines())).containsExactly(0);
		assertThat(numbers(fileLines("logs/node.log"))).containsExactly(1);
		assertThat(component.outputs()).singleElement().isInstanceOf(RollingFileAppender.class);
	}

	@Test
	void applyWhenOnlyConsoleChangesShouldKeepTheFileOutput() throws IOException {
		ConfigSnapshot both = snapshot("format: text", "file_output: true");
		LoggingComponent component = component(both);
		Appender<ILoggingEvent> file = component.outputs().get(1);
		component.apply(update(both, snapshot("format: text", "file_output: true", "console_output: false")));
		this.log.info("line 0");
		assertThat(component.outputs()).containsExactly(file);
		assertThat(consoleLines()).isEmpty();
		assertThat(numbers(fileLines("btcfed-node.log"))).containsExactly(0);
	}

	@Test
	void applyWhenFileReachesMaxSizeShouldRotateKeepingMaxHistoryFiles() throws IOException {
		ConfigSnapshot console = snapshot("format: text");
		LoggingComponent component = component(console);
		component.apply(update(console, snapshot("format: text", "console_output: false", "file_output: true",
				"file_max_size: 1KB", "file_max_history: 2")));
		for (int i = 0; i < 100; i++) {
			this.log.info("line {} {}", i, "x".repeat(40));
		}
		assertThat(dataDir().resolve("btcfed-node.log.3")).doesNotExist();
		List<Integer> written = new ArrayList<>();
		for (String name : List.of("btcfed-node.log.2", "btcfed-node.log.1", "btcfed-node.log")) {
			if (!name.endsWith(".log")) {
				// Rolled over by the first line that finds it at 1KB or more: past it by less than a line.
				assertThat(Files.size(dataDir().resolve(name))).isBetween(1024L, 1024L + 120);
			}
			written.addAll(numbers(fileLines(name)));
		}
		assertThat(written).isEqualTo(IntStream.range(100 - written.size(), 100).boxed().toList());
	}

	@Test
	void applyWhileAnotherThreadLogsShouldLoseNoLine() throws Exception {
		String big = "file_max_size: 1GB";
		List<ConfigSnapshot> steps = List.of(snapshot("format: text", "console_output: false", "file_output: true", big),
				snapshot("format: json", "console_output: false", "file_output: true", big),
				snapshot("format: json", "file_output: true", "file_name: b.log", big),
				snapshot("format: text", "file_output: true", "file_name: b.log", big, "level: debug"),
				snapshot("format: text", "console_output: false", "file_output: true", big),
				snapshot("format: json", "console_output: false", "file_output: true", "file_name: b.log", big));
		LoggingComponent component = component(steps.get(0));
		AtomicInteger next = new AtomicInteger();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread writer = new Thread(() -> {
			while (running.get() && next.get() < 1_000_000) {
				this.log.info("line {}", next.getAndIncrement());
			}
		});
		writer.start();
		for (int i = 1; i <= 3 * steps.size(); i++) {
			awaitMoreLines(next);
			component.apply(update(steps.get((i - 1) % steps.size()), steps.get(i % steps.size())));
		}
		awaitMoreLines(next);
		running.set(false);
		writer.join();
		List<Integer> written = new ArrayList<>(numbers(fileLines("btcfed-node.log")));
		written.addAll(numbers(fileLines("b.log")));
		// Each line exactly once: the switch neither drops nor repeats one.
		assertThat(written.stream().sorted().toList()).isEqualTo(IntStream.range(0, next.get()).boxed().toList());
	}

	@Test
	void rollbackShouldRestorePreviousOutputsAndLevel() throws Exception {
		ConfigSnapshot previous = snapshot("format: text", "level: warn", "console_output: false",
				"file_output: true");
		ConfigSnapshot target = snapshot("format: json", "level: debug", "file_output: true", "file_name: new.log");
		LoggingComponent component = component(previous);
		ComponentUpdate update = update(previous, target);
		component.apply(update);
		this.log.debug("line 0");
		component.rollback(update);
		this.log.debug("line 1");
		this.log.warn("line 2");
		assertThat(root().getLevel()).isEqualTo(Level.WARN);
		assertThat(numbers(fileLines("new.log"))).containsExactly(0);
		assertThat(numbers(consoleLines())).containsExactly(0);
		assertThat(fileLines("btcfed-node.log")).singleElement().asString().endsWith(" WARN  [main] test - line 2");
		assertThat(component.outputs()).singleElement().isInstanceOf(RollingFileAppender.class);
	}

	@Test
	void applyWhenLogFileCannotBeOpenedShouldThrowAndKeepOldOutputs() throws Exception {
		Path directory = Files.createDirectories(dataDir().resolve("dir.log"));
		ConfigSnapshot previous = snapshot("format: text", "level: warn");
		ConfigSnapshot target = snapshot("format: json", "level: debug", "file_output: true", "file_name: dir.log");
		LoggingComponent component = component(previous);
		List<Appender<ILoggingEvent>> outputs = component.outputs();
		ComponentUpdate update = update(previous, target);
		assertThatIllegalStateException().isThrownBy(() -> component.apply(update))
			.withMessageStartingWith("cannot open log file " + directory + ": ")
			.withMessageContaining("Is a directory");
		this.log.warn("line 0");
		component.rollback(update);
		this.log.warn("line 1");
		assertThat(component.outputs()).isEqualTo(outputs);
		assertThat(outputs).allMatch(Appender::isStarted);
		assertThat(root().getLevel()).isEqualTo(Level.WARN);
		assertThat(numbers(consoleLines())).containsExactly(0, 1);
	}

	@Test
	void applyWhenLogFilePathHasPercentShouldRefuseIt() throws IOException {
		// The validation pipeline rejects such a path first (ResourceValidatorTests); apply refuses it too.
		Path dataDir = this.dir.resolve("da%ta");
		ConfigSnapshot current = snapshot("format: text");
		LoggingComponent component = new LoggingComponent(current, dataDir, this.context, this.console);
		ConfigSnapshot staged = snapshot("file_output: true", "file_name: node.log");
		assertThatIllegalStateException().isThrownBy(() -> component.apply(update(current, staged)))
			.withMessageContaining("must not contain '%'");
	}

	private LoggingComponent component(ConfigSnapshot startup) {
		return new LoggingComponent(startup, dataDir(), this.context, this.console);
	}

	private Path dataDir() {
		return this.dir.resolve("data");
	}

	/** Writes a conf.yaml with the given {@code logging:} lines and loads it as the node would. */
	private ConfigSnapshot snapshot(String... logging) throws IOException {
		Path configDir = Files.createDirectories(this.dir.resolve("config-" + this.configs++));
		Files.writeString(configDir.resolve(ConfigLoader.CONF_FILE), ConfYaml.withNetwork("logging:\n  " + String.join("\n  ", logging)));
		return new ConfigLoader(configDir).load(true);
	}

	private static ComponentUpdate update(ConfigSnapshot previous, ConfigSnapshot target) {
		List<ConfigChange> changes = target.properties()
			.keySet()
			.stream()
			.filter((key) -> key.startsWith("logging.")
					&& !target.properties().get(key).equals(previous.properties().get(key)))
			.map((key) -> new ConfigChange(key, ConfigChange.Kind.MODIFIED, previous.properties().get(key),
					target.properties().get(key)))
			.toList();
		return new ComponentUpdate(previous, target, changes);
	}

	private static void awaitMoreLines(AtomicInteger next) {
		int mark = next.get();
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(1))
			.atMost(Duration.ofSeconds(10))
			.until(() -> next.get() >= mark + 500);
	}

	private Logger root() {
		return this.context.getLogger(Logger.ROOT_LOGGER_NAME);
	}

	private List<String> consoleLines() {
		String text = this.console.toString(StandardCharsets.UTF_8);
		return text.isEmpty() ? List.of() : List.of(text.split("\n"));
	}

	private List<String> fileLines(String name) throws IOException {
		return Files.readAllLines(dataDir().resolve(name));
	}

	private static List<Integer> numbers(List<String> lines) {
		return lines.stream()
			.map(NUMBERED::matcher)
			.filter(Matcher::find)
			.map((matcher) -> Integer.parseInt(matcher.group(1)))
			.toList();
	}

}
