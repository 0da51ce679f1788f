package org.btcfed.node.cli;

import org.btcfed.node.DataDir;
import org.btcfed.node.config.Suggestions;

/**
 * What {@code help} prints: every command and every option, one line each. An unknown command
 * gets the same text on stderr, after the closest command when there is one.
 */
final class Usage {

	static final String TEXT = """
			Usage: java -jar btcfed-node.jar [<command>] [options]
			Without a command (no arguments, or only --options) the node starts. A command starts no node.

			Commands:
			  validate   check conf.yaml and peers.yaml as start-up and a reload do (schema, ports, log file, permissions)
			  reload     send SIGHUP to the running node (its pid file) and print the report of that reload
			  status     the running node's reload state, running version and last reload
			  history    the running node's recent reload reports, newest first
			  keygen     print a new node key pair: the private key for a Kubernetes Secret or conf.yaml node.private_key, the public key for the other nodes' peers.yaml
			  help       print this text (also --help, -h)

			Options (as the node takes them; the environment variable is used when the option is absent):
			  --btcfed.config-dir=DIR    validate: the dir of conf.yaml and peers.yaml (BTCFED_CONFIG_DIR, default ./config)
			  --btcfed.data-dir=DIR      the node's data dir, with its pid, port and %3$s files (BTCFED_DATA_DIR, default ./data)
			  --server.address=HOST      validate, status, history: the node's HTTP address (SERVER_ADDRESS, default 127.0.0.1)
			  --server.port=PORT         validate, status, history: the node's HTTP port (SERVER_PORT, default: read from <data-dir>/%2$s)
			  --timeout=DURATION         reload: how long to wait for the report (default 30s)
			  --limit=N                  history: how many reports to show (default 20)
			  --json                     reload, status, history: print JSON instead of text
			  -private KEY               keygen: print only the public key of this private key (also --private; keygen -help)
			  BTCFED_ADMIN_TOKEN         status, history: the node's admin token (environment only; default: <data-dir>/%3$s)

			Exit status: 0 ok, 1 invalid configuration (REJECTED), 2 usage error or this text, 3 ROLLED_BACK, 4 FAILED,
			5 the node cannot be reached.
			""".formatted(DataDir.PID_FILE, DataDir.PORT_FILE, DataDir.TOKEN_FILE);

	private Usage() {
	}

	/**
	 * What an unknown command gets: its name, the closest command, then the usage text.
	 * @param command the first argument, which is no command
	 * @return the text for stderr
	 */
	static String unknownCommand(String command) {
		if (!command.matches("[A-Za-z0-9._-]{1,32}")) {
			// Not echoed: a long or odd first argument may be a private key that lost its -private.
			return "btcfed-node: unknown command (not shown, it may be a key)\n\n" + TEXT;
		}
		String closest = Suggestions.closest(command, AdminCli.COMMANDS);
		return "btcfed-node: unknown command '" + command + "'"
				+ ((closest != null) ? ", did you mean '" + closest + "'?" : "") + "\n\n" + TEXT;
	}

}
