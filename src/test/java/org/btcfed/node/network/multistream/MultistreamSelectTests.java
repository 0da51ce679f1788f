package org.btcfed.node.network.multistream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.btcfed.node.network.multistream.MultistreamException.Kind;
import org.btcfed.node.network.multistream.MultistreamSelect.Result;
import org.btcfed.node.network.multistream.MultistreamSelect.State;
import org.btcfed.node.network.wire.Varint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The negotiation state machine against the bytes of LIBP2P.md section 2.
 */
class MultistreamSelectTests {

	static final String HEADER = "132f6d756c746973747265616d2f312e302e300a";

	static final String NOISE = "072f6e6f6973650a";

	static final String YAMUX = "0d2f79616d75782f312e302e300a";

	static final String TLS = "0b2f746c732f312e302e300a";

	static final String NA = "036e610a";

	static final String LS = "036c730a";

	private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

	@Test
	void startShouldSendHeaderAndFirstProposalInOneBufferForTheInitiator() {
		MultistreamSelect initiator = MultistreamSelect.initiator(List.of("/noise", "/tls/1.0.0"));
		assertThat(hexAndRelease(initiator.start(this.alloc))).isEqualTo(HEADER + NOISE);
		assertThatIllegalStateException().isThrownBy(() -> initiator.start(this.alloc));
	}

	@Test
	void startShouldSendOnlyTheHeaderForTheResponder() {
		assertThat(hexAndRelease(responder().start(this.alloc))).isEqualTo(HEADER);
	}

	@Test
	void initiatorWhenHeaderAndEchoArriveTogetherShouldSelect() {
		MultistreamSelect initiator = started(MultistreamSelect.initiator(List.of("/yamux/1.0.0")));
		ByteBuf in = bytes(HEADER + YAMUX);
		assertSelected(initiator.feed(in, this.alloc), "/yamux/1.0.0", "");
		assertThat(in.isReadable()).isFalse();
		in.release();
		assertThatIllegalStateException().isThrownBy(() -> initiator.feed(Unpooled.EMPTY_BUFFER, this.alloc))
			.withMessage("the negotiation is over");
	}

	@Test
	void initiatorWhenHeaderArrivesBeforeTheEchoShouldWaitForTheEcho() {
		MultistreamSelect initiator = started(MultistreamSelect.initiator(List.of("/noise")));
		ByteBuf header = bytes(HEADER);
		Result first = initiator.feed(header, this.alloc);
		assertThat(first.state()).isEqualTo(State.NEED_MORE);
		assertThat(first.protocol()).isNull();
		assertThat(first.toSend().isReadable()).isFalse();
		assertSelected(initiator.feed(bytes(NOISE), this.alloc), "/noise", "");
		header.release();
	}

	@Test
	void initiatorWhenRefusedShouldProposeTheNextWithoutANewHeader() {
		MultistreamSelect initiator = started(MultistreamSelect.initiator(List.of("/tls/1.0.0", "/noise")));
		Result refused = initiator.feed(bytes(HEADER + NA), this.alloc);
		assertThat(refused.state()).isEqualTo(State.NEED_MORE);
		assertThat(hexAndRelease(refused.toSend())).isEqualTo(NOISE);
		assertSelected(initiator.feed(bytes(NOISE), this.alloc), "/noise", "");
	}

	@Test
	void initiatorWhenEveryProposalRefusedShouldFailNotSupported() {
		MultistreamSelect initiator = started(MultistreamSelect.initiator(List.of("/tls/1.0.0", "/noise")));
		assertFails(initiator, HEADER + NA + NA, Kind.NOT_SUPPORTED, "the peer supports none of [/tls/1.0.0, /noise]");
	}

	@Test
	void initiatorWhenAnswerIsAnotherProtocolShouldFailMalformed() {
		MultistreamSelect initiator = started(MultistreamSelect.initiator(List.of("/noise")));
		assertFails(initiator, HEADER + YAMUX, Kind.MALFORMED, "expected '/noise' or 'na', was '/yamux/1.0.0'");
	}

	@Test
	void responderShouldRefuseTlsAndLsThenAcceptNoise() {
		MultistreamSelect responder = started(responder());
		Result result = responder.feed(bytes(HEADER + TLS + LS + NOISE), this.alloc);
		assertSelected(result, "/noise", NA + NA + NOISE);
	}

	@Test
	void responderShouldKeepTheBytesAfterTheAcceptedProposal() {
		MultistreamSelect responder = started(MultistreamSelect.responder("/ipfs/id/1.0.0"::equals));
		ByteBuf in = bytes(HEADER + "0f2f697066732f69642f312e302e300a" + "0102030405");
		assertSelected(responder.feed(in, this.alloc), "/ipfs/id/1.0.0", "0f2f697066732f69642f312e302e300a");
		assertThat(ByteBufUtil.hexDump(in)).isEqualTo("0102030405");
		in.release();
	}

	@Test
	void responderWhenFedOneByteAtATimeShouldAnswerOnceEachMessageIsWhole() {
		MultistreamSelect responder = started(responder());
		String wire = HEADER + TLS + NOISE;
		StringBuilder sent = new StringBuilder();
		ByteBuf in = Unpooled.buffer();
		Result result = null;
		for (int i = 0; i < wire.length(); i += 2) {
			in.writeBytes(ByteBufUtil.decodeHexDump(wire, i, 2));
			result = responder.feed(in, this.alloc);
			sent.append(hexAndRelease(result.toSend()));
			in.discardReadBytes();
			assertThat(result.state()).isEqualTo((i + 2 < wire.length()) ? State.NEED_MORE : State.SELECTED);
		}
		assertThat(sent).hasToString(NA + NOISE);
		assertThat(result.protocol()).isEqualTo("/noise");
		in.release();
	}

	@Test
	void responderWhenTooManyUnsupportedProposalsShouldFailNotSupported() {
		MultistreamSelect responder = started(responder());
		Result refused = responder.feed(bytes(HEADER + TLS.repeat(MultistreamSelect.MAX_REFUSED)), this.alloc);
		assertThat(hexAndRelease(refused.toSend())).isEqualTo(NA.repeat(MultistreamSelect.MAX_REFUSED));
		assertFails(responder, TLS, Kind.NOT_SUPPORTED, "more than 16 unsupported protocols, last '/tls/1.0.0'");
	}

	@Test
	void responderShouldNeverAskThePredicateAboutNaOrLs() {
		MultistreamSelect responder = started(MultistreamSelect.responder((protocol) -> true));
		assertSelected(responder.feed(bytes(HEADER + NA + LS + NOISE), this.alloc), "/noise", NA + NA + NOISE);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			036e6161                       | MALFORMED   | multistream message does not end in a newline
			00                             | MALFORMED   | multistream message does not end in a newline
			03fffe0a                       | MALFORMED   | multistream message is not UTF-8
			8000                           | MALFORMED   | bad multistream length prefix: varint is not minimally encoded
			ffffffffffffffffff01           | MALFORMED   | bad multistream length prefix: varint is longer than 9 bytes
			8108                           | TOO_LONG    | multistream message longer than 1024 bytes
			072f6e6f6973650a               | BAD_HEADER  | expected '/multistream/1.0.0' first, was '/noise'
			132f6d756c746973747265616d2f322e302e300a | BAD_HEADER | was '/multistream/2.0.0'
			""")
	void feedWhenPeerSendsGarbageShouldFailWithItsKind(String hex, Kind kind, String message) {
		assertFails(started(responder()), hex, kind, message);
		assertFails(started(MultistreamSelect.initiator(List.of("/noise"))), hex, kind, message);
	}

	@Test
	void feedWhenMessageAfterTheHeaderIsMalformedShouldDropTheAnswersSoFar() {
		MultistreamSelect responder = started(responder());
		assertFails(responder, HEADER + TLS + "03fffe0a", Kind.MALFORMED, "not UTF-8");
		assertThatIllegalStateException().isThrownBy(() -> responder.feed(bytes(NOISE), this.alloc));
	}

	@Test
	void feedWhenLongGarbageShouldQuoteOnlyItsStart() {
		String garbage = "x".repeat(200) + "\u0007";
		ByteBuf in = Unpooled.buffer();
		Varint.write(in, garbage.length() + 1);
		in.writeCharSequence(garbage + "\n", StandardCharsets.UTF_8);
		MultistreamSelect responder = started(responder());
		assertThatExceptionOfType(MultistreamException.class).isThrownBy(() -> responder.feed(in, this.alloc))
			.satisfies((ex) -> assertThat(ex.getMessage()).endsWith("was '" + "x".repeat(64) + "...'"));
		assertThat(MultistreamSelect.quote("a\u0007b")).isEqualTo("a?b");
		in.release();
	}

	@Test
	void feedBeforeStartShouldBeRefused() {
		assertThatIllegalStateException().isThrownBy(() -> responder().feed(bytes(HEADER), this.alloc))
			.withMessage("start() was not called");
	}

	@Test
	void initiatorShouldRejectProposalsThatCannotBeSent() {
		assertThatIllegalArgumentException().isThrownBy(() -> MultistreamSelect.initiator(List.of()));
		for (String bad : List.of("", "na", "ls", "a\nb", "/multistream/1.0.0", "/" + "p".repeat(1023))) {
			assertThatIllegalArgumentException().as(bad)
				.isThrownBy(() -> MultistreamSelect.initiator(List.of("/noise", bad)))
				.withMessageEndingWith("cannot be proposed");
		}
		assertThat(MultistreamSelect.initiator(List.of("/" + "p".repeat(1022)))).isNotNull();
	}

	private static MultistreamSelect responder() {
		return MultistreamSelect.responder(Set.of("/noise", "/yamux/1.0.0")::contains);
	}

	private MultistreamSelect started(MultistreamSelect negotiation) {
		negotiation.start(this.alloc).release();
		return negotiation;
	}

	private void assertFails(MultistreamSelect negotiation, String hex, Kind kind, String message) {
		ByteBuf in = bytes(hex);
		assertThatExceptionOfType(MultistreamException.class).isThrownBy(() -> negotiation.feed(in, this.alloc))
			.satisfies((ex) -> assertThat(ex.kind()).isEqualTo(kind))
			.withMessageContaining(message);
		in.release();
	}

	private static void assertSelected(Result result, String protocol, String sentHex) {
		assertThat(result.state()).isEqualTo(State.SELECTED);
		assertThat(result.protocol()).isEqualTo(protocol);
		assertThat(hexAndRelease(result.toSend())).isEqualTo(sentHex);
	}

	static ByteBuf bytes(String hex) {
		return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
	}

	static String hexAndRelease(ByteBuf buffer) {
		String hex = ByteBufUtil.hexDump(buffer);
		buffer.release();
		return hex;
	}

}
