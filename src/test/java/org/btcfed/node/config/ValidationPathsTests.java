package org.btcfed.node.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.btcfed.node.cli.AdminCli;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.engine.ReloadFixture;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.report.ReloadError;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.btcfed.node.reload.trigger.SignalGate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * One validation pipeline: the same bad configuration, put through start-up, a reload, a dry
 * run and the {@code validate} command, gets the same errors, in the same words, on all four
 * paths; and the running node stays as it was.
 */
class ValidationPathsTests {

	/** A bad configuration: a name, and how it spoils the valid conf.yaml and peers.yaml. */
	record Bad(String name, UnaryOperator<String> conf, String peers) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static final List<Bad> BAD = List.of(
			new Bad("YAML syntax error", conf -> conf.replace("logging:\n", "logging: [\n"), "peers: []\n"),
			new Bad("unknown key", conf -> conf.replace("  level: ", "  levle: "), "peers: []\n"),
			new Bad("value out of range", conf -> conf.replace("max_connections: 128", "max_connections: 70000"),
					"peers: []\n"),
			new Bad("invalid multiaddr", conf -> conf.replace("/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/x"),
					"peers: []\n"),
			new Bad("peer without an address", conf -> conf,
					"peers:\n  - public_key: \"" + NodeKey.generate().publicKeyBase64() + "\"\n    addresses: []\n"),
			new Bad("log file name with %", conf -> conf + "  file_output: true\n  file_name: node-%d.log\n", "peers: []\n"),
			new Bad("several errors in both files",
					conf -> conf.replace("max_connections: 128", "max_connections: 0").replace("30s", "soon"),
					"peers:\n  - public_key: \"not-a-key\"\n    addresses: [\"/ip4/127.0.0.1/tcp/1\"]\n"));

	@TempDir
	Path root;

	@ParameterizedTest(name = "{0}")
	@FieldSource("BAD")
	void badConfigShouldGetTheSameErrorsOnEveryPath(Bad bad) throws Exception {
		assertSameErrorsOnEveryPath(conf -> bad.conf().apply(conf), bad.peers());
	}

	@Test
	void listenPortTakenShouldGetTheSameErrorOnEveryPath() throws Exception {
		try (ServerSocket taken = new ServerSocket()) {
			taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			List<String> errors = assertSameErrorsOnEveryPath(
					conf -> conf.replace("/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/tcp/" + taken.getLocalPort()),
					"peers: []\n");
			assertThat(errors).singleElement().asString().contains("network.addresses[0]", "already in use");
		}
	}

	@Test
	void worldReadableKeyFileShouldGetTheSameErrorOnEveryPath() throws Exception {
		try (ReloadFixture fixture = new ReloadFixture(this.root)) {
			fixture.start(new TestComponent("logging", "logging.level"));
			String before = fixture.coordinator.active().version();
			Files.setPosixFilePermissions(fixture.configDir.resolve(ConfigLoader.CONF_FILE),
					PosixFilePermissions.fromString("rw-r--r--"));
			List<String> errors = errorsOnEveryPath(fixture);
			assertThat(errors).singleElement().asString().contains("conf.yaml", "readable by every user");
			assertThat(fixture.coordinator.active().version()).isEqualTo(before);
		}
	}

	private List<String> assertSameErrorsOnEveryPath(UnaryOperator<String> spoil, String peers) throws Exception {
		try (ReloadFixture fixture = new ReloadFixture(this.root)) {
			fixture.start(new TestComponent("logging", "logging.level"));
			String before = fixture.coordinator.active().version();
			Path conf = fixture.configDir.resolve(ConfigLoader.CONF_FILE);
			fixture.write(ConfigLoader.CONF_FILE, spoil.apply(Files.readString(conf)));
			fixture.write(ConfigLoader.PEERS_FILE, peers);
			List<String> errors = errorsOnEveryPath(fixture);
			assertThat(errors).isNotEmpty();
			assertThat(fixture.coordinator.active().version()).as("the running config").isEqualTo(before);
			return errors;
		}
	}

	/** Runs the config dir through all four paths and asserts they agree. @return the errors */
	private List<String> errorsOnEveryPath(ReloadFixture fixture) throws IOException {
		List<String> startup = startUp(fixture);
		List<String> reload = reported(fixture, false);
		List<String> dryRun = reported(fixture, true);
		List<String> cli = validateCommand(fixture);
		assertThat(reload).as("reload").isEqualTo(startup);
		assertThat(dryRun).as("dry run").isEqualTo(startup);
		assertThat(cli).as("validate command").isEqualTo(startup);
		return startup;
	}

	private static List<String> startUp(ReloadFixture fixture) {
		ValidationPipeline pipeline = fixture.properties.validationPipeline(new ConfigLoader(fixture.configDir), warning -> {
				});
		ConfigException failure = catchThrowableOfType(ConfigException.class,
				() -> StartupConfiguration.load(pipeline, new SignalGate()::mask));
		assertThat(failure).as("start-up refused").isNotNull();
		return failure.getErrors().stream().map(ConfigError::describe).toList();
	}

	private static List<String> reported(ReloadFixture fixture, boolean dryRun) {
		ReloadReport report = fixture.coordinator.submit(new ReloadRequest(ReloadTrigger.HTTP, dryRun, null)).join();
		assertThat(report.status()).isEqualTo(ReloadStatus.REJECTED);
		return report.errors().stream().map(ValidationPathsTests::describe).toList();
	}

	private static String describe(ReloadError error) {
		return new ConfigError(error.key(), error.file(), error.line(), error.column(), error.message()).describe();
	}

	private static List<String> validateCommand(ReloadFixture fixture) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = AdminCli.run(
				new String[] { "validate", "--btcfed.config-dir=" + fixture.configDir,
						"--btcfed.data-dir=" + fixture.dataDir },
				Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		assertThat(exit).isEqualTo(AdminCli.INVALID);
		return Arrays.stream(err.toString(StandardCharsets.UTF_8).split("\n"))
			.filter(line -> line.startsWith("  "))
			.map(String::strip)
			.toList();
	}

}
