package org.btcfed.node.network;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * What a protocol does with one of its streams. Called on the connection's event loop: never
 * block it.
 */
public interface ProtocolStreamHandler {

	/**
	 * The remote accepted the protocol on a stream this node opened (an inbound stream is open
	 * when its handler is asked for).
	 * @param stream the stream
	 */
	default void opened(ProtocolStream stream) {
	}

	/**
	 * Bytes of the protocol arrived, in order, chunked arbitrarily. The buffer is released after
	 * this returns (retain or copy what is kept); its bytes count as consumed, so the remote gets
	 * that much window back.
	 * @param stream the stream
	 * @param data the bytes
	 */
	void data(ProtocolStream stream, ByteBuf data);

	/**
	 * The remote closed its side (no more data will come); this side may still write.
	 * @param stream the stream
	 */
	default void remoteClosed(ProtocolStream stream) {
	}

	/**
	 * The stream is gone: closed both ways, reset, refused by the remote, or its connection ended.
	 * Called once.
	 * @param stream the stream
	 * @param cause why, when it did not end normally
	 */
	default void closed(ProtocolStream stream, @Nullable Throwable cause) {
	}

}
