package org.btcfed.node.config;

import java.util.regex.Pattern;

/**
 * conf.yaml text for tests about other keys: {@code network.addresses} is required, so a test
 * conf without a network section gets one appended (after its own lines, which keep their line
 * numbers).
 */
public final class TestConfs {

	private static final Pattern NETWORK_SECTION = Pattern.compile("(?m)^network:");

	private static final Pattern TOP_LEVEL_KEY = Pattern.compile("(?m)^[a-z_]+:");

	private static final Pattern ONE_LINE_PEER = Pattern.compile("^(\\s*)- public_key:\\s*(.*)$");

	private static final Pattern ADDRESSES = Pattern.compile("(?m)^\\s+addresses:");

	private TestConfs() {
	}

	/**
	 * @param conf conf.yaml text
	 * @return {@code conf} with a network section listening on a free loopback port, unless it has
	 * a network section already or is blank
	 */
	public static String withNetwork(String conf) {
		if (conf.isBlank() || conf.strip().startsWith("{") || conf.strip().startsWith("[") || conf.strip().startsWith("-")
				|| ADDRESSES.matcher(conf).find()) {
			return conf;
		}
		java.util.regex.Matcher network = NETWORK_SECTION.matcher(conf);
		if (network.find()) {
			// A network section of other keys: when it is the last section the addresses go at the
			// end, so that every line keeps its number; otherwise right under "network:".
			String separator = conf.endsWith("\n") ? "" : "\n";
			if (!TOP_LEVEL_KEY.matcher(conf.substring(network.end())).find()) {
				return conf + separator + "  addresses: [/ip4/127.0.0.1/tcp/0]\n";
			}
			int lineEnd = conf.indexOf('\n', network.end());
			return conf.substring(0, lineEnd + 1) + "  addresses: [/ip4/127.0.0.1/tcp/0]\n"
					+ conf.substring(lineEnd + 1);
		}
		String separator = conf.endsWith("\n") ? "" : "\n";
		return conf + separator + "network:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n";
	}

	/**
	 * @param peers peers.yaml text
	 * @return {@code peers} where each one-line entry ({@code - public_key: X} and nothing else)
	 * is written in flow style with an address, on its own line: every peer needs one, and the
	 * lines keep their numbers
	 */
	public static String withPeerAddresses(String peers) {
		String[] lines = peers.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			java.util.regex.Matcher entry = ONE_LINE_PEER.matcher(lines[i]);
			boolean continued = i + 1 < lines.length && lines[i + 1].startsWith(entry.matches() ? entry.group(1) + "  " : "\0");
			if (entry.matches() && !continued) {
				lines[i] = entry.group(1) + "- {public_key: " + entry.group(2) + ", addresses: [/ip4/127.0.0.1/tcp/1]}";
			}
		}
		return String.join("\n", lines);
	}

}
