package org.btcfed.node.network;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * An authenticated session: every frame must be a protocol message, which goes to the
 * dispatcher with its connection.
 */
final class SessionHandler extends SimpleChannelInboundHandler<ByteBuf> {

	private final Connection connection;

	private final ProtocolDispatcher dispatcher;

	SessionHandler(Connection connection, ProtocolDispatcher dispatcher) {
		this.connection = connection;
		this.dispatcher = dispatcher;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
		if (!ctx.channel().isActive()) {
			// Closed earlier in this read by a bad frame: the frames that came with it are dropped.
			return;
		}
		if (frame.readableBytes() < 2 || frame.readByte() != Wire.PROTOCOL) {
			throw new CorruptedFrameException("expected a protocol message");
		}
		int idLength = frame.readUnsignedByte();
		if (idLength == 0 || frame.readableBytes() < idLength) {
			throw new CorruptedFrameException("bad protocol id length " + idLength);
		}
		String protocol = frame.readCharSequence(idLength, StandardCharsets.US_ASCII).toString();
		byte[] payload = new byte[frame.readableBytes()];
		frame.readBytes(payload);
		this.dispatcher.message(this.connection, protocol, payload);
	}

}
