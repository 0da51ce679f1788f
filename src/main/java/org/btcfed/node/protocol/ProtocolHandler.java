package org.btcfed.node.protocol;

import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.network.Connection;

/**
 * One protocol, registered as a Spring bean and found by the {@link ProtocolRegistry} by its id.
 * Called on the connection's event loop: never block.
 */
public interface ProtocolHandler {

	/**
	 * @return the protocol id on the wire (ASCII), e.g. {@code ping}
	 */
	String id();

	/**
	 * A session started.
	 * @param connection the connection
	 * @param settings the settings in force
	 */
	default void connected(Connection connection, ProtocolSettings settings) {
	}

	/**
	 * A message for this protocol arrived.
	 * @param connection where from
	 * @param payload the message
	 * @param settings the settings in force for this message
	 */
	void message(Connection connection, byte[] payload, ProtocolSettings settings);

	/**
	 * A session ended.
	 * @param connection the connection
	 */
	default void disconnected(Connection connection) {
	}

}
