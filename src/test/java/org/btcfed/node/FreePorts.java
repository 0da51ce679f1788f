package org.btcfed.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loopback TCP ports that nothing listens on, for tests that need a port number before they
 * bind (a listen address in conf.yaml, an HTTP port on a command line) or a port where a dial is
 * refused.
 * <p>
 * The kernel picks the port for a socket bound to port 0 on {@code 127.0.0.1}, which is closed
 * again before the port is returned: another process may take it before the test binds it, which
 * on loopback is rare enough for tests. The kernel may give the same free port twice in a row,
 * though (a node's HTTP and P2P ports once collided so): a port is never handed out twice in one
 * JVM.
 */
public final class FreePorts {

	private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

	private FreePorts() {
	}

	/**
	 * @return a TCP port on {@code 127.0.0.1} that is free now
	 */
	public static int pick() {
		while (true) {
			int port = bindAndRelease();
			if (HANDED_OUT.add(port)) {
				return port;
			}
		}
	}

	private static int bindAndRelease() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * @return a listen address on a loopback port that is free now: {@code /ip4/127.0.0.1/tcp/<port>}
	 */
	public static String loopbackAddress() {
		return "/ip4/127.0.0.1/tcp/" + pick();
	}

}
