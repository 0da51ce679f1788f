package org.btcfed.node.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

import org.btcfed.node.config.NodeKey;
import org.jspecify.annotations.Nullable;

/**
 * {@code keygen}, as btc-federation's {@code cmd/utils/keygen} prints it: a new Ed25519 key pair
 * in btc-federation's format ({@code Private Key: } base64 of seed and public key, 88 characters;
 * {@code Public Key:  } base64 of the public key, 44 characters), or with {@code -private KEY}
 * the public key of an existing private key. Both also print the libp2p {@code Peer ID:}
 * ({@code 12D3KooW...}, 52 characters) that go-libp2p derives from the key, as it appears in
 * {@code /p2p/} addresses and in btc-federation's logs.
 * <p>
 * The private key goes to stdout and nowhere else: nothing is logged and no file is written, and
 * no error message contains an argument that might be a key (base64 never starts with
 * {@code -}, so only flags are named).
 */
final class Keygen {

	static final String USAGE = """
			BTC Federation Key Generator

			Usage:
			  keygen                    Generate a new Ed25519 key pair
			  keygen -private <key>     Get public key and peer ID from private key
			  keygen -help              Show this help

			As java -jar btcfed-node.jar keygen. The private key is for a Kubernetes Secret or conf.yaml's
			node.private_key; the public key is what the other nodes list in their peers.yaml; the peer ID
			is the node's libp2p id (in /p2p/ addresses and in the logs).
			""";

	private static final Set<String> HELP = Set.of("-help", "--help", "-h", "help");

	private static final Set<String> PRIVATE = Set.of("-private", "--private");

	private Keygen() {
	}

	/**
	 * Runs {@code keygen}.
	 * @param args the arguments after {@code keygen}
	 * @param out where the keys go
	 * @param err where errors go
	 * @return the exit code: 0, 1 for an invalid key, 2 for a wrong command line
	 */
	static int run(List<String> args, PrintStream out, PrintStream err) {
		if (args.isEmpty()) {
			NodeKey key = NodeKey.generate();
			out.println("Private Key: " + key.encoded());
			out.println("Public Key:  " + key.publicKeyBase64());
			out.println("Peer ID:     " + key.peerId());
			return AdminCli.OK;
		}
		if (args.size() == 1 && HELP.contains(args.get(0))) {
			out.print(USAGE);
			return AdminCli.OK;
		}
		String privateKey = privateKey(args, err);
		if (privateKey == null) {
			err.print("\n" + USAGE);
			return AdminCli.USAGE;
		}
		try {
			NodeKey key = NodeKey.parse(privateKey);
			out.println("Public Key: " + key.publicKeyBase64());
			out.println("Peer ID: " + key.peerId());
			return AdminCli.OK;
		}
		catch (IllegalArgumentException ex) {
			// NodeKey's messages never contain the key.
			err.println("btcfed-node keygen: invalid private key: " + ex.getMessage());
			return AdminCli.INVALID;
		}
	}

	/** The value of {@code -private}, or {@code null} after saying what is wrong. */
	private static @Nullable String privateKey(List<String> args, PrintStream err) {
		String flag = args.get(0);
		String name = flag.split("=", 2)[0];
		boolean inline = !name.equals(flag);
		if (!PRIVATE.contains(name) && flag.startsWith("-")) {
			err.println("btcfed-node keygen: unknown flag " + name);
		}
		else if (PRIVATE.contains(name) && inline && args.size() == 1) {
			return flag.substring(name.length() + 1);
		}
		else if (PRIVATE.contains(name) && !inline && args.size() == 2) {
			return args.get(1);
		}
		else if (PRIVATE.contains(name) && args.size() == 1) {
			err.println("btcfed-node keygen: " + name + " needs a value: keygen -private <key>");
		}
		else {
			// Not echoed: a stray argument may well be a private key pasted without -private.
			err.println("btcfed-node keygen: unexpected argument(s) (not shown, one may be a key);"
					+ " for the public key of a private key: keygen -private <key>");
		}
		return null;
	}

}
