package org.btcfed.node.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.util.unit.DataSize;

/**
 * Every key of conf.yaml with its default and rule. The README's key table documents the same
 * list, and so does docs/configuration.md; {@code DocumentedKeysTests} keeps the three in step.
 */
final class ConfSchema {

	private static final Pattern DURATION = Pattern.compile("^\\d+(ns|us|ms|s|m|h|d)$");

	private static final Pattern SIZE = Pattern.compile("^\\d+(B|KB|MB|GB)$");

	static final Map<String, KeySpec> KEYS = build(
			new KeySpec("node.private_key", "", false, true, text -> text),
			new KeySpec("network.addresses", List.of(), true, false, Multiaddr::parseListen),
			new KeySpec("network.max_connections", 128, false, false, integer(1, 65535)),
			new KeySpec("peers.connection_timeout", Duration.ofSeconds(10), false, false,
					duration(Duration.ofMillis(100), Duration.ofMinutes(10))),
			new KeySpec("logging.level", NodeConfig.LogLevel.INFO, false, false,
					enumeration(NodeConfig.LogLevel.class)),
			new KeySpec("logging.format", NodeConfig.LogFormat.JSON, false, false,
					enumeration(NodeConfig.LogFormat.class)),
			new KeySpec("logging.console_output", true, false, false, ConfSchema::bool),
			new KeySpec("logging.console_color", false, false, false, ConfSchema::bool),
			new KeySpec("logging.file_output", false, false, false, ConfSchema::bool),
			new KeySpec("logging.file_name", "btcfed-node.log", false, false, ConfSchema::fileName),
			new KeySpec("logging.file_max_size", DataSize.ofMegabytes(10), false, false,
					size(DataSize.ofKilobytes(1), DataSize.ofGigabytes(1))),
			new KeySpec("logging.file_max_history", 5, false, false, integer(1, 1000)),
			new KeySpec("protocol.ping_interval", Duration.ofSeconds(30), false, false,
					duration(Duration.ofSeconds(1), Duration.ofHours(1))),
			new KeySpec("protocol.max_message_size", DataSize.ofMegabytes(1), false, false,
					size(DataSize.ofKilobytes(1), DataSize.ofMegabytes(16))));

	/**
	 * Keys without a default, as in btc-federation: a node must be told where to listen. (The
	 * other sections have defaults; btc-federation's own defaults apply only to a missing file.)
	 */
	static final Set<String> REQUIRED = Set.of("network.addresses");

	static final Set<String> SECTIONS = KEYS.values()
		.stream()
		.map(KeySpec::section)
		.collect(Collectors.toCollection(LinkedHashSet::new));

	private ConfSchema() {
	}

	private static Map<String, KeySpec> build(KeySpec... specs) {
		Map<String, KeySpec> map = new LinkedHashMap<>();
		for (KeySpec spec : specs) {
			map.put(spec.key(), spec);
		}
		// Keeps the declaration order (Map.copyOf would not): SECTIONS, the "known keys" of error
		// messages and ties between suggestions must not change from one run to the next.
		return Collections.unmodifiableMap(map);
	}

	static List<String> keysOf(String section) {
		return KEYS.values().stream().filter(s -> s.section().equals(section)).map(KeySpec::name).sorted().toList();
	}

	/**
	 * Formats a typed value the way it is written in conf.yaml, so that diffs and the
	 * Environment show what the operator wrote.
	 */
	static String format(Object value) {
		if (value instanceof Duration duration) {
			return DurationStyle.SIMPLE.print(duration, largestExactUnit(duration));
		}
		if (value instanceof DataSize size) {
			return formatSize(size);
		}
		if (value instanceof NodeConfig.LogLevel level) {
			return level.yamlName();
		}
		if (value instanceof NodeConfig.LogFormat format) {
			return format.yamlName();
		}
		return String.valueOf(value);
	}

	private static ChronoUnit largestExactUnit(Duration duration) {
		for (ChronoUnit unit : List.of(ChronoUnit.DAYS,
				ChronoUnit.HOURS, ChronoUnit.MINUTES,
				ChronoUnit.SECONDS, ChronoUnit.MILLIS)) {
			if (duration.toNanos() % unit.getDuration().toNanos() == 0) {
				return unit;
			}
		}
		return ChronoUnit.NANOS;
	}

	private static String formatSize(DataSize size) {
		long bytes = size.toBytes();
		if (bytes % DataSize.ofGigabytes(1).toBytes() == 0) {
			return size.toGigabytes() + "GB";
		}
		if (bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
			return size.toMegabytes() + "MB";
		}
		if (bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
			return size.toKilobytes() + "KB";
		}
		return bytes + "B";
	}

	private static Function<String, Object> integer(int min, int max) {
		return text -> {
			int value;
			try {
				value = Integer.parseInt(text.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("must be a whole number between " + min + " and " + max
						+ ", was '" + text + "'");
			}
			if (value < min || value > max) {
				throw new IllegalArgumentException("must be between " + min + " and " + max + ", was " + value);
			}
			return value;
		};
	}

	private static Function<String, Object> duration(Duration min, Duration max) {
		return text -> {
			if (!DURATION.matcher(text.trim()).matches()) {
				throw new IllegalArgumentException(
						"must be a duration with a unit, like 500ms, 10s or 2m, was '" + text + "'");
			}
			Duration value = DurationStyle.SIMPLE.parse(text.trim());
			if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
				throw new IllegalArgumentException("must be between " + format(min) + " and " + format(max)
						+ ", was " + text.trim());
			}
			return value;
		};
	}

	private static Function<String, Object> size(DataSize min, DataSize max) {
		return text -> {
			String trimmed = text.trim().toUpperCase(Locale.ROOT);
			if (!SIZE.matcher(trimmed).matches()) {
				throw new IllegalArgumentException("must be a size with a unit, like 512KB or 10MB, was '" + text + "'");
			}
			DataSize value = DataSize.parse(trimmed);
			if (value.toBytes() < min.toBytes() || value.toBytes() > max.toBytes()) {
				throw new IllegalArgumentException("must be between " + format(min) + " and " + format(max)
						+ ", was " + text.trim());
			}
			return value;
		};
	}

	private static <E extends Enum<E>> Function<String, Object> enumeration(Class<E> type) {
		return text -> {
			for (E constant : type.getEnumConstants()) {
				if (constant.name().equalsIgnoreCase(text.trim())) {
					return constant;
				}
			}
			String allowed = Arrays.stream(type.getEnumConstants())
				.map(c -> c.name().toLowerCase(Locale.ROOT))
				.collect(Collectors.joining(", "));
			throw new IllegalArgumentException("must be one of " + allowed + ", was '" + text + "'");
		};
	}

	private static Object bool(String text) {
		return switch (text.trim().toLowerCase(Locale.ROOT)) {
			case "true" -> Boolean.TRUE;
			case "false" -> Boolean.FALSE;
			default -> throw new IllegalArgumentException("must be true or false, was '" + text + "'");
		};
	}

	private static Object fileName(String text) {
		if (text.isBlank()) {
			throw new IllegalArgumentException("must not be empty");
		}
		if (text.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("must not contain NUL characters");
		}
		if (text.indexOf('%') >= 0) {
			throw new IllegalArgumentException("must not contain '%' (rotated files are named with it), was '" + text + "'");
		}
		return text.trim();
	}

}
