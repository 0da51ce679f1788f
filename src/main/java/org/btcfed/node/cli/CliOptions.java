package org.btcfed.node.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.convert.DurationStyle;

/**
 * The command line's options, as the node itself takes them ({@code --btcfed.config-dir=DIR}),
 * with the same environment fallbacks ({@code BTCFED_CONFIG_DIR}) and defaults.
 *
 * @param command the command
 * @param configDir the config dir
 * @param dataDir the data dir
 * @param host the node's HTTP address
 * @param port the node's HTTP port, or 0 to read it from the data dir
 * @param timeout how long {@code reload} waits for its report
 * @param limit how many reports {@code history} shows
 * @param json print JSON instead of text
 */
record CliOptions(String command, Path configDir, Path dataDir, String host, int port, Duration timeout, int limit,
		boolean json) {

	/** The options' names, without the leading {@code --}. */
	static final Set<String> KNOWN = Set.of("btcfed.config-dir", "btcfed.data-dir", "server.address",
			"server.port", "timeout", "limit", "json");

	static CliOptions parse(List<String> args, Map<String, String> env) {
		Map<String, String> values = new HashMap<>();
		for (String arg : args.subList(1, args.size())) {
			if (!arg.startsWith("--")) {
				throw new IllegalArgumentException("unexpected argument '" + arg + "'");
			}
			String[] pair = arg.substring(2).split("=", 2);
			if (!KNOWN.contains(pair[0])) {
				throw new IllegalArgumentException("unknown option --" + pair[0] + " (known: --btcfed.config-dir,"
						+ " --btcfed.data-dir, --server.address, --server.port, --timeout, --limit, --json)");
			}
			values.put(pair[0], (pair.length > 1) ? pair[1] : "true");
		}
		try {
			return new CliOptions(args.get(0),
					Path.of(value(values, env, "btcfed.config-dir", "BTCFED_CONFIG_DIR", "config")),
					Path.of(value(values, env, "btcfed.data-dir", "BTCFED_DATA_DIR", "data")),
					value(values, env, "server.address", "SERVER_ADDRESS", "127.0.0.1"),
					Integer.parseInt(value(values, env, "server.port", "SERVER_PORT", "0")),
					DurationStyle.detectAndParse(values.getOrDefault("timeout", "30s")),
					Integer.parseInt(values.getOrDefault("limit", "20")), Boolean.parseBoolean(values.get("json")));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("not a number: " + ex.getMessage());
		}
	}

	private static String value(Map<String, String> values, Map<String, String> env, String option, String variable,
			String fallback) {
		String value = values.get(option);
		if (value == null) {
			value = env.get(variable);
		}
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
