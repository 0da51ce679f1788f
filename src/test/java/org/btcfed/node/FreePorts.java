package org.btcfed.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Loopback TCP ports that nothing listens on, for tests that need a port number before they
 * bind (a listen address in conf.yaml, an HTTP port on a command line) or a port where a dial is
 * refused.
 * <p>
 * The kernel picks the port for a socket bound to port 0 on {@code 127.0.0.1}, which is closed
 * again before the port is returned: another process may take it before the test binds it, which
 * on loopback, with the kernel handing out ports in turn, is rare enough for tests.
 */
public final class FreePorts {

	private FreePorts() {
	}

	/**
	 * @return a TCP port on {@code 127.0.0.1} that is free now
	 */
	public static int pick() {
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
