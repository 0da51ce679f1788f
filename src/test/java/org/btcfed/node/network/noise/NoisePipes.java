package org.btcfed.node.network.noise;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Test plumbing: two {@link EmbeddedChannel}s whose outbound bytes are pumped into each other,
 * whole or one byte at a time, and a handler that records user events.
 */
final class NoisePipes {

	private NoisePipes() {
	}

	/**
	 * Moves bytes both ways until neither side has anything left to send.
	 * @param oneByteAtATime whether each byte arrives in its own read
	 */
	static void pump(EmbeddedChannel a, EmbeddedChannel b, boolean oneByteAtATime) {
		boolean moved = true;
		while (moved) {
			moved = move(a, b, oneByteAtATime) | move(b, a, oneByteAtATime);
		}
	}

	private static boolean move(EmbeddedChannel from, EmbeddedChannel to, boolean oneByteAtATime) {
		boolean moved = false;
		for (ByteBuf buf = from.readOutbound(); buf != null; buf = from.readOutbound()) {
			moved = true;
			if (oneByteAtATime) {
				while (buf.isReadable()) {
					to.writeInbound(buf.readRetainedSlice(1));
				}
				buf.release();
			}
			else {
				to.writeInbound(buf);
			}
		}
		return moved;
	}

	/**
	 * @return the bytes of the next outbound buffer, released
	 */
	static byte[] nextOutbound(EmbeddedChannel channel) {
		ByteBuf buf = channel.readOutbound();
		try {
			return ByteBufUtil.getBytes(buf);
		}
		finally {
			buf.release();
		}
	}

	/**
	 * @return all inbound buffers' bytes, concatenated, each buffer released
	 */
	static byte[] allInbound(EmbeddedChannel channel) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (ByteBuf buf = channel.readInbound(); buf != null; buf = channel.readInbound()) {
			out.writeBytes(ByteBufUtil.getBytes(buf));
			buf.release();
		}
		return out.toByteArray();
	}

	/**
	 * Records the user events that reach it.
	 */
	static final class Events extends ChannelInboundHandlerAdapter {

		final List<Object> events = new ArrayList<>();

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
			this.events.add(evt);
		}

	}

}
