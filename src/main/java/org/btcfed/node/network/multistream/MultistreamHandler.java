package org.btcfed.node.network.multistream;

import java.util.List;
import java.util.function.BiConsumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Runs one {@link MultistreamSelect} negotiation in a channel pipeline: writes the first bytes
 * when the channel is active (or at once, when added to an active channel), feeds what is read
 * and writes the answers. When a protocol is selected it calls back, so that the next handlers
 * can be added right after this one, and then removes itself: bytes that came after the
 * negotiation are passed on to those handlers as the first read ({@link ByteToMessageDecoder}
 * forwards what it holds when it is removed).
 * <p>
 * A failure is passed on as {@link MultistreamException} through
 * {@link ChannelHandlerContext#fireExceptionCaught}; from then on this handler discards what it
 * reads. Closing the channel (or resetting the stream) is left to the handler that deals with
 * exceptions. Not sharable: one instance per negotiation.
 */
public final class MultistreamHandler extends ByteToMessageDecoder {

	private final MultistreamSelect negotiation;

	private final BiConsumer<ChannelHandlerContext, String> selected;

	private boolean started;

	private boolean failed;

	/**
	 * Creates a handler.
	 * @param negotiation the negotiation to run, not started yet
	 * @param selected called on the event loop with this handler's context and the agreed
	 * protocol, before this handler leaves the pipeline; typically adds the protocol's handlers
	 * after {@code ctx.name()}
	 */
	public MultistreamHandler(MultistreamSelect negotiation, BiConsumer<ChannelHandlerContext, String> selected) {
		this.negotiation = negotiation;
		this.selected = selected;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
		super.handlerAdded(ctx);
		if (ctx.channel().isActive()) {
			start(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		start(ctx);
		super.channelActive(ctx);
	}

	private void start(ChannelHandlerContext ctx) {
		if (!this.started) {
			this.started = true;
			ctx.writeAndFlush(this.negotiation.start(ctx.alloc()));
		}
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.failed) {
			in.skipBytes(in.readableBytes());
			return;
		}
		// Bytes can only arrive on an active channel, but channelActive may not have reached us.
		start(ctx);
		MultistreamSelect.Result result;
		try {
			result = this.negotiation.feed(in, ctx.alloc());
		}
		catch (MultistreamException ex) {
			this.failed = true;
			in.skipBytes(in.readableBytes());
			ctx.fireExceptionCaught(ex);
			return;
		}
		if (result.toSend().isReadable()) {
			ctx.writeAndFlush(result.toSend());
		}
		else {
			result.toSend().release();
		}
		String protocol = result.protocol();
		if (result.state() == MultistreamSelect.State.SELECTED && protocol != null) {
			this.selected.accept(ctx, protocol);
			// Removal is deferred until decode returns; what is left in `in` then goes to the next handler.
			ctx.pipeline().remove(this);
		}
	}

}
