package org.btcfed.node;

import org.btcfed.node.cli.AdminCli;
import org.btcfed.node.reload.signal.SighupListener;
import org.btcfed.node.reload.signal.SignalGate;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.ApplicationPidFileWriter;
import org.springframework.boot.context.event.ApplicationReadyEvent;
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
		application.addListeners(new ApplicationPidFileWriter());
		if (!warning.isEmpty()) {
			// Logged once the logging system is up, so that it reaches the configured outputs.
			application.addListeners((ApplicationListener<ApplicationReadyEvent>) event -> org.apache.commons.logging.LogFactory
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
