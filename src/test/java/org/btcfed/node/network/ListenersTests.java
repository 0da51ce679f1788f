package org.btcfed.node.network;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import org.btcfed.node.FreePorts;
import org.btcfed.node.config.Multiaddr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listening sockets on the machine's real stack: btc-federation's default pair of wildcard
 * addresses on one port, clients connecting over IPv4 and IPv6 loopback only.
 */
class ListenersTests {

	private final Transport transport = Transport.best();

	private final EventLoopGroup group = this.transport.newGroup(1);

	private final List<InetSocketAddress> accepted = new CopyOnWriteArrayList<>();

	private final Listeners listeners = new Listeners(this.transport, this.group, this.group,
			new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel channel) {
					ListenersTests.this.accepted.add((InetSocketAddress) channel.remoteAddress());
				}
			});

	@AfterEach
	void tearDown() {
		this.listeners.closeAll();
		this.group.shutdownGracefully().syncUninterruptibly();
	}

	@Test
	void theLinuxTransportShouldBeTheNativeOneSoThatIpv6ListenersCanBeIpv6Only() {
		assertThat(System.getProperty("os.name")).startsWith("Linux");
		assertThat(this.transport).isEqualTo(Transport.EPOLL);
		assertThat(this.transport.ipv6Only()).isTrue();
	}

	@Test
	void ipv4AndIpv6WildcardsOnTheSamePortShouldBothListenAndAcceptLoopbackClientsOfTheirFamily() throws Exception {
		int port = FreePorts.pick();
		this.listeners.rebind(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/" + port), Multiaddr.parse("/ip6/::/tcp/" + port)));
		assertThat(this.listeners.addresses()).hasSize(2);
		try (Socket v4 = new Socket(InetAddress.getByName("127.0.0.1"), port);
				Socket v6 = new Socket(InetAddress.getByName("::1"), port)) {
			await().until(() -> this.accepted.size() == 2);
		}
		assertThat(this.accepted).extracting(address -> address.getAddress().getHostAddress())
			.containsExactlyInAnyOrder("127.0.0.1", "0:0:0:0:0:0:0:1");
	}

	@Test
	void anIpv6WildcardListenerShouldLeaveTheIpv4PortToOthers() throws Exception {
		int port = FreePorts.pick();
		this.listeners.rebind(List.of(Multiaddr.parse("/ip6/::/tcp/" + port)));
		try (ServerSocket ipv4 = new ServerSocket()) {
			ipv4.bind(new InetSocketAddress("127.0.0.1", port));
			assertThat(ipv4.isBound()).isTrue();
		}
	}

}
