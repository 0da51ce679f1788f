package org.btcfed.node.network;

import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Locale;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.IntegerUnixChannelOption;
import org.btcfed.node.config.ResourceValidator;

/**
 * The socket implementation: Linux's native epoll transport when it loads, the JDK's NIO
 * otherwise. Only the native one can make an IPv6 listener IPv6-only ({@code IPV6_V6ONLY}), which
 * lets {@code /ip4/0.0.0.0/tcp/9000} and {@code /ip6/::/tcp/9000} listen side by side as
 * go-libp2p does; the JDK always opens IPv6 sockets dual-stack.
 */
enum Transport {

	/** Linux's epoll. */
	EPOLL,

	/** The JDK's selector-based sockets. */
	NIO;

	/** {@code IPPROTO_IPV6} and {@code IPV6_V6ONLY} of Linux's {@code <netinet/in.h>}. */
	private static final IntegerUnixChannelOption IPV6_ONLY = new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

	/** Linux's errno values that a failed bind reports, negated as Netty's native code does. */
	private static final int EACCES = -13;

	private static final int EADDRINUSE = -98;

	private static final int EADDRNOTAVAIL = -99;

	/**
	 * @return the native transport where it is available, else NIO
	 */
	static Transport best() {
		return Epoll.isAvailable() ? EPOLL : NIO;
	}

	/**
	 * @return whether an IPv6 listener here accepts IPv6 only, not IPv4 too
	 */
	boolean ipv6Only() {
		return this == EPOLL;
	}

	/**
	 * @param threads event loop threads, 0 for Netty's default (twice the cores)
	 * @return a new event loop group of this transport
	 */
	EventLoopGroup newGroup(int threads) {
		IoHandlerFactory factory = (this == EPOLL) ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		return new MultiThreadIoEventLoopGroup(threads, factory);
	}

	Class<? extends SocketChannel> socketChannel() {
		return (this == EPOLL) ? EpollSocketChannel.class : NioSocketChannel.class;
	}

	/**
	 * The bootstrap to listen on {@code address}. With the native transport the socket is of the
	 * address's own family, and an IPv6 one is IPv6-only: an IPv4 wildcard and an IPv6 wildcard
	 * on one port then do not collide (the default socket would be a dual-stack IPv6 one).
	 * @param template the configured bootstrap, without a channel type
	 * @param address the address to listen on
	 * @return the bootstrap to bind with
	 */
	ServerBootstrap forAddress(ServerBootstrap template, InetSocketAddress address) {
		ServerBootstrap bootstrap = template.clone();
		if (this == NIO) {
			return bootstrap.channel(NioServerSocketChannel.class);
		}
		boolean ipv6 = address.getAddress() instanceof Inet6Address;
		SocketProtocolFamily family = ipv6 ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
		bootstrap.channelFactory((ChannelFactory<ServerChannel>) () -> new EpollServerSocketChannel(family));
		return ipv6 ? bootstrap.option(IPV6_ONLY, 1) : bootstrap;
	}

	/**
	 * @param failure why a bind failed, from either transport
	 * @return whether the address is in use, which may pass (a port in TIME_WAIT, a process
	 * ending)
	 */
	static boolean isAddressInUse(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException && !(cause.getMessage() != null
					&& cause.getMessage().toLowerCase(Locale.ROOT).contains("assign"))) {
				return true;
			}
			if (cause instanceof Errors.NativeIoException error && error.expectedErr() == EADDRINUSE) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @param failure why a bind failed, from either transport
	 * @return the reason in an operator's words
	 */
	static String describeBindFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof Errors.NativeIoException error) {
				return ResourceValidator.bindFailure(switch (error.expectedErr()) {
					case EADDRINUSE -> "Address already in use";
					case EADDRNOTAVAIL -> "Cannot assign requested address";
					case EACCES -> "Permission denied";
					default -> String.valueOf(error.getMessage());
				});
			}
			if (cause instanceof BindException || cause instanceof SocketException) {
				return ResourceValidator.bindFailure(cause.getMessage());
			}
		}
		return ResourceValidator.bindFailure(failure.getMessage());
	}

}
