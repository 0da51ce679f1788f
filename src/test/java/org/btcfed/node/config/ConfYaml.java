package org.btcfed.node.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way tests write a conf.yaml: a builder over the file's two levels (section, key), e.g.
 * <pre class="code">
 * ConfYaml.minimal().key(key).listen(address).set("protocol.ping_interval", "5s").write(configDir);
 * </pre>
 * Sections and keys are written in the order they were first set, a key set again keeps its
 * place, so a test knows on which line each key stands (errors report lines and columns). Lists
 * are written one item a line unless {@link #flowLists()}; the node key in double quotes.
 * <p>
 * For tests that write conf.yaml text by hand (about line numbers, YAML syntax, other keys),
 * {@link #withNetwork(String)} adds the one section every conf needs. Not thread-safe.
 */
public final class ConfYaml {

	/** A loopback listen address on a port the kernel picks at bind time. */
	public static final String ANY_LOOPBACK_PORT = "/ip4/127.0.0.1/tcp/0";

	private static final Pattern NETWORK_SECTION = Pattern.compile("(?m)^network:");

	private static final Pattern TOP_LEVEL_KEY = Pattern.compile("(?m)^[a-z_]+:");

	private static final Pattern ADDRESSES = Pattern.compile("(?m)^\\s+addresses:");

	/** Keys by section, both in the order they were first set. */
	private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();

	private boolean flowLists;

	private ConfYaml() {
	}

	/**
	 * The least a node starts with: an empty {@code node.private_key} (the node generates one and
	 * writes it back) and {@code network.addresses} with {@link #ANY_LOOPBACK_PORT}; every other
	 * key at the node's default.
	 * @return a new builder
	 */
	public static ConfYaml minimal() {
		return new ConfYaml().set("node.private_key", new Quoted("")).listen(ANY_LOOPBACK_PORT);
	}

	/**
	 * What a test node runs with unless a test says otherwise: {@link #minimal()}, then
	 * {@code network.max_connections: 128}, {@code peers.connection_timeout: 10s}, text logs on
	 * the console at {@code info} and {@code protocol.ping_interval: 30s}.
	 * @return a new builder
	 */
	public static ConfYaml defaults() {
		return minimal().set("network.max_connections", 128)
			.set("peers.connection_timeout", "10s")
			.set("logging.level", "info")
			.set("logging.format", "text")
			.set("logging.console_output", true)
			.set("protocol.ping_interval", "30s");
	}

	/**
	 * @param key the node's key
	 * @return this builder, with {@code node.private_key} set to it
	 */
	public ConfYaml key(NodeKey key) {
		return key(key.encoded());
	}

	/**
	 * @param encoded a node key as conf.yaml holds it (or any text, for tests about bad keys)
	 * @return this builder, with {@code node.private_key} set to it
	 */
	public ConfYaml key(String encoded) {
		return set("node.private_key", new Quoted(encoded));
	}

	/**
	 * @param addresses multiaddrs, e.g. {@code /ip4/127.0.0.1/tcp/9000}
	 * @return this builder, with {@code network.addresses} set to them
	 */
	public ConfYaml listen(String... addresses) {
		return listen(List.of(addresses));
	}

	/**
	 * @param addresses multiaddrs, e.g. {@code /ip4/127.0.0.1/tcp/9000}
	 * @return this builder, with {@code network.addresses} set to them
	 */
	public ConfYaml listen(List<String> addresses) {
		return set("network.addresses", List.copyOf(addresses));
	}

	/**
	 * Sets a key; one set before keeps its line.
	 * @param key {@code section.name}, e.g. {@code logging.level}
	 * @param value a text, number or boolean (written as it is), or a list of them
	 * @return this builder
	 */
	public ConfYaml set(String key, Object value) {
		int dot = key.indexOf('.');
		if (dot <= 0 || dot == key.length() - 1 || key.indexOf('.', dot + 1) >= 0) {
			throw new IllegalArgumentException("Not a section.name key: " + key);
		}
		this.sections.computeIfAbsent(key.substring(0, dot), (section) -> new LinkedHashMap<>())
			.put(key.substring(dot + 1), value);
		return this;
	}

	/**
	 * Writes lists on one line, {@code addresses: [a, b]}, so that every key takes one line.
	 * @return this builder
	 */
	public ConfYaml flowLists() {
		this.flowLists = true;
		return this;
	}

	/**
	 * @return the conf.yaml text
	 */
	public String render() {
		StringBuilder yaml = new StringBuilder();
		this.sections.forEach((section, keys) -> {
			yaml.append(section).append(":\n");
			keys.forEach((key, value) -> {
				yaml.append("  ").append(key).append(':');
				if (value instanceof List<?> list && !list.isEmpty() && !this.flowLists) {
					yaml.append('\n');
					list.forEach((item) -> yaml.append("    - ").append(item).append('\n'));
				}
				else if (value instanceof List<?> list) {
					yaml.append(" [").append(String.join(", ", list.stream().map(String::valueOf).toList())).append("]\n");
				}
				else {
					yaml.append(' ').append(value).append('\n');
				}
			});
		});
		return yaml.toString();
	}

	/**
	 * Replaces {@code <configDir>/conf.yaml} atomically and owner-only (it holds the node key), as
	 * an operator's tool should: a watching node never reads half a file.
	 * @param configDir the config dir, created if missing
	 * @return the file written
	 */
	public Path write(Path configDir) {
		return write(configDir.resolve(ConfigLoader.CONF_FILE), render(), true);
	}

	/**
	 * Replaces a file atomically, creating its directory if missing.
	 * @param file the file
	 * @param text its new content
	 * @param ownerOnly whether to make it owner-only, or keep the permissions it has
	 * @return the file
	 */
	static Path write(Path file, String text, boolean ownerOnly) {
		try {
			Files.createDirectories(file.getParent());
			byte[] content = text.getBytes(StandardCharsets.UTF_8);
			if (ownerOnly) {
				AtomicFiles.writeOwnerOnly(file, content);
			}
			else {
				AtomicFiles.write(file, content);
			}
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return render();
	}

	/**
	 * @param conf conf.yaml text, written by hand for a test about other keys
	 * @return {@code conf} with {@code network.addresses: [}{@link #ANY_LOOPBACK_PORT}{@code ]},
	 * which every conf needs, unless it has addresses already or is blank; after its own lines,
	 * which keep their line numbers
	 */
	public static String withNetwork(String conf) {
		if (conf.isBlank() || conf.strip().startsWith("{") || conf.strip().startsWith("[") || conf.strip().startsWith("-")
				|| ADDRESSES.matcher(conf).find()) {
			return conf;
		}
		String addresses = "  addresses: [" + ANY_LOOPBACK_PORT + "]\n";
		String separator = conf.endsWith("\n") ? "" : "\n";
		Matcher network = NETWORK_SECTION.matcher(conf);
		if (!network.find()) {
			return conf + separator + "network:\n" + addresses;
		}
		// A network section of other keys: when it is the last section the addresses go at the
		// end, so that every line keeps its number; otherwise right under "network:".
		if (!TOP_LEVEL_KEY.matcher(conf.substring(network.end())).find()) {
			return conf + separator + addresses;
		}
		int lineEnd = conf.indexOf('\n', network.end());
		return conf.substring(0, lineEnd + 1) + addresses + conf.substring(lineEnd + 1);
	}

	/** A text written in double quotes. */
	private record Quoted(String text) {

		@Override
		public String toString() {
			return '"' + this.text + '"';
		}

	}

}
