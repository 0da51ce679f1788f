package org.btcfed.node.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResourceValidator}, with real sockets on loopback and real directories.
 */
class ResourceValidatorTests {

	@TempDir
	Path dir;

	@Test
	void validateWhenPortHeldByAnotherSocketShouldReportAddressWithLocation() throws IOException {
		try (ServerSocket other = bindLoopback()) {
			Multiaddr taken = new Multiaddr("ip4", "127.0.0.1", other.getLocalPort());
			ConfigSnapshot snapshot = load("network:\n  addresses:\n    - /ip4/127.0.0.1/tcp/0\n    - " + taken + "\n");
			List<ConfigError> errors = ResourceValidator.validate(snapshot, Set.of(), this.dir);
			assertThat(errors).singleElement().satisfies((error) -> {
				assertThat(error.key()).isEqualTo("network.addresses[1]");
				assertThat(error.file()).isEqualTo("conf.yaml");
				assertThat(error.line()).isEqualTo(6);
				assertThat(error.column()).isEqualTo(7);
				assertThat(error.message())
					.isEqualTo("cannot listen on " + taken + ": the address is already in use (another process listens on it)");
			});
		}
	}

	@Test
	void validateWhenPortHeldByThisNodeShouldNotProbeIt() throws IOException {
		try (ServerSocket ours = bindLoopback()) {
			Multiaddr held = new Multiaddr("ip4", "127.0.0.1", ours.getLocalPort());
			ConfigSnapshot snapshot = load("network:\n  addresses: [" + held + "]\n");
			assertThat(ResourceValidator.validate(snapshot, Set.of(held), this.dir)).isEmpty();
		}
	}

	@Test
	void validateWhenPortZeroShouldAccept() throws IOException {
		ConfigSnapshot snapshot = load("network:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n");
		assertThat(ResourceValidator.validate(snapshot, Set.of(), this.dir)).isEmpty();
	}

	@Test
	void validateWhenProbingShouldNotKeepThePort() throws IOException {
		try (ServerSocket probe = bindLoopback()) {
			int port = probe.getLocalPort();
			probe.close();
			ConfigSnapshot snapshot = load("network:\n  addresses: [/ip4/127.0.0.1/tcp/" + port + "]\n");
			ResourceValidator.validate(snapshot, Set.of(), this.dir);
			try (ServerSocket again = new ServerSocket()) {
				again.setReuseAddress(true);
				again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
				assertThat(again.isBound()).isTrue();
			}
		}
	}

	@Test
	void validateWhenLogDirectoryIsARegularFileShouldReportLogFile() throws IOException {
		Path notADirectory = Files.writeString(this.dir.resolve("afile"), "x");
		ConfigSnapshot snapshot = load(
				"logging:\n  file_output: true\n  file_name: " + notADirectory.resolve("node.log") + "\n");
		List<ConfigError> errors = ResourceValidator.validate(snapshot, Set.of(), this.dir);
		assertThat(errors).singleElement().satisfies((error) -> {
			assertThat(error.key()).isEqualTo("logging.file_name");
			assertThat(error.file()).isEqualTo("conf.yaml");
			assertThat(error.line()).isEqualTo(5);
			assertThat(error.message()).contains(notADirectory + " is not a writable directory");
		});
	}

	@Test
	void validateWhenLogFilePathHasPercentShouldRejectFileName() throws IOException {
		// conf.yaml rejects '%' in file_name itself; the data dir the name resolves against may still have one.
		Path dataDir = this.dir.resolve("da%ta");
		ConfigSnapshot snapshot = load("logging:\n  file_output: true\n  file_name: node.log\n");
		assertThat(ResourceValidator.validate(snapshot, Set.of(), dataDir)).singleElement().satisfies((error) -> {
			assertThat(error.key()).isEqualTo("logging.file_name");
			assertThat(error.file()).isEqualTo("conf.yaml");
			assertThat(error.line()).isEqualTo(5);
			assertThat(error.message()).contains(dataDir.resolve("node.log").toString()).contains("'%'");
		});
		ConfigSnapshot consoleOnly = load("logging:\n  file_output: false\n  file_name: node.log\n");
		assertThat(ResourceValidator.validate(consoleOnly, Set.of(), dataDir)).isEmpty();
	}

	@Test
	void validateWhenLogFileIsADirectoryShouldReportIt() throws IOException {
		Path directory = Files.createDirectory(this.dir.resolve("logs"));
		ConfigSnapshot snapshot = load("logging:\n  file_output: true\n  file_name: " + directory + "\n");
		assertThat(ResourceValidator.validate(snapshot, Set.of(), this.dir)).singleElement()
			.satisfies((error) -> assertThat(error.message()).isEqualTo("log file " + directory + " is a directory"));
	}

	@Test
	void validateWhenLogFileOutputOffShouldNotCheckLogFile() throws IOException {
		Path notADirectory = Files.writeString(this.dir.resolve("afile"), "x");
		ConfigSnapshot snapshot = load(
				"logging:\n  file_output: false\n  file_name: " + notADirectory.resolve("node.log") + "\n");
		assertThat(ResourceValidator.validate(snapshot, Set.of(), this.dir)).isEmpty();
	}

	@Test
	void validateWhenLogDirectoryDoesNotExistYetShouldAccept() throws IOException {
		ConfigSnapshot snapshot = load("logging:\n  file_output: true\n  file_name: logs/2025/node.log\n");
		assertThat(ResourceValidator.validate(snapshot, Set.of(), this.dir.resolve("data"))).isEmpty();
	}

	@Test
	void validateWhenLogFileExistsShouldAccept() throws IOException {
		Files.writeString(this.dir.resolve("node.log"), "old lines\n");
		ConfigSnapshot snapshot = load("logging:\n  file_output: true\n  file_name: node.log\n");
		assertThat(ResourceValidator.validate(snapshot, Set.of(), this.dir)).isEmpty();
	}

	@Test
	void logFileWhenRelativeShouldResolveAgainstDataDir() {
		assertThat(ResourceValidator.logFile(this.dir, "logs/../node.log"))
			.isEqualTo(this.dir.toAbsolutePath().resolve("node.log"));
	}

	@Test
	void logFileWhenAbsoluteShouldIgnoreDataDir() {
		Path absolute = this.dir.resolve("elsewhere/node.log").toAbsolutePath();
		assertThat(ResourceValidator.logFile(this.dir.resolve("data"), absolute.toString())).isEqualTo(absolute);
	}

	private static ServerSocket bindLoopback() throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
		return socket;
	}

	private ConfigSnapshot load(String rest) throws IOException {
		Files.writeString(this.dir.resolve("conf.yaml"), ConfYaml.withNetwork("node:\n  private_key: \"\"\n" + rest), StandardCharsets.UTF_8);
		return new ConfigLoader(this.dir).load(true);
	}

}
