package org.btcfed.node.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Multiaddr}.
 */
class MultiaddrTests {

	@ParameterizedTest
	@ValueSource(strings = { "/ip4/127.0.0.1/tcp/9000", "/ip4/0.0.0.0/tcp/0", "/ip4/255.255.255.255/tcp/65535",
			"/ip6/::1/tcp/9000", "/ip6/::/tcp/9000", "/ip6/fe80::1:2/tcp/1", "/ip6/2001:db8::ff00:42:8329/tcp/9000",
			"/ip6/::ffff:10.0.0.1/tcp/9000", "/dns4/node-a.example/tcp/9000", "/dns6/localhost/tcp/9000",
			"/dns4/example.com./tcp/9000", "/ip4/10.0.0.2/tcp/9000/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq",
			"/dns6/node-b.example/tcp/1/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN" })
	void parseWhenValidShouldRoundTripThroughToString(String text) {
		assertThat(Multiaddr.parse(text).toString()).isEqualTo(text);
	}

	@Test
	void parseShouldSplitIntoParts() {
		assertThat(Multiaddr.parse("/dns4/node-a.example/tcp/9001"))
			.isEqualTo(new Multiaddr("dns4", "node-a.example", 9001));
	}

	@Test
	void parseWhenProtocolUpperCaseShouldNormalize() {
		assertThat(Multiaddr.parse("/IP4/10.0.0.1/tcp/80")).hasToString("/ip4/10.0.0.1/tcp/80");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			""                         | must be a multiaddr like /ip4/127.0.0.1/tcp/9000
			ip4/1.2.3.4/tcp/9000       | must be a multiaddr like
			/ip4/1.2.3.4/tcp/9000/     | must be a multiaddr like
			/ip4/1.2.3.4/tcp           | must be a multiaddr like
			/ip4/1.2.3.4/udp/9000      | only tcp transports are supported (/ip4/<host>/tcp/<port>)
			/ip4/1.2.3.4/TCP/9000      | only tcp transports are supported
			/quic/1.2.3.4/tcp/9000     | protocol must be one of ip4, ip6, dns4, dns6, was 'quic'
			/ip4/1.2.3/tcp/9000        | '1.2.3' is not an IPv4 address
			/ip4/01.2.3.4/tcp/9000     | '01.2.3.4' is not an IPv4 address
			/ip4/::1/tcp/9000          | '::1' is not an IPv4 address
			/ip6/127.0.0.1/tcp/9000    | '127.0.0.1' is not an IPv6 address
			/ip6/1::2::3/tcp/9000      | '1::2::3' is not an IPv6 address
			/ip6/12345::/tcp/9000      | '12345::' is not an IPv6 address
			/ip6/.:1/tcp/9000          | '.:1' is not an IPv6 address
			/ip6/fe80::1%eth0/tcp/9000 | 'fe80::1%eth0' is not an IPv6 address
			/dns4/a_b.example/tcp/9000 | 'a_b.example' is not a host name
			/dns6//tcp/9000            | '' is not a host name
			/ip4/1.2.3.4/tcp/abc       | port must be a number, was 'abc'
			/ip4/1.2.3.4/tcp/          | port must be a number, was ''
			/ip4/1.2.3.4/tcp/65536     | port must be between 0 and 65535, was 65536
			/ip4/1.2.3.4/tcp/-1        | port must be between 0 and 65535, was -1
			/ip4/1.2.3.4/tcp/1/p2p     | must be a multiaddr like
			/ip4/1.2.3.4/tcp/1/p2p/    | /p2p/: '' is not a multihash libp2p uses for peer ids
			/ip4/1.2.3.4/tcp/1/p2p/12D3KooW0 | /p2p/: '12D3KooW0' is not base58btc
			/ip4/1.2.3.4/tcp/1/ws/x    | only /p2p/<peer id> may follow the port, was '/ws'
			""")
	void parseWhenInvalidShouldSayWhatIsWrong(String text, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> Multiaddr.parse(text))
			.withMessageContaining(message)
			.withMessageContaining("'" + text + "'");
	}

	@Test
	void parseWhenPeerIdGivenShouldKeepItApartFromWhereToDial() {
		Multiaddr address = Multiaddr.parse("/ip4/10.0.0.2/tcp/9000/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
		assertThat(address.peerId()).isEqualTo(PeerId.parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"));
		assertThat(address.withoutPeerId()).isEqualTo(new Multiaddr("ip4", "10.0.0.2", 9000))
			.isEqualTo(Multiaddr.parse("/ip4/10.0.0.2/tcp/9000"));
		assertThat(address).isNotEqualTo(address.withoutPeerId());
		Multiaddr plain = Multiaddr.parse("/ip4/10.0.0.2/tcp/9000");
		assertThat(plain.peerId()).isNull();
		assertThat(plain.withoutPeerId()).isSameAs(plain);
	}

	@Test
	void toSocketAddressWhenIpLiteralShouldNotNeedDns() throws UnknownHostException {
		InetSocketAddress address = Multiaddr.parse("/ip6/::1/tcp/9000").toSocketAddress();
		assertThat(address.getAddress()).isEqualTo(InetAddress.getByName("::1"));
		assertThat(address.getPort()).isEqualTo(9000);
	}

	@Test
	void ofWhenIpv4SocketAddressShouldFormatIp4() throws UnknownHostException {
		InetSocketAddress socket = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 4000);
		assertThat(Multiaddr.of(socket)).hasToString("/ip4/10.1.2.3/tcp/4000");
	}

	@Test
	void ofWhenIpv6SocketAddressShouldFormatIp6AndParseBack() throws UnknownHostException {
		InetSocketAddress socket = new InetSocketAddress(InetAddress.getByName("::1"), 4000);
		Multiaddr address = Multiaddr.of(socket);
		assertThat(address.protocol()).isEqualTo("ip6");
		assertThat(Multiaddr.parse(address.toString())).isEqualTo(address);
	}

}
