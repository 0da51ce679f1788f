package org.btcfed.node.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import io.netty.handler.codec.CorruptedFrameException;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.PeerId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link IdentifyMessage}: bytes written out field by field from identify.proto.
 */
class IdentifyMessageTests {

	private static final HexFormat HEX = HexFormat.of();

	private static final String SPEC_KEY = "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

	private static final byte[] KEY_PROTOBUF = HEX.parseHex("08011220" + SPEC_KEY);

	private static final byte[] LISTEN = Multiaddr.parse("/ip4/127.0.0.1/tcp/9000").toBytes();

	private static final byte[] OBSERVED = Multiaddr.parse("/ip4/10.0.0.1/tcp/4001").toBytes();

	private static final IdentifyMessage FULL = new IdentifyMessage(KEY_PROTOBUF, List.of(LISTEN),
			List.of("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0"), OBSERVED, "ipfs/0.1.0", "btcfed-node/0.1.0");

	/** {@link #FULL}, tag by tag: 0a publicKey, 12 listenAddrs, 1a protocols, 22 observedAddr, 2a, 32. */
	private static final String FULL_HEX = "0a24" + "08011220" + SPEC_KEY
			+ "1208" + "047f000001062328"
			+ "1a0e" + ascii("/ipfs/id/1.0.0") + "1a10" + ascii("/ipfs/ping/1.0.0")
			+ "2208" + "040a000001060fa1"
			+ "2a0a" + ascii("ipfs/0.1.0")
			+ "3211" + ascii("btcfed-node/0.1.0");

	@Test
	void encodeShouldWriteEachFieldInOrderAsGoDoes() {
		assertThat(HEX.formatHex(FULL.encode())).isEqualTo(FULL_HEX);
	}

	@Test
	void decodeShouldReadWhatEncodeWrote() {
		IdentifyMessage read = IdentifyMessage.decode(HEX.parseHex(FULL_HEX));
		assertThat(read).isEqualTo(FULL).hasSameHashCodeAs(FULL);
		assertThat(read.publicKey()).isEqualTo(KEY_PROTOBUF);
		assertThat(read.observedAddr()).isEqualTo(OBSERVED);
		assertThat(read.listenMultiaddrs()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/9000"));
		assertThat(read.peerId()).hasToString("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
		assertThat(read.toString()).contains("12D3KooWBtg3", "/ip4/127.0.0.1/tcp/9000", "/ipfs/ping/1.0.0");
	}

	@Test
	void emptyMessageShouldBeZeroBytesWithEveryFieldAbsent() {
		IdentifyMessage empty = new IdentifyMessage(null, List.of(), List.of(), null, null, null);
		assertThat(empty.encode()).isEmpty();
		IdentifyMessage read = IdentifyMessage.decode(new byte[0]);
		assertThat(read).isEqualTo(empty);
		assertThat(read.publicKey()).isNull();
		assertThat(read.observedAddr()).isNull();
		assertThat(read.peerId()).isNull();
		assertThat(read.protocolVersion()).isNull();
	}

	@Test
	void emptyProtocolVersionAsGoSendsItShouldBePresentButEmpty() {
		IdentifyMessage go = new IdentifyMessage(null, List.of(), List.of(), null, "", null);
		assertThat(HEX.formatHex(go.encode())).isEqualTo("2a00");
		assertThat(IdentifyMessage.decode(go.encode()).protocolVersion()).isEmpty();
	}

	@Test
	void decodeShouldSkipTheSignedPeerRecordAndUnknownFields() {
		String extras = "4201ff" // field 8 signedPeerRecord, 1 byte
				+ "3896 01" // field 7, varint 150
				+ "4900000000000000 00" // field 9, fixed64
				+ "5500000000" // field 10, fixed32
				+ "a20603616263" // field 100, length-delimited "abc"
				+ "5b 0801 5c"; // field 11, a group holding field 1 = 1
		IdentifyMessage read = IdentifyMessage.decode(HEX.parseHex((extras + FULL_HEX + extras).replace(" ", "")));
		assertThat(read).isEqualTo(FULL);
		assertThat(HEX.formatHex(read.encode())).isEqualTo(FULL_HEX);
	}

	@Test
	void mergeShouldLetTheLaterMessageSetFieldsAndAppendRepeatedOnes() {
		IdentifyMessage first = new IdentifyMessage(KEY_PROTOBUF, List.of(LISTEN), List.of("/ipfs/id/1.0.0"), null,
				"", "go/0.32");
		IdentifyMessage second = new IdentifyMessage(null, List.of(OBSERVED), List.of("/ipfs/ping/1.0.0"), OBSERVED,
				null, "go/0.32.2");
		IdentifyMessage merged = first.merge(second);
		assertThat(merged.publicKey()).isEqualTo(KEY_PROTOBUF);
		assertThat(merged.listenAddrs()).containsExactly(LISTEN, OBSERVED);
		assertThat(merged.protocols()).containsExactly("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
		assertThat(merged.observedAddr()).isEqualTo(OBSERVED);
		assertThat(merged.protocolVersion()).isEmpty();
		assertThat(merged.agentVersion()).isEqualTo("go/0.32.2");
		// Merging equals decoding the two messages back to back, as protobuf defines it.
		byte[] both = new byte[first.encode().length + second.encode().length];
		System.arraycopy(first.encode(), 0, both, 0, first.encode().length);
		System.arraycopy(second.encode(), 0, both, first.encode().length, second.encode().length);
		assertThat(IdentifyMessage.decode(both)).isEqualTo(merged);
	}

	@Test
	void listenMultiaddrsShouldLeaveOutAddressesThisNodeCannotDial() {
		byte[] quic = HEX.parseHex("047f000001" + "91020fa1" + "cc03"); // /ip4/127.0.0.1/udp/4001/quic-v1
		IdentifyMessage message = new IdentifyMessage(null, List.of(quic, LISTEN), List.of(), null, null, null);
		assertThat(message.listenMultiaddrs()).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/9000"));
		assertThat(message.listenAddrs()).hasSize(2);
	}

	@Test
	void peerIdWhenKeyIsNotEd25519ShouldBeNull() {
		byte[] secp = HEX.parseHex("08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99");
		assertThat(new IdentifyMessage(secp, List.of(), List.of(), null, null, null).peerId()).isNull();
		byte[] rsaTypeSameLength = HEX.parseHex("08001220" + SPEC_KEY);
		assertThat(new IdentifyMessage(rsaTypeSameLength, List.of(), List.of(), null, null, null).peerId()).isNull();
		assertThat(FULL.peerId()).isEqualTo(PeerId.of(HEX.parseHex(SPEC_KEY)));
	}

	@Test
	void arraysShouldBeCopiedInAndOut() {
		byte[] key = KEY_PROTOBUF.clone();
		byte[] addr = LISTEN.clone();
		IdentifyMessage message = new IdentifyMessage(key, List.of(addr), List.of(), addr, null, null);
		key[5] = 0;
		addr[1] = 0;
		message.publicKey()[6] = 0;
		message.listenAddrs().get(0)[2] = 0;
		message.observedAddr()[3] = 0;
		assertThat(message.publicKey()).isEqualTo(KEY_PROTOBUF);
		assertThat(message.listenAddrs()).containsExactly(LISTEN);
		assertThat(message.observedAddr()).isEqualTo(LISTEN);
		assertThat(message).isNotEqualTo(FULL).isNotEqualTo("IdentifyMessage");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			0a0501               | malformed Identify message: While parsing a protocol message, the input ended unexpectedly
			0801                 | malformed Identify message: field 1 has wire type 0, expected 2 (length-delimited)
			1d00000000           | malformed Identify message: field 3 has wire type 5, expected 2
			4001                 | malformed Identify message: field 8 has wire type 0
			4c                   | malformed Identify message: Protocol message end-group tag
			00                   | malformed Identify message: Protocol message contained an invalid tag (zero).
			0affffffffffffffffffff01 | malformed Identify message: CodedInputStream encountered a malformed varint.
			3f                   | malformed Identify message: Protocol message tag had invalid wire type.
			""")
	void decodeWhenMalformedShouldSaySo(String hex, String message) {
		assertThatExceptionOfType(CorruptedFrameException.class)
			.isThrownBy(() -> IdentifyMessage.decode(HEX.parseHex(hex)))
			.withMessageStartingWith(message);
	}

	private static String ascii(String text) {
		return HEX.formatHex(text.getBytes(StandardCharsets.US_ASCII));
	}

}
