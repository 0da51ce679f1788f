package org.btcfed.node.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ComponentUpdate;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.ReloadProperties;
import org.btcfed.node.reload.ReloadStrategy;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.boot.json.BasicJsonParser;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LoggingComponent}, each on its own Logback context so that nothing leaks into
 * the logging of the test run.
 */
class LoggingComponentTests {

	private static final Pattern NUMBERED = Pattern.compile("\\bline (\\d+)\\b");

	@TempDir
	private Path dir;

	private Path dataDir;

	private final LoggerContext context = new LoggerContext();

	private final ByteArrayOutputStream console = new ByteArrayOutputStream();

	private final Logger log = this.context.getLogger("test");

	private int configs;

	private final List<Appender<ILoggingEvent>> globalAppenders = new ArrayList<>();

	private @Nullable Level globalLevel;

	@BeforeEach
	void setUp() throws IOException {
		Logger globalRoot = globalRoot();
		globalRoot.iteratorForAppenders().forEachRemaining(this.globalAppenders::add);
		this.globalLevel = globalRoot.getLevel();
		this.dataDir = Files.createDirectories(this.dir.resolve("data"));
		// Spring Boot's logging system puts the Environment there in the node.
		this.context.putObject(Environment.class.getName(), new StandardEnvironment());
		// A context of our own needs what Logback's SLF4J provider gives the global one.
		this.context.setMDCAdapter(new LogbackMDCAdapter());
	}

	@AfterEach
	void tearDown() {
		// Stops the root's appenders, which closes the log files in the temp dir.
		this.context.stop();
		restoreGlobalRoot();
	}

	/** Puts back what the global root logger had, in case a test drove it. */
	private void restoreGlobalRoot() {
		Logger globalRoot = globalRoot();
		List<Appender<ILoggingEvent>> attached = new ArrayList<>();
		globalRoot.iteratorForAppenders().forEachRemaining(attached::add);
		for (Appender<ILoggingEvent> appender : attached) {
			if (!this.globalAppenders.contains(appender)) {
				globalRoot.detachAppender(appender);
				appender.stop();
			}
		}
		for (Appender<ILoggingEvent> appender : this.globalAppenders) {
			if (!appender.isStarted()) {
				appender.start();
			}
			if (!attached.contains(appender)) {
				globalRoot.addAppender(appender);
			}
		}
		globalRoot.setLevel(this.globalLevel);
	}

	private static Logger globalRoot() {
		return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	@Test
	void componentShouldOwnLoggingKeysInPlace() throws IOException {
		LoggingComponent component = component(snapshot("format: text"));
		assertThat(component.name()).isEqualTo("logging");
		assertThat(component.ownedKeys()).containsExactly("logging");
		assertThat(component.owns("logging.file_name")).isTrue();
		assertThat(component.owns("network.addresses[0]")).isFalse();
		assertThat(component.strategy("logging.format")).isEqualTo(ReloadStrategy.IN_PLACE);
		assertThat(component.validate(snapshot("file_output: true"))).isEmpty();
	}

	@Test
	void createWhenConsoleOutputShouldReplaceRootAppendersAndWriteText() throws IOException {
		ListAppender<ILoggingEvent> previous = new ListAppender<>();
		previous.setContext(this.context);
		previous.start();
		root().addAppender(previous);
		component(snapshot("format: text", "level: warn"));
		this.log.warn("hello {}", "world");
		this.log.info("not shown");
		assertThat(root().iteratorForAppenders()).toIterable()
			.singleElement()
			.isInstanceOf(SwitchingAppender.class);
		assertThat(previous.isStarted()).isFalse();
		assertThat(root().getLevel()).isEqualTo(Level.WARN);
		assertThat(consoleLines()).singleElement()
			.asString()
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) WARN  \\[.+\\] test - hello world");
	}

	@Test
	void applyWhenLevelChangesShouldSetRootLevel() throws IOException {
		ConfigSnapshot info = snapshot("format: text", "level: info");
		LoggingComponent component = component(info);
		List<Appender<ILoggingEvent>> outputs = component.outputs();
		this.log.debug("hidden");
		component.apply(update(info, snapshot("format: text", "level: debug")));
		this.log.debug("shown");
		assertThat(root().getLevel()).isEqualTo(Level.DEBUG);
		assertThat(component.outputs()).as("outputs are untouched").isSameAs(outputs);
		assertThat(consoleLines()).singleElement().asString().endsWith("test - shown");
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
		assertThat(lines.get(0)).endsWith("INFO  [main] test - line 0");
		Map<String, Object> json = new BasicJsonParser().parseMap(lines.get(1));
		assertThat(json).containsEntry("message", "line 1")
			.containsEntry("level", "INFO")
			.containsEntry("logger_name", "test")
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
		assertThat(consoleLines()).singleElement().asString().endsWith("line 0");
		assertThat(fileLines("logs/node.log")).singleElement().asString().endsWith("line 1");
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
		assertThat(file.isStarted()).isTrue();
		assertThat(consoleLines()).isEmpty();
		assertThat(fileLines("btcfed-node.log")).singleElement().asString().endsWith("line 0");
	}

	@Test
	void applyWhenFileReachesMaxSizeShouldRotateAndKeepMaxHistoryFiles() throws IOException {
		ConfigSnapshot small = snapshot("format: text", "console_output: false", "file_output: true",
				"file_name: 'node.log'", "file_max_size: 1KB", "file_max_history: 2");
		component(small);
		String padding = "x".repeat(40);
		for (int i = 0; i < 100; i++) {
			this.log.info("line {} {}", i, padding);
		}
		assertThat(this.dataDir.resolve("node.log.3")).doesNotExist();
		for (String rotated : List.of("node.log.1", "node.log.2")) {
			// Rotated at the first line that finds the file at or past 1KB: past it by less than a line.
			assertThat(Files.size(this.dataDir.resolve(rotated))).isBetween(1024L, 1024L + 120);
		}
		List<Integer> older = numbers(fileLines("node.log.2"));
		List<Integer> old = numbers(fileLines("node.log.1"));
		List<Integer> current = numbers(fileLines("node.log"));
		assertThat(old.get(0)).isEqualTo(older.get(older.size() - 1) + 1);
		assertThat(current.get(0)).isEqualTo(old.get(old.size() - 1) + 1);
		assertThat(current).endsWith(99);
	}

	@Test
	void applyWhileAnotherThreadLogsShouldLoseNoLine() throws Exception {
		List<ConfigSnapshot> steps = List.of(
				snapshot("format: text", "console_output: false", "file_output: true", "file_max_size: 1GB"),
				snapshot("format: json", "console_output: false", "file_output: true", "file_max_size: 1GB"),
				snapshot("format: json", "file_output: true", "file_name: b.log", "file_max_size: 1GB"),
				snapshot("format: text", "file_output: true", "file_name: b.log", "file_max_size: 1GB",
						"level: debug"),
				snapshot("format: text", "console_output: false", "file_output: true", "file_max_size: 1GB"),
				snapshot("format: json", "console_output: false", "file_output: true", "file_name: b.log",
						"file_max_size: 1GB"));
		LoggingComponent component = component(steps.get(0));
		AtomicInteger next = new AtomicInteger();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread writer = new Thread(() -> {
			while (running.get() && next.get() < 500_000) {
				this.log.info("line {}", next.getAndIncrement());
			}
		});
		writer.start();
		for (int round = 0; round < 3; round++) {
			for (int i = 1; i <= steps.size(); i++) {
				awaitMoreLines(next);
				component.apply(update(steps.get(i - 1), steps.get(i % steps.size())));
			}
		}
		awaitMoreLines(next);
		running.set(false);
		writer.join();
		List<Integer> written = new ArrayList<>(numbers(fileLines("btcfed-node.log")));
		written.addAll(numbers(fileLines("b.log")));
		assertThat(written).hasSize(next.get());
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
		assertThat(fileLines("btcfed-node.log")).singleElement().asString().endsWith("WARN  [main] test - line 2");
		assertThat(component.outputs()).singleElement().isInstanceOf(RollingFileAppender.class);
	}

	@Test
	void applyWhenLogFileCannotBeOpenedShouldThrowAndKeepOldOutputs() throws Exception {
		Path directory = Files.createDirectories(this.dataDir.resolve("dir.log"));
		ConfigSnapshot previous = snapshot("format: text", "level: warn");
		ConfigSnapshot target = snapshot("format: json", "level: debug", "file_output: true", "file_name: dir.log");
		LoggingComponent component = component(previous);
		List<Appender<ILoggingEvent>> outputs = component.outputs();
		ComponentUpdate update = update(previous, target);
		assertThatIllegalStateException().isThrownBy(() -> component.apply(update))
			.withMessageStartingWith("cannot open log file " + directory)
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
	void createWithPublicConstructorShouldDriveTheGlobalLogbackContext() throws IOException {
		ReloadProperties properties = new ReloadProperties();
		properties.setDataDir(this.dataDir);
		new LoggingComponent(snapshot("format: text", "level: error", "console_output: false", "file_output: true"),
				properties);
		LoggerFactory.getLogger("global").error("line 0");
		LoggerFactory.getLogger("global").warn("line 1");
		assertThat(globalRoot().iteratorForAppenders()).toIterable()
			.singleElement()
			.isInstanceOf(SwitchingAppender.class);
		assertThat(globalRoot().getLevel()).isEqualTo(Level.ERROR);
		assertThat(fileLines("btcfed-node.log")).singleElement().asString().endsWith("ERROR [main] global - line 0");
	}

	@Test
	void validateWhenLogFilePathHasPercentShouldRejectFileName() throws IOException {
		ConfigSnapshot current = snapshot("format: text");
		LoggingComponent component = component(current);
		ConfigSnapshot staged = snapshot("file_output: true", "file_name: 'node-%d.log'");
		assertThat(component.validate(staged)).singleElement().satisfies((error) -> {
			assertThat(error.key()).isEqualTo("logging.file_name");
			assertThat(error.file()).isEqualTo("conf.yaml");
			assertThat(error.line()).isEqualTo(3);
			assertThat(error.message()).contains(this.dataDir.resolve("node-%d.log").toString()).contains("'%'");
		});
		assertThat(component.validate(snapshot("file_output: false", "file_name: 'node-%d.log'"))).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> component.apply(update(current, staged)))
			.withMessageContaining("must not contain '%'");
	}

	@Test
	void createWhenEnvironmentMissingShouldStillWriteJson() throws IOException {
		this.context.removeObject(Environment.class.getName());
		component(snapshot("format: json"));
		this.log.info("line 0");
		assertThat(this.context.getObject(Environment.class.getName())).isInstanceOf(StandardEnvironment.class);
		assertThat(new BasicJsonParser().parseMap(consoleLines().get(0))).containsEntry("message", "line 0");
	}

	@Test
	void stopOfLoggerContextShouldCloseOutputs() throws IOException {
		LoggingComponent component = component(snapshot("format: text", "file_output: true"));
		List<Appender<ILoggingEvent>> outputs = component.outputs();
		this.context.stop();
		assertThat(outputs).hasSize(2).noneMatch(Appender::isStarted);
		assertThat(component.outputs()).isEmpty();
	}

	private LoggingComponent component(ConfigSnapshot startup) {
		return new LoggingComponent(startup, this.dataDir, this.context, this.console);
	}

	/** Writes a conf.yaml with the given {@code logging:} lines and loads it as the node would. */
	private ConfigSnapshot snapshot(String... logging) throws IOException {
		Path configDir = Files.createDirectories(this.dir.resolve("config-" + this.configs++));
		String yaml = "logging:\n  " + String.join("\n  ", logging) + "\n";
		Files.writeString(configDir.resolve(ConfigLoader.CONF_FILE), yaml);
		return new ConfigLoader(configDir).load(true);
	}

	private static ComponentUpdate update(ConfigSnapshot previous, ConfigSnapshot target) {
		List<ConfigChange> changes = target.properties()
			.keySet()
			.stream()
			.filter(key -> key.startsWith("logging.")
					&& !Objects.equals(previous.properties().get(key), target.properties().get(key)))
			.map(key -> new ConfigChange(key, ConfigChange.Kind.MODIFIED, previous.properties().get(key),
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
		return this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	private List<String> consoleLines() {
		String text = this.console.toString(StandardCharsets.UTF_8);
		return text.isEmpty() ? List.of() : List.of(text.split("\n"));
	}

	private List<String> fileLines(String name) throws IOException {
		return Files.readAllLines(this.dataDir.resolve(name));
	}

	private static List<Integer> numbers(List<String> lines) {
		List<Integer> numbers = new ArrayList<>();
		for (String line : lines) {
			Matcher matcher = NUMBERED.matcher(line);
			if (matcher.find()) {
				numbers.add(Integer.parseInt(matcher.group(1)));
			}
		}
		return numbers;
	}

}
