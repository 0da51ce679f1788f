package org.btcfed.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;

import org.btcfed.node.config.NodeKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A btcfed-node put where a btc-federation node ran: its files, its default listen addresses, the
 * start-up failures an operator meets first, and a second process started by mistake. Each runs
 * the packaged jar as a child JVM.
 */
class DropInIntegrationTests {

	/** A text log line as the node writes it: ISO-8601 time with offset, level, thread. */
	private static final Pattern TEXT_LINE = Pattern
		.compile("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) +(INFO|WARN|ERROR|DEBUG) +\\[");

	@TempDir
	private Path root;

	@Test
	void nodeOnBtcFederationsDefaultAddressesShouldAcceptTcpOnIpv4AndIpv6Loopback() throws Exception {
		int port = FreePorts.pick();
		try (NodeProcess node = NodeProcess.create(this.root, "dropin-dual-stack")) {
			// btc-federation's configs/conf.yaml, as its node writes it (4-space indent), on a free port.
			node.writeConf("""
					node:
					    private_key: %s
					network:
					    addresses:
					        - /ip4/0.0.0.0/tcp/%d
					        - /ip6/::/tcp/%d
					peers:
					    connection_timeout: 10s
					logging:
					    level: info
					    format: json
					""".formatted(NodeKey.generate().encoded(), port, port));
			// The one deliberate difference: a key file readable by others is refused, as ssh does.
			Files.setPosixFilePermissions(node.confFile(), PosixFilePermissions.fromString("rw-------"));
			node.start();
			assertAccepts("127.0.0.1", port);
			assertAccepts("::1", port);
			assertThat(node.output()).contains("/ip4/0.0.0.0/tcp/" + port, "/ip6/::/tcp/" + port);
		}
	}

	@Test
	void configDirWithoutConfYamlShouldGetBtcFederationsDefaultConfigWithAnOwnerOnlyKeyAndListenOnPort9000()
			throws Exception {
		try (NodeProcess node = NodeProcess.create(this.root, "dropin-default-config")) {
			Files.delete(node.confFile());
			node.start();
			String conf = node.readConf();
			assertThat(conf).contains("- /ip4/0.0.0.0/tcp/9000", "- /ip6/::/tcp/9000", "connection_timeout: 10s");
			assertThat(Files.getPosixFilePermissions(node.confFile()))
				.isEqualTo(PosixFilePermissions.fromString("rw-------"));
			assertThat(node.output()).contains("No conf.yaml in " + node.configDir().toRealPath())
				.contains("wrote btc-federation's default configuration");
			String key = conf.replaceAll("(?s).*private_key: \"([^\"]+)\".*", "$1");
			assertThat(NodeKey.parse(key).publicKeyBase64()).isNotEmpty();
			assertThat(node.output()).doesNotContain(key);
			assertAccepts("127.0.0.1", 9000);
			assertAccepts("::1", 9000);
		}
	}

	@Test
	void configDirThatDoesNotExistShouldBeAnErrorAndWriteNothing() throws Exception {
		try (NodeProcess node = NodeProcess.create(this.root, "dropin-no-config-dir")) {
			Files.delete(node.confFile());
			Files.delete(node.configDir().resolve("peers.yaml"));
			Files.delete(node.configDir());
			int status = node.launch().awaitExit(NodeProcess.START_TIMEOUT);
			assertThat(status).as(node.output()).isEqualTo(1);
			assertThat(node.output()).contains("the config dir " + node.configDir() + " does not exist")
				.doesNotContain("\tat ");
			assertThat(node.configDir()).doesNotExist();
		}
	}

	@Test
	void listenPortTakenShouldEndWithOneClearMessageInTheConfiguredFormatAndExitOne() throws Exception {
		try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				NodeProcess node = NodeProcess.create(this.root, "dropin-port-taken")) {
			String conf = node.editConf(text -> text.replaceAll("tcp/\\d+", "tcp/" + taken.getLocalPort()));
			int line = conf.lines().toList().indexOf("    - /ip4/127.0.0.1/tcp/" + taken.getLocalPort()) + 1;
			int status = node.launch().awaitExit(NodeProcess.START_TIMEOUT);
			String output = node.output();
			assertThat(status).as(output).isEqualTo(1);
			assertThat(output).contains("conf.yaml:" + line + ":7: network.addresses[0]: cannot listen on /ip4/127.0.0.1/tcp/"
					+ taken.getLocalPort());
			assertThat(node.occurrences("cannot listen on")).as(output).isEqualTo(1);
			assertThat(output).doesNotContain("\tat ", "Exception");
			List<String> logLines = output.lines().filter(l -> l.contains(" INFO ") || l.contains(" ERROR ")).toList();
			assertThat(logLines).isNotEmpty().allMatch(l -> TEXT_LINE.matcher(l).find());
		}
	}

	@Test
	void firstLinesShouldComeInTheConfiguredJsonFormat() {
		try (NodeProcess node = NodeProcess.create(this.root, "dropin-json")) {
			node.editConf(text -> text.replace("format: text", "format: json"));
			node.start();
			List<String> lines = node.output().lines().filter(l -> !l.isBlank()).toList();
			assertThat(lines.get(0)).startsWith("{").contains("\"@timestamp\"");
			assertThat(lines).filteredOn(l -> l.contains("Generated a new node identity")).singleElement()
				.satisfies(l -> assertThat(l).startsWith("{"));
		}
	}

	@Test
	void underNohupTheReadyLinesShouldNameHttpAsTheWayToReload() {
		try (NodeProcess node = NodeProcess.create(this.root, "dropin-nohup").underNohup()) {
			node.start();
			// The ready line comes first; the lines after it may still be on their way.
			node.awaitOutput("Reload: edit");
			String reload = node.output().lines().filter(l -> l.contains("Reload: edit")).findFirst().orElseThrow();
			assertThat(reload).contains("curl -X POST", "/actuator/hotreload", "SIGHUP is not available")
				.doesNotContain("kill -HUP");
		}
	}

	@Test
	void secondNodeOnTheSameDataDirShouldExitOneNamingThePidAndLeaveTheRunningNodesFilesAlone() throws Exception {
		try (NodeProcess first = NodeProcess.create(this.root.resolve("first"), "dropin-first").start();
				NodeProcess second = NodeProcess.create(this.root.resolve("second"), "dropin-second")
					.sharingDataDirOf(first)) {
			Path data = first.dataDir();
			String pid = Files.readString(first.pidFile()).trim();
			String port = Files.readString(data.resolve(DataDir.PORT_FILE));
			String history = Files.readString(data.resolve(DataDir.HISTORY_FILE));
			NodeProcess.waiting().until(() -> Files.exists(data.resolve(DataDir.VERSIONS_DIR).resolve(DataDir.LAST_KNOWN_GOOD_FILE)));
			String lastKnownGood = Files.readString(data.resolve(DataDir.VERSIONS_DIR).resolve(DataDir.LAST_KNOWN_GOOD_FILE));

			int status = second.launch().awaitExit(NodeProcess.START_TIMEOUT);

			assertThat(status).as(second.output()).isEqualTo(1);
			assertThat(pid).isEqualTo(Long.toString(first.pid()));
			assertThat(second.output()).contains("is in use by another btcfed-node (pid " + pid + ")")
				.doesNotContain("\tat ");
			assertThat(Files.readString(first.pidFile()).trim()).isEqualTo(pid);
			assertThat(Files.readString(data.resolve(DataDir.PORT_FILE))).isEqualTo(port);
			assertThat(Files.readString(data.resolve(DataDir.HISTORY_FILE))).isEqualTo(history);
			assertThat(Files.readString(data.resolve(DataDir.VERSIONS_DIR).resolve(DataDir.LAST_KNOWN_GOOD_FILE))).isEqualTo(lastKnownGood);
			assertThat(first.actuator().post("/actuator/hotreload").statusCode()).isEqualTo(200);

			first.stop();
			assertThat(first.pidFile()).doesNotExist();
			assertThat(data.resolve(DataDir.PORT_FILE)).doesNotExist();
		}
	}

	private static void assertAccepts(String host, int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getByName(host), port), 5_000);
			assertThat(socket.isConnected()).as("connected to %s port %d", host, port).isTrue();
		}
	}

}
