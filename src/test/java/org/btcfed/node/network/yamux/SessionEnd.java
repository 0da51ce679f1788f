package org.btcfed.node.network.yamux;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The handler after a session in tests: keeps the exceptions and user events that reach it, in
 * place of the node's exception handler.
 */
class SessionEnd extends ChannelInboundHandlerAdapter {

	final List<Throwable> exceptions = new ArrayList<>();

	final List<Object> events = new ArrayList<>();

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		this.exceptions.add(cause);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		this.events.add(event);
	}

}
