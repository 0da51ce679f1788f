package org.btcfed.node;

import java.nio.file.Path;

import org.apache.commons.logging.LogFactory;
import org.btcfed.node.cli.AdminCli;
import org.btcfed.node.reload.trigger.SighupListener;
import org.btcfed.node.reload.trigger.SignalGate;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * btcfed-node's entry point. The SIGHUP handler is installed first, before Spring starts, so that
 * a signal arriving during start-up is held and served once the node is ready rather than
 * killing the JVM (SIGHUP's default action). Start-up failures exit with status 1; configuration
 * errors are printed, every one of them, without a stack trace.
 */
@SpringBootApplication
public class NodeApplication {

	/**
	 * Starts the node, or runs an admin command ({@code validate}, {@code reload}, {@code status},
	 * {@code history}, {@code keygen}, {@code help}; see {@link AdminCli#handles}).
	 * @param args Spring Boot arguments, e.g. {@code --btcfed.config-dir=DIR}, or a command
	 */
	public static void main(String[] args) {
		if (AdminCli.handles(args)) {
			System.exit(AdminCli.run(args, System.getenv(), System.out, System.err));
		}
		SignalGate gate = new SignalGate();
		StringBuilder warning = new StringBuilder();
		SighupListener.install(gate, warning::append);
		SpringApplication application = new SpringApplication(NodeApplication.class);
		application.addInitializers(context -> context.getBeanFactory().registerSingleton("signalGate", gate));
		// The data dir is this process's before anything is written there: a second node (or a
		// mistyped command) on it stops here, leaving the running node's files alone.
		application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> DataDir
			.lock(Path.of(event.getEnvironment().getProperty("btcfed.data-dir", "data"))));
		if (!warning.isEmpty()) {
			// Logged as soon as the logging system is up (in the configured format), among the
			// first lines.
			application.addListeners((ApplicationListener<ApplicationPreparedEvent>) event -> LogFactory
				.getLog(NodeApplication.class)
				.warn(warning));
		}
		try {
			application.run(args);
		}
		catch (Throwable ex) {
			// Spring Boot has already reported the failure (analysed, for configuration errors).
			System.exit(1);
		}
	}

}
