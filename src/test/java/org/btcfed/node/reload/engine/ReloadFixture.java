package org.btcfed.node.reload.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.AtomicFiles;
import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.history.ConfigVersionStore;
import org.btcfed.node.reload.history.ReloadHistory;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadTrigger;

/**
 * Real files in a temp dir and a real coordinator over test components: the engine exactly as
 * the node runs it, minus Spring.
 */
public final class ReloadFixture implements AutoCloseable {

	public static final String KEY = NodeKey.generate().encoded();

	public final Path configDir;

	public final Path dataDir;

	public final NodeProperties properties = new NodeProperties();

	public final List<ReloadListener> listeners = new ArrayList<>();

	public ReloadCoordinator coordinator;

	public ConfigLoader.Staged startup;

	public ReloadFixture(Path root) {
		this.configDir = root.resolve("config");
		this.dataDir = root.resolve("data");
		this.properties.setConfigDir(this.configDir);
		this.properties.setDataDir(this.dataDir);
		this.properties.getReload().setRetryBackoff(Duration.ofMillis(1));
		writeConf(Map.of());
	}

	/** Writes conf.yaml: defaults, a loopback listener on a free-to-probe port 0, and overrides. */
	public void writeConf(Map<String, String> values) {
		ConfYaml.minimal()
			.key(KEY)
			.set("network.max_connections", values.getOrDefault("max_connections", "128"))
			.set("protocol.ping_interval", values.getOrDefault("ping_interval", "30s"))
			.set("protocol.max_message_size", values.getOrDefault("max_message_size", "1MB"))
			.set("logging.level", values.getOrDefault("level", "info"))
			.write(this.configDir);
	}

	public void write(String file, String content) {
		try {
			Files.createDirectories(this.configDir);
			AtomicFiles.writeOwnerOnly(this.configDir.resolve(file), content.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public ReloadCoordinator start(TestComponent... components) {
		return start(Map.of(), components);
	}

	public ReloadCoordinator start(Map<String, Set<String>> extraDependencies, TestComponent... components) {
		ConfigLoader loader = new ConfigLoader(this.configDir);
		this.startup = loader.stage(false);
		for (TestComponent component : components) {
			component.startWith(this.startup.snapshot());
		}
		this.coordinator = new ReloadCoordinator(this.properties.validationPipeline(loader, warning -> {
		}), this.startup, List.of(components), extraDependencies,
				new ReloadHistory(this.dataDir, this.properties.getReload().getHistoryLimit()),
				new ConfigVersionStore(this.dataDir, this.properties.getReload().getKeepVersions()), this.properties,
				this.listeners);
		this.coordinator.recordStartup(this.startup);
		return this.coordinator;
	}

	public ReloadReport reload() {
		return this.coordinator.submit(ReloadRequest.of(ReloadTrigger.HTTP)).join();
	}

	@Override
	public void close() {
		if (this.coordinator != null) {
			this.coordinator.close();
		}
	}

}
