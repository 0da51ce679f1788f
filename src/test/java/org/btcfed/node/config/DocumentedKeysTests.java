package org.btcfed.node.config;

import java.beans.PropertyDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.btcfed.node.NodeProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The key tables of the documentation (the README's configuration reference and
 * docs/configuration.md) list every key of {@link ConfSchema} with its real default and valid
 * range, and every {@code btcfed.*} setting of {@link NodeProperties} with its real default, and
 * nothing else: the documentation cannot drift from the code.
 */
class DocumentedKeysTests {

	/** Key, default and (up to a '|', which GitHub would take for a cell border even in code) valid values. */
	private static final Pattern KEY_ROW = Pattern
		.compile("^\\| `([a-z_]+\\.[a-z_]+)` \\| ([^|]+) \\|([^|\\n]*)", Pattern.MULTILINE);

	private static final Pattern SETTING_ROW = Pattern.compile("^\\| `(btcfed\\.[a-z.-]+)` \\| ([^|]+) \\|",
			Pattern.MULTILINE);

	private static final Pattern RANGE = Pattern.compile("^(\\S+) to (\\S+?)[,;]?(?:\\s|$)");

	private static final Pattern CHOICES = Pattern.compile("^`[a-z]+`(?:, `[a-z]+`)+$");

	/** A documented table: the file, and where its conf.yaml key table starts and ends. */
	enum Document {

		README("README.md", "## Configuration reference", "`peers.yaml`"),

		REFERENCE("docs/configuration.md", "## conf.yaml keys", "## peers.yaml");

		final Path file;

		final String start;

		final String end;

		Document(String file, String start, String end) {
			this.file = Path.of(file);
			this.start = start;
			this.end = end;
		}

		String text() throws Exception {
			return Files.readString(this.file);
		}

		/** @return the key table's rows: key to {default, valid} */
		Map<String, List<String>> keyRows() throws Exception {
			String text = text();
			assertThat(text).as(this.file + " has its key table").contains(this.start);
			String section = text.substring(text.indexOf(this.start));
			section = section.substring(0, section.indexOf(this.end));
			Map<String, List<String>> rows = new LinkedHashMap<>();
			Matcher matcher = KEY_ROW.matcher(section);
			while (matcher.find()) {
				List<String> previous = rows.put(matcher.group(1), List.of(matcher.group(2).trim(), matcher.group(3).trim()));
				assertThat(previous).as(this.file + " lists " + matcher.group(1) + " once").isNull();
			}
			return rows;
		}

		/** @return the btcfed.* settings rows, anywhere in the file: setting to default */
		Map<String, String> settingRows() throws Exception {
			Map<String, String> rows = new TreeMap<>();
			Matcher matcher = SETTING_ROW.matcher(text());
			while (matcher.find()) {
				assertThat(rows.put(matcher.group(1), plain(matcher.group(2)))).as(this.file + " lists "
						+ matcher.group(1) + " once").isNull();
			}
			return rows;
		}

	}

	@ParameterizedTest
	@EnumSource(Document.class)
	void documentShouldListEverySchemaKeyAndNoOther(Document document) throws Exception {
		assertThat(document.keyRows().keySet()).containsExactlyInAnyOrderElementsOf(ConfSchema.KEYS.keySet());
	}

	@ParameterizedTest
	@EnumSource(Document.class)
	void documentedDefaultsShouldMatchTheSchema(Document document) throws Exception {
		Map<String, List<String>> rows = document.keyRows();
		for (KeySpec spec : ConfSchema.KEYS.values()) {
			String shown = plain(rows.get(spec.key()).get(0)).replace("\"\"", "");
			if (ConfSchema.REQUIRED.contains(spec.key())) {
				assertThat(shown).as(spec.key()).isEqualTo("none");
				continue;
			}
			Object value = spec.defaultValue();
			String expected = (value instanceof List<?> list)
					? list.stream().map(ConfSchema::format).toList().toString().replace(" ", "")
					: ConfSchema.format(value);
			assertThat(shown).as(spec.key()).isEqualTo(expected);
		}
	}

	/** Every number, duration and size states its range; the schema takes both ends and nothing beyond. */
	@ParameterizedTest
	@EnumSource(Document.class)
	void documentedRangesShouldBeTheSchemaRanges(Document document) throws Exception {
		Map<String, List<String>> rows = document.keyRows();
		for (KeySpec spec : ConfSchema.KEYS.values()) {
			Object value = spec.defaultValue();
			if (!(value instanceof Integer || value instanceof Duration || value instanceof DataSize)) {
				continue;
			}
			Matcher range = RANGE.matcher(plain(rows.get(spec.key()).get(1)));
			assertThat(range.find()).as(spec.key() + " documents 'min to max'").isTrue();
			String min = range.group(1);
			String max = range.group(2);
			assertThatNoException().as(spec.key() + " takes " + min).isThrownBy(() -> spec.converter().apply(min));
			assertThatNoException().as(spec.key() + " takes " + max).isThrownBy(() -> spec.converter().apply(max));
			Object low = spec.converter().apply(min);
			Object high = spec.converter().apply(max);
			assertThatIllegalArgumentException().as(spec.key() + " refuses below " + min)
				.isThrownBy(() -> spec.converter().apply(step(low, -1)));
			assertThatIllegalArgumentException().as(spec.key() + " refuses above " + max)
				.isThrownBy(() -> spec.converter().apply(step(high, 1)));
		}
	}

	/** Every choice (levels, formats, booleans) lists exactly the values the schema takes. */
	@ParameterizedTest
	@EnumSource(Document.class)
	void documentedChoicesShouldBeTheSchemaChoices(Document document) throws Exception {
		Map<String, List<String>> rows = document.keyRows();
		for (KeySpec spec : ConfSchema.KEYS.values()) {
			Object value = spec.defaultValue();
			List<String> allowed;
			if (value instanceof Enum<?> constant) {
				allowed = new ArrayList<>();
				for (Object each : constant.getDeclaringClass().getEnumConstants()) {
					allowed.add(((Enum<?>) each).name().toLowerCase(Locale.ROOT));
				}
			}
			else if (value instanceof Boolean) {
				allowed = List.of("true", "false");
			}
			else {
				continue;
			}
			String valid = rows.get(spec.key()).get(1).replaceAll("\\s*\\([^)]*\\)", "").trim();
			assertThat(valid).as(spec.key() + " lists its choices").matches(CHOICES);
			assertThat(valid.replace("`", "").split(", ")).as(spec.key()).containsExactlyInAnyOrderElementsOf(allowed);
		}
	}

	@ParameterizedTest
	@EnumSource(Document.class)
	void documentedSettingsShouldBeTheNodeSettingsWithTheirDefaults(Document document) throws Exception {
		Map<String, String> defaults = new TreeMap<>();
		collect("btcfed", new NodeProperties(), defaults);
		assertThat(defaults).containsKeys("btcfed.config-dir", "btcfed.reload.watch");
		assertThat(document.settingRows()).isEqualTo(defaults);
	}

	/** Reads the defaults of a properties bean as Spring Boot binds it: kebab-case, nested by dots. */
	private static void collect(String prefix, Object bean, Map<String, String> into) {
		BeanWrapper wrapper = new BeanWrapperImpl(bean);
		for (PropertyDescriptor property : wrapper.getPropertyDescriptors()) {
			if (property.getReadMethod() == null || "class".equals(property.getName())) {
				continue;
			}
			String name = prefix + "." + property.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
			Object value = wrapper.getPropertyValue(property.getName());
			if (value != null && value.getClass().getEnclosingClass() == NodeProperties.class) {
				collect(name, value, into);
			}
			else {
				into.put(name, (value instanceof Duration duration) ? ConfSchema.format(duration) : String.valueOf(value));
			}
		}
	}

	/** A value one unit beyond a bound, written as conf.yaml would take it. */
	private static String step(Object bound, int direction) {
		if (bound instanceof Integer number) {
			return String.valueOf(number + direction);
		}
		if (bound instanceof Duration duration) {
			return (duration.toMillis() + direction) + "ms";
		}
		return (((DataSize) bound).toBytes() + direction) + "B";
	}

	/** A table cell without code marks and parenthesised remarks. */
	private static String plain(String cell) {
		return cell.replaceAll("`", "").replaceAll("\\s*\\(.*\\)", "").trim();
	}

}
