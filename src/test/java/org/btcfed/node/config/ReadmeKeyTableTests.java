package org.btcfed.node.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's configuration reference lists every key of {@link ConfSchema} with its real
 * default, and nothing else: the documentation cannot drift from the code.
 */
class ReadmeKeyTableTests {

	private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+\\.[a-z_]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

	private static Map<String, String> documented() throws Exception {
		String readme = Files.readString(Path.of("README.md"));
		String section = readme.substring(readme.indexOf("## Configuration reference"));
		section = section.substring(0, section.indexOf("`peers.yaml`"));
		Map<String, String> rows = new LinkedHashMap<>();
		Matcher matcher = ROW.matcher(section);
		while (matcher.find()) {
			rows.put(matcher.group(1), matcher.group(2).trim());
		}
		return rows;
	}

	@Test
	void readmeShouldListEverySchemaKeyAndNoOther() throws Exception {
		assertThat(documented().keySet()).containsExactlyInAnyOrderElementsOf(ConfSchema.KEYS.keySet());
	}

	@Test
	void readmeDefaultsShouldMatchTheSchema() throws Exception {
		Map<String, String> documented = documented();
		for (KeySpec spec : ConfSchema.KEYS.values()) {
			Object value = spec.defaultValue();
			String expected = (value instanceof List<?> list)
					? list.stream().map(ConfSchema::format).toList().toString().replace(" ", "")
					: ConfSchema.format(value);
			String shown = documented.get(spec.key()).replaceAll("`", "").replaceAll("\\s*\\(.*\\)", "").trim();
			assertThat(shown.replace("\"\"", "")).as(spec.key()).isEqualTo(expected);
		}
	}

}
