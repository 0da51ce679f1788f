package org.btcfed.node.protocol;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeConfig.ProtocolSettings;
import org.btcfed.node.config.PeerId;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.network.ProtocolStream;
import org.btcfed.node.network.ProtocolStreamHandler;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * libp2p identify, {@value #ID}, and identify push, {@value #PUSH}. Each side asks the other as
 * soon as a connection is up; this node answers with its public key, listen addresses,
 * protocols, the address it sees the peer at, and {@code agentVersion}
 * {@code btcfed-node/<version>}. What a peer says of itself is kept on its {@link Connection}.
 * After a listener rebind, peers that serve push are told the new addresses.
 */
@Component
public class IdentifyProtocol implements ProtocolHandler {

	/** Protocol id of identify. */
	public static final String ID = "/ipfs/id/1.0.0";

	/** Protocol id of identify push. */
	public static final String PUSH = "/ipfs/id/push/1.0.0";

	/** What js-libp2p sends; go v0.32 sends an empty string. */
	static final String PROTOCOL_VERSION = "ipfs/0.1.0";

	/** A peer's identify (all its messages together) may not be larger: go's limit is 10 x 8 KiB. */
	static final int MAX_SIZE = 80 * 1024;

	private static final Log logger = LogFactory.getLog(IdentifyProtocol.class);

	private final NetworkManager network;

	private final ObjectProvider<ProtocolRegistry> registry;

	private final String agentVersion;

	/** Connections with a push stream open, by id: whether another push is due once it ends. */
	private final Map<String, Boolean> pushing = new ConcurrentHashMap<>();

	/**
	 * @param network the node's key and listen addresses
	 * @param registry the protocols served (looked up lazily: it holds this handler)
	 */
	public IdentifyProtocol(NetworkManager network, ObjectProvider<ProtocolRegistry> registry) {
		this.network = network;
		this.registry = registry;
		String version = IdentifyProtocol.class.getPackage().getImplementationVersion();
		this.agentVersion = "btcfed-node/" + ((version != null) ? version : "dev");
	}

	/**
	 * @return what this node says it runs, {@code btcfed-node/<version>}
	 */
	public String agentVersion() {
		return this.agentVersion;
	}

	@Override
	public Set<String> protocols() {
		return Set.of(ID, PUSH);
	}

	@Override
	public void connected(Connection connection, ProtocolSettings settings) {
		connection.openStream(ID, new Reader(false)).closeWrite();
	}

	@Override
	public ProtocolStreamHandler inbound(Connection connection, ProtocolStream stream, ProtocolSettings settings) {
		if (PUSH.equals(stream.protocol())) {
			return new Reader(true);
		}
		stream.write(LengthPrefixed.frame(stream.alloc(), message(connection).encode()));
		stream.closeWrite();
		return new Ignore();
	}

	@Override
	public void listenAddressesChanged(List<Multiaddr> addresses) {
		for (Connection connection : this.network.connections()) {
			Connection.Identified identified = connection.identified();
			if (identified != null && identified.protocols().contains(PUSH)) {
				push(connection);
			}
		}
	}

	/**
	 * Pushes on one stream a connection at a time: js-libp2p resets a second inbound push stream
	 * while one is open (and a reload's paused reads hold one open), so a change made meanwhile is
	 * pushed, with the addresses of then, once the open one ends.
	 */
	private void push(Connection connection) {
		if (this.pushing.compute(connection.id(), (id, again) -> again != null) == Boolean.FALSE) {
			sendPush(connection);
		}
	}

	private void sendPush(Connection connection) {
		ProtocolStream push = connection.openStream(PUSH, new Pushed());
		push.write(LengthPrefixed.frame(push.alloc(), message(connection).encode()));
		push.closeWrite();
	}

	@Override
	public void disconnected(Connection connection) {
		this.pushing.remove(connection.id());
	}

	/**
	 * @param connection the connection it is for (its remote address is the observed address)
	 * @return what this node says of itself on that connection
	 */
	IdentifyMessage message(Connection connection) {
		List<byte[]> listen = new ArrayList<>();
		this.network.listenAddresses().forEach(address -> listen.add(address.toBytes()));
		byte[] key = PeerId.publicKeyProtobuf(Base64.getDecoder().decode(this.network.publicKey()));
		return new IdentifyMessage(key, listen, List.copyOf(this.registry.getObject().protocols()),
				connection.remoteAddress().toBytes(), PROTOCOL_VERSION, this.agentVersion);
	}

	/** Reads a peer's identify (or push) until it closes its side, then keeps it on the connection. */
	private static final class Reader implements ProtocolStreamHandler {

		private final boolean push;

		private final LengthPrefixed frames = new LengthPrefixed();

		private @Nullable IdentifyMessage merged;

		private int size;

		Reader(boolean push) {
			this.push = push;
		}

		@Override
		public void data(ProtocolStream stream, ByteBuf data) {
			this.size += data.readableBytes();
			if (this.size > MAX_SIZE) {
				logger.debug("Identify from " + stream.connection() + " exceeds " + MAX_SIZE + " bytes: ignored");
				this.frames.release();
				stream.reset();
				return;
			}
			try {
				this.frames.read(data, MAX_SIZE, bytes -> {
					IdentifyMessage next = IdentifyMessage.decode(bytes);
					this.merged = (this.merged == null) ? next : this.merged.merge(next);
				});
			}
			catch (DecoderException | IllegalArgumentException ex) {
				logger.debug("Unreadable identify from " + stream.connection() + ": " + ex.getMessage());
				stream.reset();
			}
		}

		@Override
		public void remoteClosed(ProtocolStream stream) {
			IdentifyMessage message = this.merged;
			if (message != null) {
				Connection connection = stream.connection();
				Connection.Identified before = connection.identified();
				List<Multiaddr> addresses = new ArrayList<>();
				for (byte[] address : message.listenAddrs()) {
					try {
						addresses.add(Multiaddr.fromBytes(address));
					}
					catch (IllegalArgumentException ex) {
						// An address of a kind this node does not dial (quic, dns...): not kept.
					}
				}
				if (this.push && before != null) {
					connection.identified(new Connection.Identified(
							message.agentVersion().isEmpty() ? before.agentVersion() : message.agentVersion(),
							message.protocols().isEmpty() ? before.protocols() : message.protocols(),
							addresses.isEmpty() ? before.listenAddresses() : addresses));
				}
				else {
					connection.identified(new Connection.Identified(message.agentVersion(), message.protocols(), addresses));
				}
			}
			stream.closeWrite();
		}

		@Override
		public void closed(ProtocolStream stream, @Nullable Throwable cause) {
			this.frames.release();
		}

	}

	/** A push stream: once it ends, the next push of its connection, if one is due, goes out. */
	private final class Pushed implements ProtocolStreamHandler {

		@Override
		public void data(ProtocolStream stream, ByteBuf data) {
			// nothing is expected here
		}

		@Override
		public void closed(ProtocolStream stream, @Nullable Throwable cause) {
			Connection connection = stream.connection();
			Boolean again = IdentifyProtocol.this.pushing.computeIfPresent(connection.id(),
					(id, due) -> due ? Boolean.FALSE : null);
			if (again != null) {
				if (connection.isOpen()) {
					sendPush(connection);
				}
				else {
					IdentifyProtocol.this.pushing.remove(connection.id());
				}
			}
		}

	}

	/** Takes no bytes: on streams where only this node speaks. */
	private static final class Ignore implements ProtocolStreamHandler {

		@Override
		public void data(ProtocolStream stream, ByteBuf data) {
			// nothing is expected here
		}

	}

}
