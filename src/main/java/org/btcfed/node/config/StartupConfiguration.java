package org.btcfed.node.config;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Loads the configuration the node starts with, through the {@link ValidationPipeline} every
 * reload uses. Writes btc-federation's default conf.yaml into a config dir that has none, and
 * generates and saves the node key when conf.yaml leaves it empty, each inside a
 * {@link SelfWrites} stretch so that no reload reads the file half-written. Any error stops
 * start-up with a {@link ConfigException} listing them all.
 */
public final class StartupConfiguration {

	private static final Log logger = LogFactory.getLog(StartupConfiguration.class);

	private StartupConfiguration() {
	}

	/**
	 * @param pipeline the validation pipeline
	 * @param writes opens a stretch in which the node writes its own config files
	 * @return the staged start-up configuration
	 * @throws ConfigException when it is not valid
	 */
	public static ConfigLoader.Staged load(ValidationPipeline pipeline, SelfWrites writes) {
		ConfigLoader loader = pipeline.loader();
		NodeKey written;
		try (SelfWrites.Stretch stretch = writes.begin()) {
			written = DefaultConfig.writeIfMissing(loader.configDir());
		}
		if (written != null) {
			logger.info("No conf.yaml in " + loader.configDir().toAbsolutePath().normalize()
					+ ": wrote btc-federation's default configuration there (listening on /ip4/0.0.0.0/tcp/9000"
					+ " and /ip6/::/tcp/9000, owner-only) with a new node key; public key "
					+ written.publicKeyBase64());
		}
		// Read first: a key is generated only into a conf.yaml that binds (and read again then);
		// every later stage (ports, permissions) runs once, on the files as they will be used.
		ConfigLoader.Staged read = pipeline.stage(true).orThrow();
		if (read.snapshot().config().node().key() == null) {
			provisionKey(loader, writes);
			read = pipeline.stage(false).orThrow();
		}
		ConfigLoader.Staged staged = pipeline.check(read, List.of(), null, snapshot -> Set.of()).orThrow();
		if (staged.snapshot().peers().isEmpty()) {
			logger.info("No peers configured - running in standalone mode");
		}
		return staged;
	}

	private static void provisionKey(ConfigLoader loader, SelfWrites writes) {
		NodeKey key = NodeKey.generate();
		try (SelfWrites.Stretch stretch = writes.begin()) {
			PrivateKeyProvisioner.provision(loader.configDir().resolve(ConfigLoader.CONF_FILE), key);
		}
		catch (IOException ex) {
			throw new ConfigException(List.of(new ConfigError("node.private_key", ConfigLoader.CONF_FILE, null, null,
					"is empty, and the generated key cannot be saved (" + ex.getClass().getSimpleName() + ": "
							+ ex.getMessage() + "); make the config dir writable for the first start, or write"
							+ " a key there yourself")));
		}
		logger.info("Generated a new node identity and saved it to conf.yaml (owner-only); public key "
				+ key.publicKeyBase64());
	}

}
