package org.btcfed.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.btcfed.node.config.ConfYaml;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The files of the whole node that a {@code @SpringBootTest} runs on a random loopback port: a
 * temporary root of its own with {@code config/} and {@code data/}, a conf.yaml with a fixed key
 * and text logs, the properties that point the node there, and an {@link ActuatorClient} for it.
 * <p>
 * One per test class, in a static field, since the conf.yaml must exist before the context
 * starts and the context lives as long as the class:
 * <pre class="code">
 * static final SpringBootTestNode NODE = SpringBootTestNode.create("hotreload-endpoint", KEY);
 *
 * &#064;DynamicPropertySource
 * static void properties(DynamicPropertyRegistry registry) {
 * 	NODE.register(registry);
 * }
 * </pre>
 */
public final class SpringBootTestNode {

	private final Path configDir;

	private final Path dataDir;

	private final String key;

	private SpringBootTestNode(Path root, String key) {
		this.configDir = root.resolve("config");
		this.dataDir = root.resolve("data");
		this.key = key;
	}

	/**
	 * Creates the node's directories in a new temporary root and writes its conf.yaml at
	 * {@code logging.level: info}.
	 * @param name the root's name prefix, e.g. {@code hotreload-endpoint}
	 * @param key the node key conf.yaml holds
	 * @return the node's files
	 */
	public static SpringBootTestNode create(String name, String key) {
		try {
			SpringBootTestNode node = new SpringBootTestNode(Files.createTempDirectory(name), key);
			node.writeConf("info", key, "30s");
			return node;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Points the node at its directories, with HTTP on loopback only.
	 * @param registry the test's dynamic properties
	 */
	public void register(DynamicPropertyRegistry registry) {
		registry.add("btcfed.config-dir", this.configDir::toString);
		registry.add("btcfed.data-dir", this.dataDir::toString);
		registry.add("server.address", () -> "127.0.0.1");
	}

	/**
	 * Replaces conf.yaml, with the key the node was created with and the default ping interval.
	 * @param level {@code logging.level}
	 */
	public void writeConf(String level) {
		writeConf(level, this.key, "30s");
	}

	/**
	 * Replaces conf.yaml (atomically, owner-only), one key a line: {@code node.private_key} on
	 * line 2, {@code network.addresses} on 4, {@code logging.level} on 6 and
	 * {@code logging.format: text} on 7, {@code protocol.ping_interval} on 9.
	 * @param level {@code logging.level}
	 * @param key {@code node.private_key}
	 * @param pingInterval {@code protocol.ping_interval}
	 */
	public void writeConf(String level, String key, String pingInterval) {
		ConfYaml.minimal()
			.flowLists()
			.key(key)
			.set("logging.level", level)
			.set("logging.format", "text")
			.set("protocol.ping_interval", pingInterval)
			.write(this.configDir);
	}

	/** @return the node's config dir */
	public Path configDir() {
		return this.configDir;
	}

	/** @return the node's data dir */
	public Path dataDir() {
		return this.dataDir;
	}

	/** @return the admin token the node wrote into its data dir */
	public String token() {
		try {
			return Files.readString(this.dataDir.resolve(DataDir.TOKEN_FILE), StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @param port the port the context's server listens on ({@code @LocalServerPort})
	 * @return the node's actuator
	 */
	public ActuatorClient actuator(int port) {
		return new ActuatorClient(() -> port, this::token);
	}

}
