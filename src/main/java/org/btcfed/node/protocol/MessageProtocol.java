package org.btcfed.node.protocol;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.network.ProtocolStream;
import org.btcfed.node.network.ProtocolStreamHandler;
import org.btcfed.node.network.RejectReason;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The application message protocol, {@value #ID}: send a message to one peer or broadcast it to
 * all; received messages go to the registered listeners, in order per connection. On the wire
 * each message is {@code uvarint(length) || bytes} on a yamux stream; each side opens one
 * stream per connection on its first send and keeps it (a new one if the remote closes it).
 * Messages larger than {@code protocol.max_message_size} are refused on send; a peer that sends
 * one loses its connection ({@code OVERSIZED_FRAME}).
 */
@Component
public class MessageProtocol implements ProtocolHandler {

	/** Protocol id. */
	public static final String ID = "/btcfed/msg/1.0.0";

	private final NetworkManager network;

	private final ObjectProvider<ProtocolRegistry> registry;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	/** The stream each connection's messages are sent on, by connection id. */
	private final Map<String, ProtocolStream> outbound = new ConcurrentHashMap<>();

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
	 * Sends a message to one peer. Messages sent from one thread keep their order.
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
		return send(connection, payload);
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
			send(connection, payload);
			sent++;
		}
		return sent;
	}

	private ChannelFuture send(Connection connection, byte[] payload) {
		ProtocolStream stream = this.outbound.computeIfAbsent(connection.id(),
				id -> connection.openStream(ID, new Outbound(id)));
		return stream.write(LengthPrefixed.frame(stream.alloc(), payload));
	}

	private void checkSize(byte[] payload) {
		long max = this.registry.getObject().settings().maxMessageSize().toBytes();
		if (payload.length > max) {
			throw new IllegalArgumentException("message of " + payload.length
					+ " bytes exceeds protocol.max_message_size (" + max + " bytes)");
		}
	}

	@Override
	public Set<String> protocols() {
		return Set.of(ID);
	}

	@Override
	public ProtocolStreamHandler inbound(Connection connection, ProtocolStream stream, ProtocolSettings settings) {
		return new Inbound();
	}

	@Override
	public void disconnected(Connection connection) {
		this.outbound.remove(connection.id());
	}

	/** Forgets a sending stream that ended, so that the next message opens another. */
	private final class Outbound implements ProtocolStreamHandler {

		private final String connectionId;

		Outbound(String connectionId) {
			this.connectionId = connectionId;
		}

		@Override
		public void data(ProtocolStream stream, ByteBuf data) {
			// The remote sends its messages on its own stream; bytes here are ignored.
		}

		@Override
		public void closed(ProtocolStream stream, @Nullable Throwable cause) {
			MessageProtocol.this.outbound.remove(this.connectionId, stream);
		}

	}

	/** Reads a remote's messages, each with the settings in force when it is read. */
	private final class Inbound implements ProtocolStreamHandler {

		private final LengthPrefixed messages = new LengthPrefixed();

		@Override
		public void data(ProtocolStream stream, ByteBuf data) {
			int max = MessageProtocol.this.registry.getObject().inboundLimit();
			try {
				this.messages.read(data, max, payload -> MessageProtocol.this.listeners
					.forEach(listener -> listener.received(stream.connection(), payload)));
			}
			catch (TooLongFrameException ex) {
				stream.connection().close(RejectReason.OVERSIZED_FRAME, ex.getMessage() + " (protocol.max_message_size)");
			}
			catch (DecoderException ex) {
				stream.connection().close(RejectReason.MALFORMED, ex.getMessage());
			}
		}

		@Override
		public void closed(ProtocolStream stream, @Nullable Throwable cause) {
			this.messages.release();
		}

	}

}
