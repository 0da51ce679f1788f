package org.btcfed.node.network.yamux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * A stream handler that keeps what it hears: the bytes, the FIN, and every {@code closed} call.
 */
class RecordingHandler implements YamuxStreamHandler {

	final ByteArrayOutputStream received = new ByteArrayOutputStream();

	final List<@Nullable Throwable> closings = new ArrayList<>();

	@Nullable YamuxStream stream;

	boolean remoteClosed;

	int pieces;

	@Override
	public void data(YamuxStream stream, ByteBuf data) {
		this.stream = stream;
		this.pieces++;
		byte[] bytes = new byte[data.readableBytes()];
		data.readBytes(bytes);
		this.received.writeBytes(bytes);
	}

	@Override
	public void remoteClosed(YamuxStream stream) {
		this.stream = stream;
		this.remoteClosed = true;
	}

	@Override
	public void closed(YamuxStream stream, @Nullable Throwable cause) {
		this.stream = stream;
		this.closings.add(cause);
	}

	String text() {
		return this.received.toString(StandardCharsets.UTF_8);
	}

	boolean isClosed() {
		return !this.closings.isEmpty();
	}

	@Nullable Throwable cause() {
		return this.closings.get(0);
	}

}
