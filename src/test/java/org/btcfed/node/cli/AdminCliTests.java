package org.btcfed.node.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.btcfed.node.DataDir;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.reload.report.ReloadStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin commands in-process, on real files, with no node running. The commands against a
 * running node are in {@code AdminCliIntegrationTests}.
 */
class AdminCliTests {

	@TempDir
	Path root;

	Path config;

	Path data;

	final ByteArrayOutputStream out = new ByteArrayOutputStream();

	final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void setUp() throws Exception {
		this.config = Files.createDirectories(this.root.resolve("config"));
		this.data = Files.createDirectories(this.root.resolve("data"));
		Files.writeString(this.config.resolve("peers.yaml"), "peers: []\n");
	}

	private int run(String... args) {
		String[] full = new String[args.length + 2];
		System.arraycopy(args, 0, full, 0, args.length);
		full[args.length] = "--btcfed.config-dir=" + this.config;
		full[args.length + 1] = "--btcfed.data-dir=" + this.data;
		return AdminCli.run(full, Map.of(), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private int runExactly(String... args) {
		return AdminCli.run(args, Map.of(), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String out() {
		return this.out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	private void writeConf(String content, String mode) throws Exception {
		Path conf = this.config.resolve("conf.yaml");
		Files.writeString(conf, content);
		Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString(mode));
	}

	@Test
	void validateWhenConfigValidShouldSayOkAndExitZero() throws Exception {
		String key = NodeKey.generate().encoded();
		writeConf("node:\n  private_key: \"" + key + "\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n", "rw-------");
		assertThat(run("validate")).isZero();
		assertThat(out()).contains("configuration OK", "version sha256:", "0 peer(s)").doesNotContain(key);
	}

	@Test
	void validateWhenKeyEmptyShouldSayItWillBeGenerated() throws Exception {
		writeConf("node:\n  private_key: \"\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n", "rw-r--r--");
		assertThat(run("validate")).isZero();
		assertThat(out()).contains("a key is generated at first start");
	}

	@Test
	void validateWhenConfigInvalidShouldPrintEveryErrorAndExitOne() throws Exception {
		writeConf("loging:\n  level: info\nnetwork:\n  max_connections: 0\n  addresses: [/ip4/127.0.0.1/tcp/0]\n",
				"rw-------");
		assertThat(run("validate")).isEqualTo(1);
		assertThat(err()).contains("configuration invalid (2 error(s))",
				"conf.yaml:1:1: loging: unknown key 'loging', did you mean 'logging'?",
				"conf.yaml:4:20: network.max_connections: must be between 1 and 65535, was 0");
		assertThat(err()).doesNotContain("\tat ", "Exception");
	}

	@Test
	void validateWhenKeyFileReadableByOthersShouldRefuse() throws Exception {
		String key = NodeKey.generate().encoded();
		writeConf("node:\n  private_key: \"" + key + "\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n", "rw-r--r--");
		assertThat(run("validate")).isEqualTo(1);
		assertThat(err()).contains("holds the node's private key and is readable by every user (mode 0644)",
				"chmod 600").doesNotContain(key);
	}

	@Test
	void validateWhenKeyFileReadableByGroupShouldWarnOnly() throws Exception {
		String key = NodeKey.generate().encoded();
		writeConf("node:\n  private_key: \"" + key + "\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n", "rw-r-----");
		assertThat(run("validate")).isZero();
		assertThat(err()).contains("warning: conf.yaml holds the node's private key and is readable by its group");
	}

	@Test
	void validateWhenConfigWritableByOthersShouldWarn() throws Exception {
		writeConf("node:\n  private_key: \"\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n", "rw-rw-rw-");
		assertThat(run("validate")).isZero();
		assertThat(err()).contains("warning: conf.yaml is writable by other users (mode 0666)");
	}

	@Test
	void validateWhenListenPortTakenAndNoNodeRunningShouldReportIt() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			writeConf("node:\n  private_key: \"\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/" + taken.getLocalPort()
					+ "]\n", "rw-------");
			assertThat(run("validate")).isEqualTo(1);
			assertThat(err()).contains("network.addresses[0]: cannot listen on /ip4/127.0.0.1/tcp/" + taken.getLocalPort());
		}
	}

	@Test
	void reloadWhenNoNodeRunningShouldExitFive() {
		assertThat(run("reload")).isEqualTo(5);
		assertThat(err()).contains("no node is running");
	}

	@Test
	void statusAndHistoryWhenNoNodeRunningShouldExitFive() {
		assertThat(run("status")).isEqualTo(5);
		assertThat(err()).contains("btcfed-node status:", DataDir.PORT_FILE);
		assertThat(run("history")).isEqualTo(5);
	}

	@Test
	void unknownOptionShouldExitTwoNamingIt() {
		assertThat(run("validate", "--confg-dir=x")).isEqualTo(2);
		assertThat(err()).contains("unknown option --confg-dir");
	}

	@Test
	void helpShouldListEveryCommandAndEveryOptionOnALineOfItsOwn() {
		for (String help : List.of("help", "--help", "-h")) {
			this.out.reset();
			assertThat(runExactly(help)).as(help).isEqualTo(2);
			List<String> lines = out().lines().toList();
			for (String command : AdminCli.COMMANDS) {
				assertThat(lines).as(help + " lists " + command).anyMatch(line -> line.startsWith("  " + command + " "));
			}
			for (String option : CliOptions.KNOWN) {
				assertThat(lines).as(help + " lists --" + option).anyMatch(line -> line.startsWith("  --" + option));
			}
			assertThat(lines).anyMatch(line -> line.startsWith("  BTCFED_ADMIN_TOKEN "));
			assertThat(out()).contains("2 usage error", "5 the node cannot be reached");
		}
		assertThat(err()).isEmpty();
	}

	@Test
	void commandWithHelpOptionShouldPrintUsageAndRunNothing() {
		assertThat(run("reload", "--help")).isEqualTo(2);
		assertThat(out()).startsWith("Usage:");
		assertThat(err()).isEmpty();
	}

	@Test
	void unknownCommandShouldSuggestTheClosestAndPrintUsageToStderrAndExitTwo() {
		assertThat(run("reloda")).isEqualTo(2);
		assertThat(err()).startsWith("btcfed-node: unknown command 'reloda', did you mean 'reload'?")
			.contains("Usage:", "  status ", "  --server.port=PORT");
		assertThat(out()).isEmpty();
	}

	@Test
	void unknownCommandFarFromEveryCommandShouldPrintUsageWithoutSuggestion() {
		assertThat(runExactly("frobnicate")).isEqualTo(2);
		assertThat(err()).startsWith("btcfed-node: unknown command 'frobnicate'\n").doesNotContain("did you mean");
	}

	@Test
	void handlesShouldTakeCommandsAndHelpButLeaveOptionsToTheNode() {
		assertThat(AdminCli.handles(new String[0])).isFalse();
		assertThat(AdminCli.handles(new String[] { "--btcfed.config-dir=config", "--server.port=0" })).isFalse();
		assertThat(AdminCli.handles(new String[] { "--btcfed.config-dir=config", "status" })).isFalse();
		for (String first : List.of("validate", "reloda", "help", "--help", "-h", "-private")) {
			assertThat(AdminCli.handles(new String[] { first, "--server.port=0" })).as(first).isTrue();
		}
	}

	@Test
	void exitCodesShouldFollowReportStatus() {
		assertThat(AdminCli.exitCode(ReloadStatus.SUCCEEDED)).isZero();
		assertThat(AdminCli.exitCode(ReloadStatus.NO_CHANGE)).isZero();
		assertThat(AdminCli.exitCode(ReloadStatus.REJECTED)).isEqualTo(1);
		assertThat(AdminCli.exitCode(ReloadStatus.VALIDATED)).isZero();
		assertThat(AdminCli.exitCode(ReloadStatus.ROLLED_BACK)).isEqualTo(3);
		assertThat(AdminCli.exitCode(ReloadStatus.FAILED)).isEqualTo(4);
	}

}
