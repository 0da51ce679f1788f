package org.btcfed.node.network;

import java.util.List;

import org.btcfed.node.config.Multiaddr;
import org.jspecify.annotations.Nullable;

/**
 * Where authenticated connections and their streams go: implemented by the protocol layer,
 * called on the connection's event loop (never block it).
 */
public interface ProtocolDispatcher {

	/**
	 * A connection was authenticated and registered.
	 * @param connection the connection
	 */
	void connected(Connection connection);

	/**
	 * Whether inbound streams of a protocol are served; multistream-select answers {@code na} to
	 * the others.
	 * @param protocol the protocol id, e.g. {@code /ipfs/ping/1.0.0}
	 * @return whether it is served
	 */
	boolean supports(String protocol);

	/**
	 * The remote opened a stream for a protocol {@link #supports supported}.
	 * @param connection the connection
	 * @param stream the stream, {@link ProtocolStream#protocol() for that protocol}
	 * @return its handler, or null to reset the stream
	 */
	@Nullable ProtocolStreamHandler inbound(Connection connection, ProtocolStream stream);

	/**
	 * A registered connection closed.
	 * @param connection the connection
	 */
	void disconnected(Connection connection);

	/**
	 * The node listens on other addresses now (a listener rebind).
	 * @param addresses the addresses listened on
	 */
	default void listenAddressesChanged(List<Multiaddr> addresses) {
	}

}
