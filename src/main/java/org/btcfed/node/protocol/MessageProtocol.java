package org.btcfed.node.protocol;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.channel.ChannelFuture;
import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.NetworkManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The application message protocol ({@code msg}): send a message to one peer or broadcast it to
 * all; received messages go to the registered listeners, in order per connection. Messages
 * larger than {@code protocol.max_message_size} are refused on send (and cannot arrive: the
 * frame limit follows the same setting).
 */
@Component
public class MessageProtocol implements ProtocolHandler {

	/** Protocol id. */
	public static final String ID = "msg";

	private final NetworkManager network;

	private final ObjectProvider<ProtocolRegistry> registry;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	/**
	 * @param network finds the connection to a peer
	 * @param registry where the settings in force are read (looked up lazily: it holds this handler)
	 */
	public MessageProtocol(NetworkManager network, ObjectProvider<ProtocolRegistry> registry) {
		this.network = network;
		this.registry = registry;
	}

	/** Receives application messages; called on the connection's event loop, never block. */
	@FunctionalInterface
	public interface Listener {

		/**
		 * @param connection where from
		 * @param payload the message
		 */
		void received(Connection connection, byte[] payload);

	}

	/**
	 * @param listener receives every message from now on
	 */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	/**
	 * Sends a message to one peer.
	 * @param peerKey the peer's public key
	 * @param payload the message
	 * @return the write's future
	 * @throws IllegalArgumentException when the message is too large
	 * @throws IllegalStateException when the peer is not connected
	 */
	public ChannelFuture send(String peerKey, byte[] payload) {
		checkSize(payload);
		Connection connection = this.network.connection(peerKey);
		if (connection == null) {
			throw new IllegalStateException("peer " + peerKey + " is not connected");
		}
		return connection.send(ID, payload);
	}

	/**
	 * Sends a message to every connected peer.
	 * @param payload the message
	 * @return how many peers it was sent to
	 */
	public int broadcast(byte[] payload) {
		checkSize(payload);
		int sent = 0;
		for (Connection connection : this.network.connections()) {
			connection.send(ID, payload);
			sent++;
		}
		return sent;
	}

	private void checkSize(byte[] payload) {
		long max = this.registry.getObject().settings().maxMessageSize().toBytes();
		if (payload.length > max) {
			throw new IllegalArgumentException("message of " + payload.length
					+ " bytes exceeds protocol.max_message_size (" + max + " bytes)");
		}
	}

	@Override
	public String id() {
		return ID;
	}

	@Override
	public void message(Connection connection, byte[] payload, ProtocolSettings settings) {
		this.listeners.forEach(listener -> listener.received(connection, payload));
	}

}
