package org.btcfed.node.network;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.Multiaddr;

/**
 * The listening sockets, one per configured multiaddr. {@link #rebind} opens the new ones first
 * and closes those no longer wanted only once all opened: a failure leaves the old set as it was.
 * Accepted connections do not belong to their listener and outlive it. Thread-safe.
 */
final class Listeners {

	private static final Log logger = LogFactory.getLog(Listeners.class);

	private final Transport transport;

	private final ServerBootstrap bootstrap;

	private final Map<Multiaddr, Channel> open = new LinkedHashMap<>();

	Listeners(Transport transport, EventLoopGroup boss, EventLoopGroup workers, ChannelHandler inbound) {
		this.transport = transport;
		this.bootstrap = new ServerBootstrap().group(boss, workers)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(inbound);
	}

	/**
	 * Listens on exactly {@code wanted}.
	 * @throws ListenException naming the first address that cannot be bound
	 */
	synchronized void rebind(List<Multiaddr> wanted) throws ListenException {
		Map<Multiaddr, Channel> opened = new LinkedHashMap<>();
		for (Multiaddr address : wanted) {
			if (!this.open.containsKey(address)) {
				try {
					InetSocketAddress socketAddress = address.toSocketAddress();
					opened.put(address,
							this.transport.forAddress(this.bootstrap, socketAddress).bind(socketAddress).sync().channel());
				}
				catch (Exception ex) {
					opened.values().forEach(Channel::close);
					throw new ListenException(address, ex);
				}
			}
		}
		this.open.putAll(opened);
		opened.keySet().forEach(address -> logger.info("Listening on " + address));
		for (Multiaddr address : new ArrayList<>(this.open.keySet())) {
			if (!wanted.contains(address)) {
				this.open.remove(address).close().syncUninterruptibly();
				logger.info("Stopped listening on " + address);
			}
		}
	}

	/** The addresses as bound: a configured port 0 shows the real port. */
	synchronized List<Multiaddr> addresses() {
		return this.open.values()
			.stream()
			.map(channel -> Multiaddr.of((InetSocketAddress) channel.localAddress()))
			.toList();
	}

	synchronized void closeAll() {
		this.open.values().forEach(Channel::close);
		this.open.clear();
	}

}
