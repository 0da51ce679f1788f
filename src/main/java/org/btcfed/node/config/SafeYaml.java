package org.btcfed.node.config;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns a config file's bytes into a SnakeYAML node tree, safely.
 * <p>
 * Only {@link Yaml#compose} is used: no object is ever constructed from a tag, so a file cannot
 * instantiate arbitrary types. Duplicate keys are rejected, and aliases, nesting depth and size
 * are limited, so that a "billion laughs" file fails in milliseconds with bounded memory.
 */
final class SafeYaml {

	/** Largest config file accepted. Real ones are a few kilobytes. */
	static final int MAX_FILE_BYTES = 1024 * 1024;

	private static final int MAX_ALIASES = 20;

	private static final int MAX_DEPTH = 20;

	private SafeYaml() {
	}

	/**
	 * Composes a single YAML document.
	 * @param file the file name used in error locations
	 * @param bytes the file content
	 * @return the root node, or {@code null} for a document without content (only comments)
	 * @throws ConfigException with the location of the syntax error
	 */
	static @Nullable Node compose(String file, byte[] bytes) {
		if (bytes.length > MAX_FILE_BYTES) {
			throw fileError(file, "the file is " + bytes.length + " bytes, more than the " + MAX_FILE_BYTES
					+ " bytes a config file may have");
		}
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw fileError(file, "the file is not valid UTF-8 text");
		}
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		options.setMaxAliasesForCollections(MAX_ALIASES);
		options.setNestingDepthLimit(MAX_DEPTH);
		options.setCodePointLimit(MAX_FILE_BYTES);
		options.setAllowRecursiveKeys(false);
		options.setProcessComments(false);
		try {
			return new Yaml(options).compose(new StringReader(text));
		}
		catch (MarkedYAMLException ex) {
			Mark mark = (ex.getProblemMark() != null) ? ex.getProblemMark() : ex.getContextMark();
			String message = describe(ex);
			if (mark == null) {
				throw fileError(file, message);
			}
			throw new ConfigException(
					List.of(new ConfigError(null, file, mark.getLine() + 1, mark.getColumn() + 1, message)));
		}
		catch (YAMLException ex) {
			throw fileError(file, "the file cannot be read as YAML: " + firstLine(ex.getMessage()));
		}
	}

	private static String describe(MarkedYAMLException ex) {
		String problem = (ex.getProblem() != null) ? ex.getProblem() : firstLine(ex.getMessage());
		if (problem.contains("found duplicate key")) {
			return problem.replace("found duplicate key", "duplicate key");
		}
		String context = ex.getContext();
		return "invalid YAML: " + ((context != null) ? context + ", " : "") + problem;
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "unknown error";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

	static ConfigException fileError(String file, String message) {
		return new ConfigException(List.of(new ConfigError(null, file, null, null, message)));
	}

}
