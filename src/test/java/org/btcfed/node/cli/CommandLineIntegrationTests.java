package org.btcfed.node.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.btcfed.node.DataDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar btcfed-node.jar <command>} in a separate JVM with no node anywhere: what the
 * jar's {@code main} does with a command line that is not for the node, in a working directory
 * of its own, so that any file it would write shows.
 */
class CommandLineIntegrationTests {

	@TempDir
	Path cwd;

	@TempDir
	Path captured;

	private Result jar(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		// The build's coverage agent, so that the command line's own code counts.
		String agent = System.getProperty("btcfed.test.childAgent", "").trim();
		if (!agent.isEmpty() && !agent.contains("${")) {
			command.add(agent.contains("includes=") ? agent : agent + (agent.contains("=") ? "," : "=") + "includes=org.btcfed.*");
		}
		command.add("-Djava.io.tmpdir=" + this.captured);
		command.addAll(List.of("-jar",
				Path.of(System.getProperty("btcfed.test.jar", "target/btcfed-node.jar")).toAbsolutePath().toString()));
		command.addAll(List.of(args));
		Path out = this.captured.resolve("out.txt");
		Path err = this.captured.resolve("err.txt");
		Process process = new ProcessBuilder(command).directory(this.cwd.toFile())
			.redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			throw new AssertionError("still running after 60 s (a node started?): " + Files.readString(out)
					+ Files.readString(err));
		}
		return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
	}

	private List<String> filesIn(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(path -> !path.equals(dir)).map(path -> dir.relativize(path).toString()).sorted().toList();
		}
	}

	record Result(int exit, String out, String err) {
	}

	@Test
	void mistypedCommandShouldStartNothingAndLeaveThePidFileAlone() throws Exception {
		Path pidFile = Files.createDirectories(this.cwd.resolve("data")).resolve(DataDir.PID_FILE);
		Files.writeString(pidFile, "999999\n");
		FileTime written = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
		Files.setLastModifiedTime(pidFile, written);
		Result result = jar("reloda");
		assertThat(result.exit()).as(result.err()).isEqualTo(2);
		assertThat(result.err()).contains("unknown command 'reloda', did you mean 'reload'?", "Usage:", "  validate ",
				"  --btcfed.data-dir=DIR");
		assertThat(result.out()).isEmpty();
		assertThat(Files.readString(pidFile)).isEqualTo("999999\n");
		assertThat(Files.getLastModifiedTime(pidFile)).isEqualTo(written);
		assertThat(filesIn(this.cwd)).containsExactly("data", "data/btcfed-node.pid");
	}

	@Test
	void mistypedCommandShouldCreateNoDataDir() throws Exception {
		Result result = jar("stauts", "--btcfed.data-dir=" + this.cwd.resolve("node-data"));
		assertThat(result.exit()).as(result.err()).isEqualTo(2);
		assertThat(result.err()).contains("did you mean 'status'?");
		assertThat(filesIn(this.cwd)).isEmpty();
	}

	@Test
	void helpShouldPrintUsageAndStartNothing() throws Exception {
		for (String help : List.of("help", "--help", "-h")) {
			Result result = jar(help);
			assertThat(result.exit()).as(help + ": " + result.err()).isEqualTo(2);
			assertThat(result.out()).as(help).startsWith("Usage: java -jar btcfed-node.jar").contains("  history ");
			assertThat(result.out() + result.err()).as(help).doesNotContain("Spring", "Started", "INFO");
		}
		assertThat(filesIn(this.cwd)).isEmpty();
	}

	@Test
	void keygenShouldPrintAKeyPairOnStdoutOnlyAndWriteNothing() throws Exception {
		Result result = jar("keygen");
		assertThat(result.exit()).as(result.err()).isZero();
		assertThat(result.out().lines().toList()).satisfiesExactly(
				line -> assertThat(line).matches("Private Key: [A-Za-z0-9+/]{86}=="),
				line -> assertThat(line).matches("Public Key:  [A-Za-z0-9+/]{43}="),
				line -> assertThat(line).matches("Peer ID:     12D3KooW[1-9A-HJ-NP-Za-km-z]{44}"));
		assertThat(result.err()).isEmpty();
		String privateKey = result.out().lines().findFirst().orElseThrow().substring("Private Key: ".length());
		Result publicKey = jar("keygen", "-private", privateKey);
		assertThat(publicKey.exit()).as(publicKey.err()).isZero();
		List<String> generated = result.out().lines().toList();
		assertThat(publicKey.out()).isEqualTo(generated.get(1).replace(":  ", ": ") + "\n"
				+ generated.get(2).replace(":     ", ": ") + "\n");
		Result invalid = jar("keygen", "-private", privateKey.substring(4));
		assertThat(invalid.exit()).isEqualTo(1);
		assertThat(invalid.err()).contains("invalid private key").doesNotContain(privateKey.substring(4));
		assertThat(invalid.out()).isEmpty();
		assertThat(filesIn(this.cwd)).isEmpty();
	}

}
