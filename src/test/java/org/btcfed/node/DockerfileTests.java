package org.btcfed.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.btcfed.node.config.ConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs where the tests run, so the image's promises are checked on the
 * Dockerfile itself: multi-stage with the README's build, a JRE runtime as a non-root user, the
 * JVM as PID 1 in exec form (so {@code docker kill --signal=HUP} reaches it), volumes, the P2P
 * port and a health check; and the build context leaves out build output and local secrets.
 * <p>
 * {@code .dockerignore} is read by the rule stated in its header, which
 * {@code .ci/docker-context-verify} applies too when it runs the build stage's verify on the
 * context of HEAD: the tests here keep the file to that rule and check what it leaves out.
 */
class DockerfileTests {

	static List<String> instructions;

	static String dockerfile;

	@BeforeAll
	static void read() throws Exception {
		dockerfile = Files.readString(Path.of("Dockerfile"));
		// Drop comment lines (as Docker does, even inside a continued instruction), then join
		// continuation lines: one instruction per element.
		String uncommented = dockerfile.replaceAll("(?m)^[ \\t]*#.*(\\r?\\n|$)", "");
		instructions = Arrays.stream(uncommented.replaceAll("\\\\\\r?\\n", " ").split("\\r?\\n"))
			.map(String::strip)
			.filter(line -> !line.isEmpty())
			.toList();
	}

	private static List<String> all(String instruction) {
		return instructions.stream().filter(line -> line.startsWith(instruction + " ")).toList();
	}

	private static List<String> buildStage() {
		int second = 0;
		for (int i = 0; i < instructions.size() && second == 0; i++) {
			if (i > 0 && instructions.get(i).startsWith("FROM ")) {
				second = i;
			}
		}
		return instructions.subList(0, second);
	}

	/** The sources of the build stage's COPY instructions: every word but the destination. */
	private static List<String> buildStageCopySources() {
		return buildStage().stream()
			.filter(line -> line.startsWith("COPY "))
			.flatMap(line -> {
				List<String> words = List.of(line.split("\\s+"));
				return words.subList(1, words.size() - 1).stream();
			})
			.toList();
	}

	/** The .dockerignore patterns: one per line, blank lines and {@code #} comments skipped. */
	private static List<String> dockerignorePatterns() throws Exception {
		return Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter(line -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
	}

	/**
	 * Whether patterns of the rule in .dockerignore's header leave a path of the context out:
	 * {@code *} within one segment, a {@code **} segment spanning any number of them, and a path
	 * left out when it or one of its directories matches.
	 */
	static Predicate<String> leftOutBy(List<String> patterns) {
		List<Pattern> regexes = patterns.stream().map(DockerfileTests::toRegex).toList();
		return path -> regexes.stream().anyMatch(regex -> regex.matcher(path).matches());
	}

	private static Pattern toRegex(String pattern) {
		String[] segments = pattern.replaceAll("/$", "").split("/");
		StringBuilder regex = new StringBuilder();
		for (int i = 0; i < segments.length; i++) {
			boolean last = i == segments.length - 1;
			if (segments[i].equals("**")) {
				regex.append(last ? ".*" : "([^/]+/)*");
				continue;
			}
			regex.append(Pattern.quote(segments[i]).replace("*", "\\E[^/]*\\Q"));
			if (!last) {
				regex.append('/');
			}
		}
		return Pattern.compile(regex + "(/.*)?");
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
	void dockerignoreShouldKeepBuildOutputLocalStateAndSecretsOut() throws Exception {
		Predicate<String> leftOut = leftOutBy(dockerignorePatterns());
		assertThat(List.of("config/conf.yaml", "config/.conf.yaml.4711.tmp", "data/btcfed-node.pid",
				"admin.token", "data/admin.token", "deploy/kubernetes/admin.token", "target/btcfed-node.jar",
				".git/HEAD", "btcfed-node.log"))
			.allMatch(leftOut);
		assertThat(List.of("config/peers.yaml", "deploy/docker/conf.yaml", "examples/two-nodes/node-a/conf.yaml", "pom.xml",
				"src/main/java/org/btcfed/node/NodeApplication.java"))
			.noneMatch(leftOut);
	}

	@Test
	void dockerignoreShouldKeepToTheRuleItsReadersShare() throws Exception {
		assertThat(dockerignorePatterns()).allSatisfy(pattern -> {
			assertThat(pattern).matches("[A-Za-z0-9._*-]+(/[A-Za-z0-9._*-]+)*/?");
			assertThat(pattern.split("/")).allSatisfy(segment -> assertThat(segment).satisfiesAnyOf(
					glob -> assertThat(glob).isEqualTo("**"), glob -> assertThat(glob).doesNotContain("**")));
		});
	}

	@Test
	void leftOutByWhenPatternsUseStarsShouldMatchLikeDocker() {
		Predicate<String> leftOut = leftOutBy(List.of("*.iml", "**/*.token", "config/", "a/**/b"));
		assertThat(List.of("x.iml", "x.token", "c/d/x.token", "config", "config/x/y", "a/b", "a/x/y/b/z")).allMatch(leftOut);
		assertThat(List.of("c/x.iml", "x.tokens", "configs/x", "x/config/y", "a/xb", "b")).noneMatch(leftOut);
	}

	@Test
	void buildStageShouldCopyTheWholeContextSoItsTestsFindWhatTheyRead() throws Exception {
		List<String> sources = buildStageCopySources();
		// The whole context, after the dependency layer: .dockerignore alone decides what the tests
		// see, and a file that a new test reads cannot be missing from the image build.
		assertThat(sources).contains(".");
		Predicate<String> leftOut = leftOutBy(dockerignorePatterns());
		assertThat(List.of("Dockerfile", ".dockerignore", "README.md", "pom.xml", "deploy/docker/conf.yaml",
				"examples/two-nodes/node-a/conf.yaml", "src/test/java/org/btcfed/node/DockerfileTests.java"))
			.allMatch(path -> Files.exists(Path.of(path)))
			.noneMatch(leftOut);
		// Plain paths, as .ci/docker-context-verify copies them, and none that the context lacks:
		// docker build fails on those.
		assertThat(sources).allMatch(source -> source.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/?"))
			.allMatch(source -> Files.exists(Path.of(source)))
			.noneMatch(leftOut);
	}

	@Test
	void imageDefaultConfigShouldListenOnAllInterfaces() {
		assertThat(dockerfile).contains("/src/deploy/docker/ /opt/btcfed/config/");
		var snapshot = new ConfigLoader(Path.of("deploy/docker")).load(true);
		assertThat(snapshot.config().network().addresses()).extracting(Object::toString)
			.containsExactly("/ip4/0.0.0.0/tcp/9000");
	}

}
