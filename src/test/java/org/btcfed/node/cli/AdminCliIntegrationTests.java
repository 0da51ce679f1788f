package org.btcfed.node.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.btcfed.node.NodeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin commands as an operator runs them: {@code java -jar btcfed-node.jar <command>} in a
 * separate JVM, against a node running in another one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCliIntegrationTests {

	@TempDir
	static Path root;

	NodeProcess node;

	@BeforeAll
	void startNode() {
		this.node = NodeProcess.create(root.resolve("node"), "admin-cli").start();
	}

	@AfterAll
	void stopNode() {
		this.node.close();
	}

	private Result cli(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		// The build's coverage agent, so that the command line's own code counts.
		String agent = System.getProperty("btcfed.test.childAgent", "").trim();
		if (!agent.isEmpty() && !agent.contains("${")) {
			command.add(agent.contains("includes=") ? agent : agent + (agent.contains("=") ? "," : "=") + "includes=org.btcfed.*");
		}
		command.addAll(List.of("-jar",
				Path.of(System.getProperty("btcfed.test.jar", "target/btcfed-node.jar")).toAbsolutePath().toString()));
		command.addAll(List.of(args));
		command.add("--btcfed.config-dir=" + this.node.configDir());
		command.add("--btcfed.data-dir=" + this.node.dataDir());
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}

	record Result(int exit, String output) {
	}

	@Test
	void reloadShouldSignalTheNodeAndPrintItsReport() throws Exception {
		this.node.editConf(conf -> conf.replace("level: info", "level: debug"));
		Result result = cli("reload");
		assertThat(result.exit()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCEEDED", "MODIFIED logging.level: info -> debug", "component logging: UPDATED");
		this.node.editConf(conf -> conf.replace("max_connections: 128", "max_connections: 0"));
		Result rejected = cli("reload");
		assertThat(rejected.exit()).isEqualTo(1);
		assertThat(rejected.output()).contains("REJECTED", "network.max_connections", "conf.yaml:");
		this.node.editConf(conf -> conf.replace("max_connections: 0", "max_connections: 128"));
		assertThat(cli("reload", "--json").output()).contains("\"trigger\":\"SIGNAL\"");
	}

	@Test
	void statusAndHistoryShouldReadTheEndpoint() throws Exception {
		Result status = cli("status");
		assertThat(status.exit()).as(status.output()).isZero();
		assertThat(status.output()).contains("state IDLE", "version sha256:");
		Result history = cli("history", "--limit=5");
		assertThat(history.exit()).isZero();
		assertThat(history.output()).contains("STARTUP");
		assertThat(history.output()).doesNotContain(this.node.token());
	}

	@Test
	void validateShouldWorkWhileTheNodeRunsAndStillProbeNewAddresses() throws Exception {
		Result result = cli("validate");
		assertThat(result.exit()).as(result.output()).isZero();
		assertThat(result.output()).contains("configuration OK", "a node is running");
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			String original = this.node.readConf();
			this.node.editConf(conf -> conf.replace("  addresses:\n", "  addresses:\n    - /ip4/127.0.0.1/tcp/"
					+ taken.getLocalPort() + "\n"));
			try {
				Result busy = cli("validate");
				assertThat(busy.exit()).as(busy.output()).isEqualTo(1);
				assertThat(busy.output()).contains("network.addresses[0]: cannot listen on /ip4/127.0.0.1/tcp/"
						+ taken.getLocalPort());
				assertThat(busy.output()).doesNotContain("network.addresses[1]");
			}
			finally {
				this.node.writeConf(original);
			}
		}
	}

}
