package org.btcfed.node.network;

/**
 * Where authenticated connections and their messages go: implemented by the protocol layer,
 * called on the connection's event loop (never block it).
 */
public interface ProtocolDispatcher {

	/**
	 * A connection was authenticated and registered.
	 * @param connection the connection
	 */
	void connected(Connection connection);

	/**
	 * A protocol message arrived.
	 * @param connection where from
	 * @param protocol the protocol id
	 * @param payload the message
	 */
	void message(Connection connection, String protocol, byte[] payload);

	/**
	 * A registered connection closed.
	 * @param connection the connection
	 */
	void disconnected(Connection connection);

}
