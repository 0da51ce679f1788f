package org.btcfed.node.network.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * One yamux stream as protocols see it: a flow-controlled, half-closable byte stream. Every
 * method is safe from any thread; it hops to the channel's event loop, where all of the stream's
 * state lives.
 */
public interface YamuxStream {

	/**
	 * The stream id: odd when the yamux client (the dialer) opened it, even for the server.
	 * @return the id, an unsigned 32-bit value
	 */
	int id();

	/**
	 * Whether the remote opened this stream.
	 * @return {@code true} for a stream opened by the remote
	 */
	boolean isInbound();

	/**
	 * The connection's channel, for its event loop and attributes.
	 * @return the channel the session is in
	 */
	Channel channel();

	/**
	 * Queues data under flow control, after any data queued before; takes ownership of the
	 * buffer.
	 * @param data the bytes to send
	 * @return a future that succeeds once all of the bytes are written to the connection, and
	 * fails when the stream is reset or closed for writing, the session ends, or the bytes
	 * waiting for window would exceed the session's pending limit (the stream is then reset); an
	 * empty buffer succeeds as soon as the queue reaches it
	 */
	ChannelFuture write(ByteBuf data);

	/** Half-closes our direction (FIN) after the data queued before; idempotent. */
	void closeWrite();

	/** Aborts both directions (RST) and drops queued data, failing its writes; idempotent. */
	void reset();

}
