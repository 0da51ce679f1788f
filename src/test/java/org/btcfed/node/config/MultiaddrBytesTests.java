package org.btcfed.node.config;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The binary multiaddr form ({@link Multiaddr#toBytes()}, {@link Multiaddr#fromBytes(byte[])}),
 * as identify carries it, against bytes written out from the multicodec table.
 */
class MultiaddrBytesTests {

	private static final HexFormat HEX = HexFormat.of();

	private static final String SPEC_PEER_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

	private static final String SPEC_MULTIHASH = "002408011220" + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/ip4/127.0.0.1/tcp/9000                | 047f000001062328
			/ip4/0.0.0.0/tcp/0                     | 04000000000600 00
			/ip6/::1/tcp/4001                      | 290000000000000000000000000000000106 0fa1
			/dns4/node-a.example/tcp/9000          | 360e6e6f64652d612e6578616d706c65062328
			/dns6/localhost/tcp/65535              | 37096c6f63616c686f737406ffff
			""")
	void toBytesShouldWriteEachComponentAsCodeAndValue(String text, String hex) {
		Multiaddr address = Multiaddr.parse(text);
		byte[] bytes = HEX.parseHex(hex.replace(" ", ""));
		assertThat(address.toBytes()).isEqualTo(bytes);
		assertThat(Multiaddr.fromBytes(bytes).toBytes()).isEqualTo(bytes);
	}

	@Test
	void toBytesWithPeerIdShouldAppendP2pAndItsMultihash() {
		Multiaddr address = Multiaddr.parse("/ip4/1.2.3.4/tcp/9000/p2p/" + SPEC_PEER_ID);
		String hex = "0401020304062328" + "a503" + "26" + SPEC_MULTIHASH;
		assertThat(HEX.formatHex(address.toBytes())).isEqualTo(hex);
		assertThat(Multiaddr.fromBytes(HEX.parseHex(hex))).isEqualTo(address);
	}

	@Test
	void fromBytesShouldGiveTheSameAddressAsTheTextForm() {
		assertThat(Multiaddr.fromBytes(HEX.parseHex("047f000001062328"))).isEqualTo(Multiaddr.parse("/ip4/127.0.0.1/tcp/9000"));
		Multiaddr ip6 = Multiaddr.fromBytes(HEX.parseHex("2920010db8000000000000ff00004283290623 28".replace(" ", "")));
		assertThat(ip6.protocol()).isEqualTo("ip6");
		assertThat(ip6.toBytes()).isEqualTo(Multiaddr.parse("/ip6/2001:db8::ff00:42:8329/tcp/9000").toBytes());
	}

	@Test
	void ip6MappedIpv4ShouldStayIp6WithSixteenBytes() {
		Multiaddr mapped = Multiaddr.parse("/ip6/::ffff:10.0.0.1/tcp/9000");
		byte[] bytes = mapped.toBytes();
		assertThat(HEX.formatHex(bytes)).isEqualTo("2900000000000000000000ffff0a000001062328");
		Multiaddr back = Multiaddr.fromBytes(bytes);
		assertThat(back.protocol()).isEqualTo("ip6");
		assertThat(back.toBytes()).isEqualTo(bytes);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			''                                       | it ends inside a varint
			04010203                                 | 4 bytes expected, 3 left
			04010203040401020304                     | component code 0x4 where tcp was expected
			0401020304910203a1                       | component code 0x111 where tcp was expected
			0401020304062328a6                       | it ends inside a varint
			040102030406232806 2328                  | component code 0x6 where p2p or the end was expected
			350b6578616d706c652e636f6d062328         | component code 0x35 where an address
			8000                                     | varint not minimally encoded
			ffffffff7f                               | varint too long
			0401020304062328a503050012               | 5 bytes expected, 2 left
			0401020304062328a503021220               | is not a multihash: it says 32 digest bytes, has 0
			3603612f62062328                         | must be a multiaddr like
			""")
	void fromBytesWhenMalformedOrUnsupportedShouldSayWhat(String hex, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex(hex.replace(" ", ""))))
			.withMessageContaining(message);
	}

	@Test
	void fromBytesWhenBytesFollowThePeerIdShouldReject() {
		String hex = "0401020304062328" + "a503" + "26" + SPEC_MULTIHASH + "00";
		assertThatIllegalArgumentException().isThrownBy(() -> Multiaddr.fromBytes(HEX.parseHex(hex)))
			.withMessage("malformed multiaddr: 1 bytes after /p2p");
	}

	@Test
	void toBytesWhenRecordBuiltWithAHostNameForAnIpShouldRefuseRatherThanAskDns() {
		assertThatIllegalStateException().isThrownBy(() -> new Multiaddr("ip4", "node-a.example", 1).toBytes())
			.withMessage("'node-a.example' is not an IP address literal");
		assertThatIllegalStateException().isThrownBy(() -> new Multiaddr("ip6", "node-a.example", 1).toBytes());
		assertThatIllegalStateException().isThrownBy(() -> new Multiaddr("udp", "1.2.3.4", 1).toBytes())
			.withMessage("cannot encode protocol 'udp'");
	}

}
