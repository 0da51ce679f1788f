package org.btcfed.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line of a {@link NodeProcess}: the packaged jar ({@code btcfed.test.jar}) run by
 * this JVM's {@code java}, with the build's JaCoCo agent ({@code btcfed.test.childAgent}) so that
 * what the child runs counts towards coverage, and with SIGHUP handled as a real node's would be.
 */
final class NodeCommandLine {

	private NodeCommandLine() {
	}

	/**
	 * @param nohup whether to run under {@code nohup} (which execs the JVM, so the pid is the same)
	 * @param tmpDir the child's {@code java.io.tmpdir}
	 * @param jvmArguments more JVM arguments, e.g. {@code -Xrs}
	 * @param nodeArguments the node's arguments, e.g. {@code --server.port=8080}
	 * @return the command
	 */
	static List<String> of(boolean nohup, Path tmpDir, List<String> jvmArguments, List<String> nodeArguments) {
		List<String> command = new ArrayList<>();
		if (nohup) {
			command.add("nohup");
		}
		else if (sighupIgnoredHere()) {
			// An ignored signal stays ignored across exec: undo what e.g. a CI runner under nohup did to us.
			command.addAll(List.of("env", "--default-signal=HUP"));
		}
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		String agent = childAgent();
		if (agent != null) {
			command.add(agent);
		}
		// C1 only: a child JVM starts noticeably faster on a small box and runs too briefly for C2.
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-Djava.io.tmpdir=" + tmpDir);
		command.addAll(jvmArguments);
		command.addAll(List.of("-jar", jar().toString()));
		command.addAll(nodeArguments);
		return command;
	}

	/**
	 * @return where the children's output is copied for post-mortems: {@code target/it-logs}
	 */
	static Path logDir() {
		return jar().getParent().resolve("it-logs");
	}

	/** Whether this JVM runs with SIGHUP ignored, which its children would inherit (Linux only). */
	private static boolean sighupIgnoredHere() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("SigIgn:")) {
					return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 1) != 0;
				}
			}
		}
		catch (IOException ex) {
			// No /proc: nothing to undo that we could detect.
		}
		return false;
	}

	/**
	 * The build's JaCoCo agent argument, if coverage is on. Limited to the node's own classes
	 * (unless the build says otherwise): instrumenting every Spring class costs each child about
	 * a second and a half of start-up, and only the node's classes are reported.
	 */
	private static @Nullable String childAgent() {
		String agent = System.getProperty("btcfed.test.childAgent", "").trim();
		if (agent.isEmpty() || agent.contains("${")) {
			return null;
		}
		if (agent.contains("includes=")) {
			return agent;
		}
		return agent + (agent.contains("=") ? "," : "=") + "includes=org.btcfed.*";
	}

	private static Path jar() {
		Path jar = Path.of(System.getProperty("btcfed.test.jar", "target/btcfed-node.jar")).toAbsolutePath();
		assertThat(jar).as("the packaged node (run 'mvn verify')").isRegularFile();
		return jar;
	}

}
