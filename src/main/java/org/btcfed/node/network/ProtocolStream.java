package org.btcfed.node.network;

import java.util.List;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import org.btcfed.node.network.multistream.MultistreamSelect;
import org.btcfed.node.network.yamux.YamuxStream;
import org.btcfed.node.network.yamux.YamuxStreamHandler;
import org.jspecify.annotations.Nullable;

/**
 * A yamux stream that speaks one libp2p protocol. multistream-select runs on it first: the
 * opener proposes the protocol, the other side echoes it (or answers {@code na}, and the stream
 * ends). Writes made before the echo are held and go out after it, in order, so a protocol may
 * write at once. Every method is safe from any thread: the work runs on the connection's event
 * loop.
 */
public final class ProtocolStream {

	private final Connection connection;

	/** Set on the event loop before anything else runs there for this stream. */
	private @Nullable YamuxStream stream;

	private final boolean inbound;

	private final MultistreamSelect select;

	private final HeldWrites held = new HeldWrites();

	private @Nullable String protocol;

	private @Nullable ProtocolStreamHandler handler;

	private @Nullable ByteBuf cumulation;

	private boolean negotiated;

	private boolean closed;

	private ProtocolStream(Connection connection, @Nullable YamuxStream stream, MultistreamSelect select,
			@Nullable String protocol, @Nullable ProtocolStreamHandler handler) {
		this.connection = connection;
		this.stream = stream;
		this.inbound = stream != null;
		this.select = select;
		this.protocol = protocol;
		this.handler = handler;
	}

	/**
	 * Opens a stream for a protocol on a connection.
	 * @param connection the connection
	 * @param protocol the protocol id
	 * @param handler what to do with the stream
	 * @return the stream, usable at once
	 */
	static ProtocolStream open(Connection connection, String protocol, ProtocolStreamHandler handler) {
		ProtocolStream stream = new ProtocolStream(connection, null, MultistreamSelect.initiator(List.of(protocol)),
				protocol, handler);
		// The yamux stream is opened on the event loop, so that its events (the remote may answer
		// at once) find this stream complete, and every later call, queued behind, finds it open.
		stream.onLoop(() -> {
			stream.stream = connection.session().open(new Events(() -> stream));
			stream.start();
		});
		return stream;
	}

	/**
	 * The handler for a stream the remote opened: it answers the proposal and then asks the
	 * dispatcher for the protocol's handler.
	 */
	static YamuxStreamHandler accept(Connection connection, YamuxStream raw, ProtocolDispatcher dispatcher) {
		ProtocolStream stream = new ProtocolStream(connection, raw, MultistreamSelect.responder(dispatcher::supports),
				null, null);
		stream.dispatcher = dispatcher;
		stream.start();
		return new Events(() -> stream);
	}

	private @Nullable ProtocolDispatcher dispatcher;

	private void start() {
		raw().write(this.select.start(this.connection.channel().alloc()));
	}

	/** The yamux stream; only on the event loop, where it is set first. */
	private YamuxStream raw() {
		YamuxStream raw = this.stream;
		if (raw == null) {
			throw new IllegalStateException("stream not open yet");
		}
		return raw;
	}

	/**
	 * @return the protocol; for an inbound stream, known once the dispatcher is asked
	 */
	public String protocol() {
		return (this.protocol != null) ? this.protocol : "";
	}

	/**
	 * @return the connection the stream belongs to
	 */
	public Connection connection() {
		return this.connection;
	}

	/**
	 * @return the allocator for buffers to {@link #write}
	 */
	public ByteBufAllocator alloc() {
		return this.connection.channel().alloc();
	}

	/**
	 * @return whether the remote opened it
	 */
	public boolean isInbound() {
		return this.inbound;
	}

	/**
	 * Writes protocol bytes (held until the protocol is agreed on). Takes ownership of the buffer.
	 * @param data the bytes
	 * @return completes once written to the connection; fails when the stream ends first
	 */
	public ChannelFuture write(ByteBuf data) {
		ChannelPromise promise = this.connection.channel().newPromise();
		onLoop(() -> {
			if (this.closed) {
				ReferenceCountUtil.release(data);
				promise.tryFailure(new IllegalStateException("stream closed"));
			}
			else if (this.negotiated) {
				HeldWrites.cascade(raw().write(data), promise);
			}
			else {
				this.held.data(data, promise);
			}
		});
		return promise;
	}

	/** Closes this side (the remote may still write); after the held writes, if any. */
	public void closeWrite() {
		onLoop(() -> {
			if (this.negotiated) {
				raw().closeWrite();
			}
			else if (!this.closed) {
				this.held.closeWrite();
			}
		});
	}

	/** Aborts the stream both ways. */
	public void reset() {
		onLoop(() -> raw().reset());
	}

	private void onLoop(Runnable task) {
		if (this.connection.channel().eventLoop().inEventLoop()) {
			task.run();
		}
		else {
			this.connection.channel().eventLoop().execute(task);
		}
	}

	private void received(ByteBuf data) {
		if (this.negotiated) {
			deliver(data);
			return;
		}
		ByteBuf in = (this.cumulation == null) ? Unpooled.buffer(data.readableBytes()) : this.cumulation;
		this.cumulation = in.writeBytes(data);
		MultistreamSelect.Result result;
		try {
			result = this.select.feed(in, this.connection.channel().alloc());
		}
		catch (RuntimeException ex) {
			end(ex);
			raw().reset();
			return;
		}
		if (result.toSend().isReadable()) {
			raw().write(result.toSend());
		}
		else {
			result.toSend().release();
		}
		if (result.state() == MultistreamSelect.State.SELECTED && result.protocol() != null) {
			selected(result.protocol());
		}
	}

	private void selected(String chosen) {
		if (this.handler == null) {
			this.protocol = chosen;
			ProtocolDispatcher protocols = this.dispatcher;
			this.handler = (protocols != null) ? protocols.inbound(this.connection, this) : null;
			if (this.handler == null) {
				end(null);
				raw().reset();
				return;
			}
		}
		this.negotiated = true;
		this.held.flushTo(raw());
		if (!this.inbound) {
			this.handler.opened(this);
		}
		ByteBuf rest = this.cumulation;
		this.cumulation = null;
		if (rest != null) {
			try {
				if (rest.isReadable()) {
					deliver(rest);
				}
			}
			finally {
				rest.release();
			}
		}
	}

	private void deliver(ByteBuf data) {
		if (this.handler != null && !this.closed) {
			this.handler.data(this, data);
		}
	}

	private void end(@Nullable Throwable cause) {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (this.cumulation != null) {
			this.cumulation.release();
			this.cumulation = null;
		}
		this.held.fail((cause != null) ? cause : new IllegalStateException("stream closed"));
		if (this.handler != null) {
			this.handler.closed(this, cause);
		}
	}

	/** The yamux events, for the stream once it exists. */
	private record Events(Supplier<ProtocolStream> target) implements YamuxStreamHandler {

		@Override
		public void data(YamuxStream stream, ByteBuf data) {
			this.target.get().received(data);
		}

		@Override
		public void remoteClosed(YamuxStream stream) {
			ProtocolStream protocolStream = this.target.get();
			if (protocolStream.negotiated && protocolStream.handler != null) {
				protocolStream.handler.remoteClosed(protocolStream);
			}
		}

		@Override
		public void closed(YamuxStream stream, @Nullable Throwable cause) {
			this.target.get().end(cause);
		}

	}

	@Override
	public String toString() {
		YamuxStream raw = this.stream;
		return this.connection.id() + "/" + ((raw != null) ? raw.id() : "-") + " " + protocol();
	}

}
