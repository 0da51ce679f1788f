package org.btcfed.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs where the tests run, so the image's promises are checked on the
 * Dockerfile itself: multi-stage with the README's build, a JRE runtime as a non-root user, the
 * JVM as PID 1 in exec form (so {@code docker kill --signal=HUP} reaches it), volumes, the P2P
 * port and a health check; and the build context leaves out build output and local secrets.
 */
class DockerfileTests {

	static List<String> instructions;

	static String dockerfile;

	@BeforeAll
	static void read() throws Exception {
		dockerfile = Files.readString(Path.of("Dockerfile"));
		// Join continuation lines, drop comments: one instruction per element.
		instructions = Arrays.stream(dockerfile.replaceAll("\\\\\\r?\\n", " ").split("\\r?\\n"))
			.map(String::strip)
			.filter(line -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
	}

	private static List<String> all(String instruction) {
		return instructions.stream().filter(line -> line.startsWith(instruction + " ")).toList();
	}

	private static List<String> runtimeStage() {
		int last = 0;
		for (int i = 0; i < instructions.size(); i++) {
			if (instructions.get(i).startsWith("FROM ")) {
				last = i;
			}
		}
		return instructions.subList(last, instructions.size());
	}

	@Test
	void buildStageShouldRunTheReadmeBuildAndRuntimeShouldBeAJre() {
		List<String> froms = all("FROM");
		assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
		assertThat(froms.get(0)).contains(" AS build");
		assertThat(all("RUN")).anyMatch(run -> run.contains("./mvnw -B verify"));
		assertThat(froms.get(froms.size() - 1)).containsPattern("FROM \\S*jre");
		assertThat(runtimeStage()).anyMatch(line -> line.startsWith("COPY --from=build")
				&& line.contains("target/btcfed-node.jar"));
	}

	@Test
	void runtimeShouldRunAsNonRootUser() {
		List<String> users = runtimeStage().stream().filter(line -> line.startsWith("USER ")).toList();
		assertThat(users).isNotEmpty();
		String user = users.get(users.size() - 1).substring(5).strip().split(":")[0];
		assertThat(user).isNotIn("root", "0");
	}

	@Test
	void entrypointShouldStartTheJvmInExecFormAsPidOne() {
		List<String> entrypoints = all("ENTRYPOINT");
		assertThat(entrypoints).hasSize(1);
		String entrypoint = entrypoints.get(0).substring("ENTRYPOINT ".length()).strip();
		assertThat(entrypoint).startsWith("[\"java\"").endsWith("]");
		assertThat(entrypoint).doesNotContain("sh\"", "\"-c\"");
		assertThat(all("CMD")).isEmpty();
	}

	@Test
	void configAndDataShouldBeVolumesAndP2pPortExposed() {
		assertThat(all("VOLUME")).singleElement().asString().contains("/opt/btcfed/config", "/opt/btcfed/data");
		assertThat(all("EXPOSE")).anyMatch(line -> line.matches("EXPOSE .*\\b9000\\b.*"));
		assertThat(all("ENV")).anyMatch(line -> line.contains("BTCFED_CONFIG_DIR=/opt/btcfed/config")
				&& line.contains("BTCFED_DATA_DIR=/opt/btcfed/data"));
	}

	@Test
	void healthcheckShouldProbeActuatorHealth() {
		Matcher healthcheck = Pattern.compile("HEALTHCHECK .*CMD .*http://127\\.0\\.0\\.1:8080/actuator/health.*")
			.matcher(String.join("\n", instructions));
		assertThat(healthcheck.find()).isTrue();
	}

	@Test
	void dockerignoreShouldKeepBuildOutputAndLocalStateOut() throws Exception {
		List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
		assertThat(ignored).contains("target/", "data/", ".git/", "**/admin.token");
	}

	@Test
	void imageDefaultConfigShouldListenOnAllInterfaces() {
		assertThat(dockerfile).contains("/src/deploy/docker/ /opt/btcfed/config/");
		var snapshot = new org.btcfed.node.config.ConfigLoader(Path.of("deploy/docker")).load(true);
		assertThat(snapshot.config().network().addresses()).extracting(Object::toString)
			.containsExactly("/ip4/0.0.0.0/tcp/9000");
	}

}
