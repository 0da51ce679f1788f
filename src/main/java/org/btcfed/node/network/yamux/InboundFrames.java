package org.btcfed.node.network.yamux;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * What the frames of the remote do to the session: checks stream ids (never 0 for Data and Window
 * Update; a SYN only with the remote's parity and above every earlier one), accepts or refuses
 * inbound streams, routes ACK, RST, credit and data to the streams, answers pings and takes note
 * of GO_AWAY. Frames for unknown streams without SYN are ignored, their data drained, as go does.
 * A ping ACK that answers no ping of ours is a protocol error, as in js. Confined to the event
 * loop.
 */
final class InboundFrames implements FrameReader.Listener {

	private final YamuxSession session;

	private final boolean client;

	private final Function<YamuxStream, @Nullable YamuxStreamHandler> acceptor;

	private long lastInboundId;

	InboundFrames(YamuxSession session, boolean client, Function<YamuxStream, @Nullable YamuxStreamHandler> acceptor) {
		this.session = session;
		this.client = client;
		this.acceptor = acceptor;
	}

	@Override
	public boolean ended() {
		return this.session.ended();
	}

	@Override
	public @Nullable SessionStream dataHeader(int flags, int streamId, long length) {
		SessionStream stream = streamFor(flags, streamId);
		return (stream != null && stream.accepts(length)) ? stream : null;
	}

	@Override
	public void control(int type, int flags, int streamId, long value) {
		if (type == Frame.TYPE_WINDOW_UPDATE) {
			SessionStream stream = streamFor(flags, streamId);
			if (stream != null) {
				stream.credit(value, flags);
			}
		}
		else if (type == Frame.TYPE_PING) {
			if ((flags & Frame.SYN) != 0) {
				this.session.writeFrame(Frame.header(this.session.alloc(), Frame.TYPE_PING, Frame.ACK, 0, value));
			}
			else if ((flags & Frame.ACK) == 0 || !this.session.pingAcknowledged((int) value)) {
				throw new YamuxException(YamuxException.Kind.PROTOCOL_ERROR,
						"ping with flags " + flags + " and opaque " + value + " answers no ping of ours");
			}
		}
		else {
			this.session.remoteGoAway((int) value);
		}
	}

	private @Nullable SessionStream streamFor(int flags, int streamId) {
		if (streamId == 0) {
			throw new YamuxException(YamuxException.Kind.BAD_STREAM_ID, "Data or Window Update on stream 0");
		}
		SessionStream stream = ((flags & Frame.SYN) != 0) ? incoming(streamId) : this.session.streams().get(streamId);
		if (stream == null) {
			return null;
		}
		if ((flags & Frame.ACK) != 0) {
			stream.acknowledged();
		}
		if ((flags & Frame.RST) != 0) {
			stream.remoteReset();
			return null;
		}
		return stream;
	}

	private @Nullable SessionStream incoming(int streamId) {
		String id = Integer.toUnsignedString(streamId);
		if (((streamId & 1) == 1) == this.client) {
			throw new YamuxException(YamuxException.Kind.BAD_STREAM_ID,
					"SYN for stream " + id + ", an id of ours: both endpoints are " + (this.client ? "clients" : "servers"));
		}
		if (Integer.toUnsignedLong(streamId) <= this.lastInboundId) {
			throw new YamuxException(YamuxException.Kind.BAD_STREAM_ID, "SYN for stream " + id
					+ ", not above the last one opened, " + this.lastInboundId);
		}
		this.lastInboundId = Integer.toUnsignedLong(streamId);
		if (!this.session.acceptsInbound()) {
			this.session.writeFrame(Frame.header(this.session.alloc(), Frame.TYPE_WINDOW_UPDATE, Frame.RST, streamId, 0));
			return null;
		}
		SessionStream stream = new SessionStream(this.session, streamId, true, null);
		this.session.streams().register(stream);
		YamuxStreamHandler handler;
		try {
			handler = this.acceptor.apply(stream);
		}
		catch (RuntimeException ex) {
			refuse(stream);
			this.session.fireExceptionCaught(ex);
			return null;
		}
		if (handler == null) {
			refuse(stream);
			return null;
		}
		stream.handler(handler);
		stream.sendFirstFrame();
		return stream;
	}

	private void refuse(SessionStream stream) {
		this.session.writeFrame(Frame.header(this.session.alloc(), Frame.TYPE_WINDOW_UPDATE, Frame.RST, stream.id(), 0));
		stream.finish(new YamuxStreamException("stream " + Integer.toUnsignedString(stream.id()) + " refused"));
	}

}
