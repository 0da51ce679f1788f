package org.btcfed.node.network;

import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import org.btcfed.node.config.NodeKey;

/**
 * Assembles a peer connection's pipeline: an {@link Upgrader} (multistream-select, Noise,
 * multistream-select again, within the connection timeout), which leaves once the peer is
 * authenticated and its yamux session took its place, and the {@link ExceptionHandler}, which
 * closes this connection only on any failure. Every layer after Noise is encrypted.
 */
final class ChannelSetup extends ChannelInitializer<SocketChannel> {

	static final AttributeKey<Direction> DIRECTION = AttributeKey.valueOf("btcfed.direction");

	static final AttributeKey<String> CLOSE_DETAIL = AttributeKey.valueOf("btcfed.closeDetail");

	/** The identity this channel's handshake was made with. */
	static final AttributeKey<NodeKey> IDENTITY = AttributeKey.valueOf("btcfed.identity");

	/** On a dialled channel: the key of the peer dialled, which the remote must prove. */
	static final AttributeKey<String> EXPECTED_PEER = AttributeKey.valueOf("btcfed.expectedPeer");

	static final String SESSION = "yamux";

	static final String EXCEPTIONS = "exceptions";

	private final Direction direction;

	private final Supplier<NodeKey> key;

	private final LongSupplier timeoutMillis;

	private final ReadGate gate;

	private final Upgrader.Listener listener;

	private final Predicate<SocketChannel> admit;

	/**
	 * @param admit whether a new channel may start a handshake at all (refusing it closes it at
	 * once, before anything is read)
	 */
	ChannelSetup(Direction direction, Supplier<NodeKey> key, LongSupplier timeoutMillis, ReadGate gate,
			Upgrader.Listener listener, Predicate<SocketChannel> admit) {
		this.direction = direction;
		this.key = key;
		this.timeoutMillis = timeoutMillis;
		this.gate = gate;
		this.listener = listener;
		this.admit = admit;
	}

	@Override
	protected void initChannel(SocketChannel channel) {
		if (!this.admit.test(channel)) {
			channel.close();
			return;
		}
		NodeKey identity = this.key.get();
		channel.attr(DIRECTION).set(this.direction);
		channel.attr(IDENTITY).set(identity);
		this.gate.register(channel);
		channel.pipeline()
			.addLast("upgrade", new Upgrader(identity, this.direction == Direction.OUTBOUND,
					this.timeoutMillis.getAsLong(), this.listener))
			.addLast(EXCEPTIONS, ExceptionHandler.INSTANCE);
	}

}
