package org.btcfed.node.network;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.reload.TransientReloadException;

/**
 * The listening sockets, one per configured multiaddr. {@link #rebind} opens the new ones first
 * and closes those no longer wanted only once all opened: a failure leaves the old set as it was.
 * Accepted connections do not belong to their listener and outlive it. Thread-safe.
 */
final class Listeners {

	private static final Log logger = LogFactory.getLog(Listeners.class);

	private final ServerBootstrap bootstrap;

	private final Map<Multiaddr, Channel> open = new LinkedHashMap<>();

	Listeners(EventLoopGroup boss, EventLoopGroup workers, ChannelSetup inbound) {
		this.bootstrap = new ServerBootstrap().group(boss, workers)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(inbound);
	}

	/**
	 * Listens on exactly {@code wanted}.
	 * @throws TransientReloadException when an address is in use (it may be in TIME_WAIT)
	 */
	synchronized void rebind(List<Multiaddr> wanted) throws TransientReloadException {
		Map<Multiaddr, Channel> opened = new LinkedHashMap<>();
		try {
			for (Multiaddr address : wanted) {
				if (!this.open.containsKey(address)) {
					opened.put(address, this.bootstrap.bind(address.toSocketAddress()).sync().channel());
				}
			}
		}
		catch (Exception ex) {
			opened.values().forEach(Channel::close);
			if (ex instanceof BindException || ex.getCause() instanceof BindException) {
				throw new TransientReloadException("cannot listen on an address: " + ex.getMessage(), ex);
			}
			throw new IllegalStateException("cannot listen: " + ex.getMessage(), ex);
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
