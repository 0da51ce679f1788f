package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link SafeYaml}: syntax errors with their location, and files built to harm the
 * reader (object construction, alias bombs, huge or binary files) rejected.
 */
class SafeYamlTests {

	@TempDir
	Path dir;

	@Test
	void composeWhenValidShouldReturnTree() {
		Node root = SafeYaml.compose("conf.yaml", bytes("logging:\n  level: info\n"));
		assertThat(root).isInstanceOf(MappingNode.class);
	}

	@Test
	void composeWhenOnlyCommentsShouldReturnNull() {
		assertThat(SafeYaml.compose("conf.yaml", bytes("# just a comment\n\n"))).isNull();
	}

	@Test
	void composeWhenUtf8ByteOrderMarkShouldAccept() {
		byte[] bom = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };
		byte[] text = bytes("logging:\n  level: info\n");
		byte[] content = new byte[bom.length + text.length];
		System.arraycopy(bom, 0, content, 0, bom.length);
		System.arraycopy(text, 0, content, bom.length, text.length);
		assertThat(SafeYaml.compose("conf.yaml", content)).isInstanceOf(MappingNode.class);
	}

	@Test
	void composeWhenSyntaxErrorShouldReportFileLineAndColumn() {
		ConfigError error = singleError("conf.yaml", "logging:\n  level: info\n   format: json\n");
		assertThat(error.file()).isEqualTo("conf.yaml");
		assertThat(error.line()).isEqualTo(3);
		assertThat(error.column()).isEqualTo(10);
		assertThat(error.key()).isNull();
		assertThat(error.message()).isEqualTo("invalid YAML: mapping values are not allowed here");
	}

	@Test
	void composeWhenTabIndentShouldReportTabPosition() {
		ConfigError error = singleError("peers.yaml", "peers:\n\t- public_key: x\n");
		assertThat(error.file()).isEqualTo("peers.yaml");
		assertThat(error.line()).isEqualTo(2);
		assertThat(error.column()).isEqualTo(1);
		assertThat(error.message()).contains("Do not use \\t(TAB) for indentation");
	}

	@Test
	void composeWhenUnclosedFlowListShouldReportWhereItEnds() {
		ConfigError error = singleError("conf.yaml", "network:\n  addresses: [/ip4/0.0.0.0/tcp/9000\n");
		assertThat(error.line()).isEqualTo(3);
		assertThat(error.message()).startsWith("invalid YAML: while parsing a flow sequence");
	}

	@Test
	void composeWhenSeveralDocumentsShouldReject() {
		ConfigError error = singleError("conf.yaml", "logging: {}\n---\nnetwork: {}\n");
		assertThat(error.line()).isEqualTo(2);
		assertThat(error.message()).contains("expected a single document");
	}

	@Test
	void composeWhenJavaTypeTagShouldRejectWithoutConstructingAnything() throws IOException {
		Path marker = this.dir.resolve("pwned");
		String yaml = "!!java.lang.ProcessBuilder [[\"touch\", \"" + marker + "\"]]\n";
		ConfigError error = singleError("conf.yaml", yaml);
		assertThat(error.line()).isEqualTo(1);
		assertThat(error.message()).contains("Global tag is not allowed");
		assertThat(marker).doesNotExist();
	}

	@Test
	void loadWhenJavaTypeTagOnValueShouldReject() throws IOException {
		Files.writeString(this.dir.resolve("conf.yaml"),
				"logging:\n  level: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]\n");
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).singleElement().satisfies((error) -> {
			assertThat(error.line()).isEqualTo(2);
			assertThat(error.message()).contains("Global tag is not allowed");
		});
	}

	@Test
	void composeWhenBillionLaughsShouldRejectQuickly() {
		// Nine levels of nine aliases each: 9^9 "lol"s if the aliases were ever expanded.
		StringBuilder yaml = new StringBuilder("a: &a [" + String.join(",", Collections.nCopies(9, "\"lol\"")) + "]\n");
		for (char name = 'b'; name <= 'j'; name++) {
			char previous = (char) (name - 1);
			yaml.append(name).append(": &").append(name).append(" [");
			yaml.append(String.join(",", Collections.nCopies(9, "*" + previous))).append("]\n");
		}
		byte[] content = bytes(yaml.toString());
		ConfigException ex = assertTimeoutPreemptively(Duration.ofSeconds(5),
				() -> catchThrowableOfType(ConfigException.class, () -> SafeYaml.compose("conf.yaml", content)));
		assertThat(ex.getErrors()).singleElement()
			.satisfies((error) -> assertThat(error.message())
				.isEqualTo("the file cannot be read as YAML: Number of aliases for non-scalar nodes exceeds the"
						+ " specified max=20"));
	}

	@Test
	void composeWhenNestedTooDeepShouldReject() {
		String yaml = "a: " + "[".repeat(100) + "]".repeat(100) + "\n";
		ConfigError error = singleError("conf.yaml", yaml);
		assertThat(error.message()).contains("Nesting Depth exceeded");
	}

	@Test
	void composeWhenFewAliasesShouldAccept() {
		Node root = SafeYaml.compose("conf.yaml", bytes("x: &x [1, 2]\ny: *x\n"));
		assertThat(root).isInstanceOf(MappingNode.class);
	}

	@Test
	void composeWhenOverOneMebibyteShouldReject() {
		byte[] content = bytes("#".repeat(SafeYaml.MAX_FILE_BYTES) + "\n");
		ConfigError error = singleError("conf.yaml", content);
		assertThat(error.line()).isNull();
		assertThat(error.message()).isEqualTo("the file is " + content.length
				+ " bytes, more than the 1048576 bytes a config file may have");
	}

	@Test
	void composeWhenExactlyOneMebibyteShouldAccept() {
		String comments = ("#" + "x".repeat(62) + "\n").repeat(SafeYaml.MAX_FILE_BYTES / 64);
		assertThat(bytes(comments)).hasSize(SafeYaml.MAX_FILE_BYTES);
		assertThat(SafeYaml.compose("conf.yaml", bytes(comments))).isNull();
	}

	@Test
	void composeWhenNotUtf8ShouldReject() {
		byte[] latin1 = "logging:\n  level: info # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
		ConfigError error = singleError("conf.yaml", latin1);
		assertThat(error.file()).isEqualTo("conf.yaml");
		assertThat(error.message()).isEqualTo("the file is not valid UTF-8 text");
	}

	@Test
	void composeWhenUtf16ShouldReject() {
		byte[] utf16 = "logging:\n  level: info\n".getBytes(StandardCharsets.UTF_16);
		assertThat(singleError("conf.yaml", utf16).message()).isEqualTo("the file is not valid UTF-8 text");
	}

	@Test
	void loadWhenOverOneMebibyteShouldRejectThroughLoader() throws IOException {
		Files.write(this.dir.resolve("conf.yaml"), bytes("#".repeat(SafeYaml.MAX_FILE_BYTES + 1)));
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex.getErrors()).extracting(ConfigError::message)
			.singleElement()
			.asString()
			.contains("more than the 1048576 bytes");
		assertThat(ex.isTransient()).isFalse();
	}

	private static ConfigError singleError(String file, String yaml) {
		return singleError(file, bytes(yaml));
	}

	private static ConfigError singleError(String file, byte[] content) {
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> SafeYaml.compose(file, content));
		assertThat(ex).as("the file should have been rejected").isNotNull();
		List<ConfigError> errors = ex.getErrors();
		assertThat(errors).hasSize(1);
		return errors.get(0);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
