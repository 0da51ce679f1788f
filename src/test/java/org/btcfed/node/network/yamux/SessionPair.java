package org.btcfed.node.network.yamux;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.jspecify.annotations.Nullable;

/**
 * A yamux client and server on two {@link EmbeddedChannel}s, with the bytes each writes pumped
 * into the other until both are quiet.
 */
class SessionPair implements AutoCloseable {

	final YamuxSession client;

	final YamuxSession server;

	final EmbeddedChannel clientChannel;

	final EmbeddedChannel serverChannel;

	final SessionEnd clientEnd = new SessionEnd();

	final SessionEnd serverEnd = new SessionEnd();

	/** Handlers given to the streams the server accepted, in order. */
	final List<RecordingHandler> serverAccepted = new ArrayList<>();

	/** Handlers given to the streams the client accepted, in order. */
	final List<RecordingHandler> clientAccepted = new ArrayList<>();

	/** Bytes moved client to server and back. */
	long clientToServer;

	long serverToClient;

	SessionPair(YamuxConfig config) {
		this(config, config);
	}

	SessionPair(YamuxConfig clientConfig, YamuxConfig serverConfig) {
		this.client = new YamuxSession(true, clientConfig, recording(this.clientAccepted));
		this.server = new YamuxSession(false, serverConfig, recording(this.serverAccepted));
		this.clientChannel = new EmbeddedChannel(this.client, this.clientEnd);
		this.serverChannel = new EmbeddedChannel(this.server, this.serverEnd);
	}

	static Function<YamuxStream, @Nullable YamuxStreamHandler> recording(List<RecordingHandler> accepted) {
		return (stream) -> {
			RecordingHandler handler = new RecordingHandler();
			handler.stream = stream;
			accepted.add(handler);
			return handler;
		};
	}

	/** Moves bytes both ways until neither side has anything more to write. */
	void pump() {
		boolean moved = true;
		while (moved) {
			this.clientChannel.runPendingTasks();
			this.serverChannel.runPendingTasks();
			long before = this.clientToServer + this.serverToClient;
			this.clientToServer += move(this.clientChannel, this.serverChannel);
			this.serverToClient += move(this.serverChannel, this.clientChannel);
			moved = this.clientToServer + this.serverToClient != before;
		}
	}

	private static long move(EmbeddedChannel from, EmbeddedChannel to) {
		long bytes = 0;
		for (ByteBuf frame = from.readOutbound(); frame != null; frame = from.readOutbound()) {
			bytes += frame.readableBytes();
			if (to.isActive()) {
				to.writeInbound(frame);
			}
			else {
				frame.release();
			}
		}
		return bytes;
	}

	@Override
	public void close() {
		this.clientChannel.finishAndReleaseAll();
		this.serverChannel.finishAndReleaseAll();
	}

}
