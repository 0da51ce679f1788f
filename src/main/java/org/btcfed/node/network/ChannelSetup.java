package org.btcfed.node.network;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;
import org.btcfed.node.config.NodeKey;

/**
 * Assembles a peer connection's pipeline, in this order:
 * <ol>
 * <li>{@link FrameDecoder}: bytes to length-prefixed frames; until the peer is authenticated no
 * frame may be larger than a HELLO, so an unknown client cannot make the node buffer megabytes;</li>
 * <li>{@link HandshakeHandler}: Ed25519 authentication under the connection timeout; on success
 * it leaves and a {@link SessionHandler} takes its place;</li>
 * <li>{@link ExceptionHandler}: any failure closes this connection only.</li>
 * </ol>
 * Outgoing frames are written with their length already in front, so no encoder is needed.
 */
final class ChannelSetup extends ChannelInitializer<SocketChannel> {

	static final AttributeKey<Direction> DIRECTION = AttributeKey.valueOf("btcfed.direction");

	static final AttributeKey<String> CLOSE_DETAIL = AttributeKey.valueOf("btcfed.closeDetail");

	/** The identity this channel's handshake was made with. */
	static final AttributeKey<NodeKey> IDENTITY = AttributeKey.valueOf("btcfed.identity");

	static final String SESSION = "session";

	static final String EXCEPTIONS = "exceptions";

	private final Direction direction;

	private final Supplier<NodeKey> key;

	private final LongSupplier timeoutMillis;

	private final IntSupplier maxFrameLength;

	private final ReadGate gate;

	private final HandshakeHandler.Listener listener;

	private final Predicate<SocketChannel> admit;

	ChannelSetup(Direction direction, Supplier<NodeKey> key, LongSupplier timeoutMillis, IntSupplier maxFrameLength,
			ReadGate gate, HandshakeHandler.Listener listener) {
		this(direction, key, timeoutMillis, maxFrameLength, gate, listener, channel -> true);
	}

	/**
	 * @param admit whether a new channel may start a handshake at all (refusing it closes it at
	 * once, before anything is read)
	 */
	ChannelSetup(Direction direction, Supplier<NodeKey> key, LongSupplier timeoutMillis, IntSupplier maxFrameLength,
			ReadGate gate, HandshakeHandler.Listener listener, Predicate<SocketChannel> admit) {
		this.admit = admit;
		this.direction = direction;
		this.key = key;
		this.timeoutMillis = timeoutMillis;
		this.maxFrameLength = maxFrameLength;
		this.gate = gate;
		this.listener = listener;
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
			.addLast("frames", new FrameDecoder(() -> (channel.pipeline().get(HandshakeHandler.class) != null)
					? Wire.HELLO_LENGTH : this.maxFrameLength.getAsInt()))
			.addLast("handshake", new HandshakeHandler(identity, this.timeoutMillis.getAsLong(), this.listener))
			.addLast(EXCEPTIONS, ExceptionHandler.INSTANCE);
	}

}
