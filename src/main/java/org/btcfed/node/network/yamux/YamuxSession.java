package org.btcfed.node.network.yamux;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.jspecify.annotations.Nullable;

/**
 * A yamux 1.0.0 session: the Netty handler after the Noise handler that multiplexes
 * {@link YamuxStream}s over the connection's plaintext. It reads frames however the input is
 * chunked (also bytes forwarded right after it is added to an active channel), answers pings,
 * enforces stream ids, windows and the {@link YamuxConfig} limits, and credits the remote as
 * handlers consume. Frames are written with {@code ctx.write} and flushed once per event-loop
 * turn, by a task that runs after the current read or call.
 * <p>
 * A protocol error of the remote sends {@code GO_AWAY 1}, closes every stream and fires a
 * {@link YamuxException} with its {@link YamuxException.Kind}; the connection is then the
 * caller's to close. A {@code GO_AWAY} from the remote is fired as a {@link YamuxGoAway} user
 * event. The public methods are safe from any thread.
 */
public final class YamuxSession extends ChannelDuplexHandler {

	private final FrameReader reader;

	private final StreamTable streams;

	private final Pings pings = new Pings();

	private volatile @Nullable ChannelHandlerContext ctx;

	private boolean localGoAway;

	private boolean remoteGoAway;

	private boolean flushScheduled;

	private @Nullable Throwable endCause;

	/**
	 * Creates a session.
	 * @param client whether this side dialed the connection (odd stream ids) or accepted it (even)
	 * @param config the limits
	 * @param acceptor called on the event loop for every inbound stream: the handler for it, or
	 * {@code null} to refuse it (RST); an accepted stream is acknowledged at once. An exception
	 * refuses the stream and is fired through the pipeline
	 */
	public YamuxSession(boolean client, YamuxConfig config, Function<YamuxStream, @Nullable YamuxStreamHandler> acceptor) {
		this.reader = new FrameReader(new InboundFrames(this, client, acceptor));
		this.streams = new StreamTable(config, client);
	}

	/**
	 * The session in a channel's pipeline.
	 * @param channel the connection
	 * @return its session, or {@code null} when there is none
	 */
	public static @Nullable YamuxSession of(Channel channel) {
		return channel.pipeline().get(YamuxSession.class);
	}

	/**
	 * Opens a stream: {@code WINDOW_UPDATE SYN} with delta 0 goes out, and data may follow before
	 * the remote's ACK. When the session has ended, either side sent {@code GO_AWAY}, or
	 * {@code maxStreams} or {@code maxUnacknowledgedOutbound} is reached, the stream is closed at
	 * once: its handler hears {@code closed} with a {@link YamuxStreamException} and writes fail.
	 * @param handler what receives the stream's data and its end
	 * @return the stream
	 * @throws IllegalStateException when the session is in no pipeline yet
	 */
	public YamuxStream open(YamuxStreamHandler handler) {
		context();
		SessionStream stream = this.streams.newOutbound(this, handler);
		onLoop(() -> {
		});
		return stream;
	}

	/**
	 * Pings the remote (SYN with an opaque value, answered by ACK with the same value).
	 * @return the round-trip time; fails when the session ends first. No timeout of its own
	 */
	public Future<Duration> ping() {
		Promise<Duration> promise = context().executor().newPromise();
		onLoop(() -> {
			if (this.endCause != null) {
				promise.tryFailure(new YamuxStreamException("the yamux session has ended", this.endCause));
				return;
			}
			writeFrame(Frame.header(alloc(), Frame.TYPE_PING, Frame.SYN, 0, Integer.toUnsignedLong(this.pings.start(promise))));
		}, () -> promise.tryFailure(new YamuxStreamException("the yamux session has ended")));
		return promise;
	}

	/**
	 * Sends {@code GO_AWAY} with the code and flushes it; no streams are opened or accepted from
	 * then on, the open ones continue. Closing the connection afterwards is the caller's.
	 * @param code 0 normal, 1 protocol error, 2 internal error
	 * @return the write of the frame
	 */
	public ChannelFuture goAway(int code) {
		ChannelHandlerContext context = context();
		ChannelPromise promise = context.newPromise();
		onLoop(() -> {
			this.localGoAway = true;
			context.writeAndFlush(Frame.header(alloc(), Frame.TYPE_GO_AWAY, 0, 0, Integer.toUnsignedLong(code)), promise);
		}, () -> promise.tryFailure(new YamuxStreamException("the yamux session has ended")));
		return promise;
	}

	/**
	 * The streams open now, both directions.
	 * @return the number of open streams
	 */
	public int streamCount() {
		return this.streams.count();
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		end(new YamuxStreamException("the yamux session was removed from the pipeline"));
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf in)) {
			ctx.fireChannelRead(msg);
			return;
		}
		try {
			if (this.endCause == null) {
				this.reader.read(in);
			}
		}
		catch (YamuxException ex) {
			if (this.endCause == null) {
				ctx.writeAndFlush(Frame.header(alloc(), Frame.TYPE_GO_AWAY, 0, 0, Frame.GO_AWAY_PROTOCOL_ERROR));
				end(ex);
				ctx.fireExceptionCaught(ex);
			}
		}
		finally {
			in.release();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		end(new YamuxStreamException("the connection closed"));
		ctx.fireChannelInactive();
	}

	/** Sends the SYNs of the streams opened since, or closes them when they may not open. */
	private void openQueued() {
		this.streams.openQueued((this.endCause != null) ? "the yamux session has ended"
				: this.remoteGoAway ? "the remote sent GO_AWAY" : this.localGoAway ? "this side sent GO_AWAY" : null,
				this.endCause);
	}

	private void end(YamuxStreamException cause) {
		end((Throwable) cause);
	}

	private void end(Throwable cause) {
		if (this.endCause != null) {
			return;
		}
		this.endCause = cause;
		YamuxStreamException streamCause = (cause instanceof YamuxStreamException closed) ? closed
				: new YamuxStreamException("the yamux session ended: " + cause.getMessage(), cause);
		for (SessionStream stream : this.streams.all()) {
			stream.finish(streamCause);
		}
		openQueued();
		this.pings.failAll(streamCause);
	}

	// What the streams and the inbound frames use, on the event loop.

	boolean ended() {
		return this.endCause != null;
	}

	StreamTable streams() {
		return this.streams;
	}

	/** Whether an inbound SYN may open a stream now (no GO_AWAY of ours, under the limits). */
	boolean acceptsInbound() {
		return !this.localGoAway && this.streams.acceptsInbound();
	}

	boolean pingAcknowledged(int opaque) {
		return this.pings.acknowledged(opaque);
	}

	void remoteGoAway(int code) {
		this.remoteGoAway = true;
		context().fireUserEventTriggered(new YamuxGoAway(code));
	}

	void fireExceptionCaught(Throwable cause) {
		context().fireExceptionCaught(cause);
	}

	Channel channel() {
		return context().channel();
	}

	ByteBufAllocator alloc() {
		return context().alloc();
	}

	void onLoop(Runnable task) {
		onLoop(task, () -> {
		});
	}

	void onLoop(Runnable task, Runnable rejected) {
		ChannelHandlerContext context = context();
		Runnable run = () -> {
			openQueued();
			task.run();
		};
		if (context.executor().inEventLoop()) {
			run.run();
			return;
		}
		try {
			context.executor().execute(run);
		}
		catch (RejectedExecutionException ex) {
			rejected.run();
		}
	}

	void writeFrame(ByteBuf frame) {
		context().write(frame);
		flushLater();
	}

	void writeFrame(ByteBuf frame, ChannelPromise promise) {
		context().write(frame, promise);
		flushLater();
	}

	private void flushLater() {
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			context().executor().execute(this::flush);
		}
	}

	private void flush() {
		this.flushScheduled = false;
		context().flush();
	}

	private ChannelHandlerContext context() {
		ChannelHandlerContext context = this.ctx;
		if (context == null) {
			throw new IllegalStateException("the yamux session is in no pipeline yet");
		}
		return context;
	}

}
