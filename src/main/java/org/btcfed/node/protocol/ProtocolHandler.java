package org.btcfed.node.protocol;

import java.util.List;
import java.util.Set;

import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.ProtocolStream;
import org.btcfed.node.network.ProtocolStreamHandler;
import org.jspecify.annotations.Nullable;

/**
 * One libp2p protocol (or a family, such as identify and identify push), registered as a Spring
 * bean and found by the {@link ProtocolRegistry} by its ids. Called on the connection's event
 * loop: never block.
 */
public interface ProtocolHandler {

	/**
	 * @return the protocol ids it serves on inbound streams, e.g. {@code /ipfs/ping/1.0.0}
	 */
	Set<String> protocols();

	/**
	 * A session started.
	 * @param connection the connection
	 * @param settings the settings in force
	 */
	default void connected(Connection connection, ProtocolSettings settings) {
	}

	/**
	 * The remote opened a stream for one of {@link #protocols()}.
	 * @param connection the connection
	 * @param stream the stream ({@link ProtocolStream#protocol()} says which protocol)
	 * @param settings the settings in force
	 * @return its handler, or null to reset the stream
	 */
	@Nullable ProtocolStreamHandler inbound(Connection connection, ProtocolStream stream, ProtocolSettings settings);

	/**
	 * A session ended.
	 * @param connection the connection
	 */
	default void disconnected(Connection connection) {
	}

	/**
	 * The node listens on other addresses now.
	 * @param addresses the addresses listened on
	 */
	default void listenAddressesChanged(List<Multiaddr> addresses) {
	}

}
