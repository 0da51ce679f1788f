package org.btcfed.node.network;

import java.util.ArrayDeque;
import java.util.Queue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.btcfed.node.network.yamux.YamuxStream;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ProtocolStream} was asked to write before the remote accepted its protocol:
 * data with its promise, and a half-close, in order. Used on the connection's event loop only.
 */
final class HeldWrites {

	private final Queue<Held> held = new ArrayDeque<>();

	/** Data (or, with null data, a half-close) with its promise. */
	private record Held(@Nullable ByteBuf data, @Nullable ChannelPromise promise) {
	}

	void data(ByteBuf data, ChannelPromise promise) {
		this.held.add(new Held(data, promise));
	}

	void closeWrite() {
		this.held.add(new Held(null, null));
	}

	/** Writes everything held, in order, to the stream now open. */
	void flushTo(YamuxStream stream) {
		Held next;
		while ((next = this.held.poll()) != null) {
			if (next.data() == null) {
				stream.closeWrite();
			}
			else {
				ChannelFuture written = stream.write(next.data());
				if (next.promise() != null) {
					cascade(written, next.promise());
				}
			}
		}
	}

	/** Drops everything held: the stream ended before its protocol was agreed. */
	void fail(Throwable cause) {
		Held next;
		while ((next = this.held.poll()) != null) {
			ReferenceCountUtil.release(next.data());
			if (next.promise() != null) {
				next.promise().tryFailure(cause);
			}
		}
	}

	/** Completes a promise as a write does. */
	static void cascade(ChannelFuture written, ChannelPromise promise) {
		written.addListener(future -> {
			if (future.isSuccess()) {
				promise.trySuccess();
			}
			else {
				promise.tryFailure(future.cause());
			}
		});
	}

}
