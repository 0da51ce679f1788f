package org.btcfed.node.config;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.reload.engine.Retry;
import org.btcfed.node.reload.trigger.SignalGate;

/**
 * Loads the configuration the node starts with, through the same loader and checks as a reload.
 * Generates and saves the node key when conf.yaml leaves it empty (masking reload signals while
 * conf.yaml is rewritten). Any error stops start-up with a {@link ConfigException} listing them all.
 */
public final class StartupConfiguration {

	private static final Log logger = LogFactory.getLog(StartupConfiguration.class);

	private StartupConfiguration() {
	}

	public static ConfigLoader.Staged load(ConfigLoader loader, NodeProperties properties, SignalGate gate) {
		Retry retry = new Retry(Math.max(1, properties.getReload().getRetryAttempts()),
				properties.getReload().getRetryBackoff());
		NodeKey written;
		try (SignalGate.Mask mask = gate.mask()) {
			written = DefaultConfig.writeIfMissing(loader.configDir());
		}
		if (written != null) {
			logger.info("No conf.yaml in " + loader.configDir().toAbsolutePath().normalize()
					+ ": wrote btc-federation's default configuration there (listening on /ip4/0.0.0.0/tcp/9000"
					+ " and /ip6/::/tcp/9000, owner-only) with a new node key; public key "
					+ written.publicKeyBase64());
		}
		ConfigLoader.Staged staged = stage(retry, loader, true);
		if (staged.snapshot().config().node().key() == null) {
			NodeKey key = NodeKey.generate();
			try (SignalGate.Mask mask = gate.mask()) {
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
			staged = stage(retry, loader, false);
		}
		List<ConfigError> errors = new java.util.ArrayList<>(
				ResourceValidator.validate(staged.snapshot(), Set.of(), properties.getDataDir()));
		errors.addAll(permissionErrors(loader, staged.snapshot()));
		if (!errors.isEmpty()) {
			throw new ConfigException(errors);
		}
		if (staged.snapshot().peers().isEmpty()) {
			logger.info("No peers configured - running in standalone mode");
		}
		return staged;
	}

	/**
	 * File permissions: a world-readable key file is an error, anything else worth knowing is
	 * logged as a warning.
	 */
	public static List<ConfigError> permissionErrors(ConfigLoader loader, org.btcfed.node.config.ConfigSnapshot snapshot) {
		return FilePermissions.configErrors(loader.configDir(), snapshot.config().node().key() != null, logger::warn);
	}

	private static ConfigLoader.Staged stage(Retry retry, ConfigLoader loader, boolean allowMissingKey) {
		try {
			return retry.run(() -> loader.stage(allowMissingKey),
					ex -> ex instanceof ConfigException config && config.isTransient());
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

}
