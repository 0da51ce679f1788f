package org.btcfed.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.AtomicFiles;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.btcfed.node.reload.trigger.SignalGate;
import org.btcfed.node.security.AdminToken;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * When the node is ready: writes the port file for the admin command line, tells the operator
 * what runs and how to reload it, then opens the signal gate (serving any SIGHUP held during
 * start-up). The start-up version is recorded earlier, when the coordinator is created (see
 * {@code ReloadConfiguration}), before any trigger can run.
 */
@Component
class NodeReadyListener implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(NodeReadyListener.class);

	private final ReloadCoordinator coordinator;

	private final ConfigLoader.Staged startup;

	private final SignalGate gate;

	private final NodeProperties properties;

	private final AdminToken token;

	private final NetworkManager network;

	NodeReadyListener(ReloadCoordinator coordinator, ConfigLoader.Staged startup, SignalGate gate,
			NodeProperties properties, AdminToken token, NetworkManager network) {
		this.network = network;
		this.coordinator = coordinator;
		this.startup = startup;
		this.gate = gate;
		this.properties = properties;
		this.token = token;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		ConfigSnapshot config = this.startup.snapshot();
		String url = actuatorUrl(event);
		writePortFile(event);
		logger.info("btcfed-node ready: config " + config.version() + " from "
				+ this.properties.getConfigDir().toAbsolutePath().normalize());
		logger.info("Node public key: " + Objects.requireNonNull(config.config().node().key()).publicKeyBase64());
		logger.info("Node peer id: " + this.network.peerId());
		logger.info("Listening on " + this.network.listenAddresses() + "; peers configured: " + config.peers().size());
		logger.info("Actuator: " + url + " (admin token in " + this.token.source() + ")");
		String http = "'curl -X POST -H \"Authorization: Bearer $TOKEN\" " + url + "/hotreload'";
		logger.info(this.gate.isSighupInstalled()
				? "Reload: edit conf.yaml or peers.yaml, then 'kill -HUP " + ProcessHandle.current().pid() + "' or " + http
				: "Reload: edit conf.yaml or peers.yaml, then " + http + " (SIGHUP is not available here)");
		this.gate.open(() -> {
			logger.info("SIGHUP received: reloading configuration");
			this.coordinator.submit(ReloadRequest.of(ReloadTrigger.SIGNAL));
		});
	}

	/**
	 * Tells the admin command line where the actuator is. {@link DataDir} removes the file when
	 * the JVM exits, if this process holds the data dir.
	 */
	private void writePortFile(ApplicationReadyEvent event) {
		if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
			Path file = this.properties.getDataDir().resolve(DataDir.PORT_FILE);
			try {
				AtomicFiles.write(file, (web.getWebServer().getPort() + "\n").getBytes(StandardCharsets.US_ASCII));
			}
			catch (IOException ex) {
				logger.warn("Cannot write " + file + " (the admin command line then needs --server.port): "
						+ ex.getMessage());
			}
		}
	}

	private static String actuatorUrl(ApplicationReadyEvent event) {
		var environment = event.getApplicationContext().getEnvironment();
		String address = environment.getProperty("server.address", "127.0.0.1");
		int port = (event.getApplicationContext() instanceof WebServerApplicationContext web
				&& web.getWebServer() != null) ? web.getWebServer().getPort()
						: environment.getProperty("server.port", Integer.class, 8080);
		String host = address.contains(":") ? "[" + address + "]" : address;
		return "http://" + host + ":" + port + "/actuator";
	}

}
