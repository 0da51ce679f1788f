package org.btcfed.node.network.yamux;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import org.jspecify.annotations.Nullable;

/**
 * One stream's state: both windows, the data queued for window, and the FIN/RST state machine.
 * Everything but the constructor's fields is confined to the event loop; the public methods hop
 * there. The stream is gone ({@link #finish}) after FIN both ways, a reset either way, or the
 * session's end, and its handler hears {@code closed} exactly once.
 */
final class SessionStream implements YamuxStream {

	private final YamuxSession session;

	private final int id;

	private final boolean inbound;

	private @Nullable YamuxStreamHandler handler;

	/** SYN or ACK still to be carried by the stream's first frame. */
	private int firstFlags;

	private boolean acknowledged;

	private boolean finQueued;

	private boolean finSent;

	private boolean remoteFin;

	private boolean closed;

	/** What the remote still lets us send. */
	private long sendWindow = Frame.INITIAL_WINDOW;

	/** What we still let the remote send, and what it sent that was consumed but not credited. */
	private long receiveWindow = Frame.INITIAL_WINDOW;

	private long consumed;

	private final ArrayDeque<Pending> pending = new ArrayDeque<>();

	SessionStream(YamuxSession session, int id, boolean inbound, @Nullable YamuxStreamHandler handler) {
		this.session = session;
		this.id = id;
		this.inbound = inbound;
		this.handler = handler;
		this.firstFlags = inbound ? Frame.ACK : Frame.SYN;
		this.acknowledged = inbound;
	}

	@Override
	public int id() {
		return this.id;
	}

	@Override
	public boolean isInbound() {
		return this.inbound;
	}

	@Override
	public Channel channel() {
		return this.session.channel();
	}

	@Override
	public ChannelFuture write(ByteBuf data) {
		ChannelPromise promise = channel().newPromise();
		this.session.onLoop(() -> queue(data, promise),
				() -> failWrite(data, promise, new YamuxStreamException("the yamux session has ended")));
		return promise;
	}

	@Override
	public void closeWrite() {
		this.session.onLoop(this::queueFin);
	}

	@Override
	public void reset() {
		this.session.onLoop(() -> {
			if (!this.closed) {
				sendFlags(Frame.RST);
				finish(new YamuxStreamException("stream " + Integer.toUnsignedString(this.id) + " reset locally"));
			}
		});
	}

	void handler(YamuxStreamHandler handler) {
		this.handler = handler;
	}

	/** Sends the first frame (SYN or ACK) unless data already carried it. */
	void sendFirstFrame() {
		if (this.firstFlags != 0 && !this.closed) {
			sendFlags(0);
		}
	}

	/** A frame of the remote for this stream carried ACK. */
	void acknowledged() {
		if (!this.acknowledged) {
			this.acknowledged = true;
			this.session.streams().outboundAcknowledged();
		}
	}

	/** A Window Update: more credit, and perhaps FIN. */
	void credit(long delta, int flags) {
		this.sendWindow += delta;
		drain();
		if ((flags & Frame.FIN) != 0) {
			remoteFinished();
		}
	}

	/**
	 * Checks a Data header against the window we granted.
	 * @return whether the data is delivered (not after the remote's FIN)
	 */
	boolean accepts(long length) {
		if (length > this.receiveWindow) {
			throw new YamuxException(YamuxException.Kind.WINDOW_EXCEEDED, length + " bytes on stream "
					+ Integer.toUnsignedString(this.id) + " exceed the window of " + this.receiveWindow);
		}
		this.receiveWindow -= length;
		return !this.remoteFin && !this.closed;
	}

	/** A piece of Data (null for an empty frame), with the frame's flags after its last piece. */
	void received(@Nullable ByteBuf data, int flags) {
		if (data != null && !this.closed && this.handler != null) {
			int length = data.readableBytes();
			try {
				this.handler.data(this, data);
			}
			catch (RuntimeException ex) {
				failedHandler(ex);
				return;
			}
			this.consumed += length;
			if (this.consumed >= Frame.INITIAL_WINDOW / 2 && !this.closed && !this.remoteFin) {
				this.session.writeFrame(Frame.header(this.session.alloc(), Frame.TYPE_WINDOW_UPDATE, takeFirstFlags(),
						this.id, this.consumed));
				this.receiveWindow += this.consumed;
				this.consumed = 0;
			}
		}
		if ((flags & Frame.FIN) != 0) {
			remoteFinished();
		}
	}

	/** The remote reset the stream. */
	void remoteReset() {
		finish(new YamuxStreamException("stream " + Integer.toUnsignedString(this.id) + " reset by the remote"));
	}

	/** Ends the stream: fails what is queued and tells the handler. */
	void finish(@Nullable Throwable cause) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		Throwable failure = (cause != null) ? cause : new YamuxStreamException("stream closed");
		for (Pending write = this.pending.poll(); write != null; write = this.pending.poll()) {
			this.session.streams().pendingBytes(-write.data.readableBytes());
			failWrite(write.data, write.promise, failure);
		}
		this.session.streams().removed(this, !this.acknowledged);
		this.acknowledged = true;
		if (this.handler != null) {
			try {
				this.handler.closed(this, cause);
			}
			catch (RuntimeException ex) {
				this.session.fireExceptionCaught(ex);
			}
		}
	}

	private void queue(ByteBuf data, ChannelPromise promise) {
		if (this.closed || this.finQueued) {
			failWrite(data, promise, new YamuxStreamException("stream " + Integer.toUnsignedString(this.id)
					+ (this.closed ? " is closed" : " is closed for writing")));
			return;
		}
		this.pending.add(new Pending(data, promise));
		this.session.streams().pendingBytes(data.readableBytes());
		drain();
		if (!this.closed && this.session.streams().overPendingLimit()) {
			sendFlags(Frame.RST);
			finish(new YamuxStreamException("stream " + Integer.toUnsignedString(this.id)
					+ " reset: more bytes waiting for window than the session's limit"));
		}
	}

	private void drain() {
		while (!this.closed) {
			Pending head = this.pending.peek();
			if (head == null) {
				break;
			}
			if (head.data.isReadable()) {
				if (this.sendWindow <= 0) {
					return;
				}
				int length = (int) Math.min(Math.min(head.data.readableBytes(), this.sendWindow), Frame.MAX_DATA);
				ByteBuf frame = Frame.data(this.session.alloc(), takeFirstFlags(), this.id, head.data, length);
				this.sendWindow -= length;
				this.session.streams().pendingBytes(-length);
				if (head.data.isReadable()) {
					this.session.writeFrame(frame);
					continue;
				}
				this.session.writeFrame(frame, head.promise);
			}
			else {
				head.promise.trySuccess();
			}
			this.pending.poll();
			head.data.release();
		}
		if (this.finQueued && !this.finSent && this.pending.isEmpty() && !this.closed) {
			sendFin();
		}
	}

	private void queueFin() {
		if (!this.closed && !this.finQueued) {
			this.finQueued = true;
			drain();
		}
	}

	private void sendFin() {
		this.finSent = true;
		sendFlags(Frame.FIN);
		if (this.remoteFin) {
			finish(null);
		}
	}

	private void remoteFinished() {
		if (this.remoteFin || this.closed) {
			return;
		}
		this.remoteFin = true;
		if (this.handler != null) {
			try {
				this.handler.remoteClosed(this);
			}
			catch (RuntimeException ex) {
				failedHandler(ex);
				return;
			}
		}
		if (this.finSent) {
			finish(null);
		}
	}

	private void failedHandler(RuntimeException ex) {
		if (!this.closed) {
			sendFlags(Frame.RST);
			finish(ex);
		}
	}

	private void sendFlags(int flags) {
		if (this.session.streams().registered(this)) {
			this.session.writeFrame(
					Frame.header(this.session.alloc(), Frame.TYPE_WINDOW_UPDATE, takeFirstFlags() | flags, this.id, 0));
		}
	}

	private int takeFirstFlags() {
		int flags = this.firstFlags;
		this.firstFlags = 0;
		return flags;
	}

	private static void failWrite(ByteBuf data, ChannelPromise promise, Throwable cause) {
		data.release();
		promise.tryFailure(cause);
	}

	private record Pending(ByteBuf data, ChannelPromise promise) {
	}

}
