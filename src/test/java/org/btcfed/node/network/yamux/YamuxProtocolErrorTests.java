package org.btcfed.node.network.yamux;

import java.util.stream.Stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btcfed.node.network.yamux.RawPeer.frame;

/**
 * Every malformed input ends only its own session: GO_AWAY 1 goes out, the open streams close
 * with the error as cause, the {@link YamuxException} of the right kind is fired once, and what
 * follows is dropped; a second session beside it carries on.
 */
class YamuxProtocolErrorTests {

	private static final String GO_AWAY_PROTOCOL_ERROR = "00 03 00 00 00 00 00 00 00 00 00 01";

	/** A client session that accepts stream 4 first. */
	private final RawPeer victim = new RawPeer(true, YamuxConfig.defaults());

	private final RawPeer bystander = new RawPeer(true, YamuxConfig.defaults());

	@AfterEach
	void tearDown() {
		this.victim.close();
		this.bystander.close();
	}

	static Stream<Arguments> malformed() {
		ByteBuf badVersion = frame(1, 0, 4, 0);
		badVersion.setByte(0, 1);
		return Stream.of(Arguments.of("version 1", badVersion, YamuxException.Kind.MALFORMED_FRAME),
				Arguments.of("unknown type", frame(4, 0, 2, 0), YamuxException.Kind.MALFORMED_FRAME),
				Arguments.of("SYN with our parity", frame(1, 0x1, 5, 0), YamuxException.Kind.BAD_STREAM_ID),
				Arguments.of("SYN reusing an id", frame(1, 0x1, 4, 0), YamuxException.Kind.BAD_STREAM_ID),
				Arguments.of("SYN below the last id", frame(0, 0x1, 2, 0), YamuxException.Kind.BAD_STREAM_ID),
				Arguments.of("Data on stream 0", frame(0, 0, 0, 1, "00"), YamuxException.Kind.BAD_STREAM_ID),
				Arguments.of("Window Update on stream 0", frame(1, 0, 0, 5), YamuxException.Kind.BAD_STREAM_ID),
				Arguments.of("window overrun", frame(0, 0, 4, 262_145, ""), YamuxException.Kind.WINDOW_EXCEEDED),
				Arguments.of("unsolicited ping ACK", frame(2, 0x2, 0, 77), YamuxException.Kind.PROTOCOL_ERROR),
				Arguments.of("ping without SYN or ACK", frame(2, 0, 0, 1), YamuxException.Kind.PROTOCOL_ERROR));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformed")
	void readWhenInputIsMalformedShouldEndOnlyThatSession(String name, ByteBuf bad, YamuxException.Kind kind) {
		this.victim.receive(frame(1, 0x1, 4, 0));
		RecordingHandler accepted = this.victim.accepted.get(0);
		this.victim.sent();
		this.bystander.receive(frame(1, 0x1, 2, 0));
		this.bystander.sent();

		this.victim.receive(bad);
		assertThat(bad.refCnt()).isZero();
		assertThat(this.victim.sent()).isEqualTo(GO_AWAY_PROTOCOL_ERROR);
		assertThat(this.victim.end.exceptions).singleElement()
			.isInstanceOfSatisfying(YamuxException.class, (ex) -> assertThat(ex.kind()).isEqualTo(kind));
		assertThat(accepted.cause()).isInstanceOf(YamuxStreamException.class)
			.hasCauseInstanceOf(YamuxException.class);
		assertThat(this.victim.session.streamCount()).isZero();

		// What follows is dropped, and the session says nothing more.
		ByteBuf after = this.victim.receive(frame(2, 0x1, 0, 1));
		assertThat(after.refCnt()).isZero();
		assertThat(this.victim.sent()).isEmpty();
		assertThat(this.victim.end.exceptions).hasSize(1);

		this.bystander.receive(frame(0, 0, 2, 2, "6869"));
		this.bystander.receive(frame(2, 0x1, 0, 1));
		assertThat(this.bystander.accepted.get(0).text()).isEqualTo("hi");
		assertThat(this.bystander.sent()).isEqualTo("00 02 00 02 00 00 00 00 00 00 00 01");
		assertThat(this.bystander.end.exceptions).isEmpty();
	}

	@ParameterizedTest(name = "split at {0}")
	@MethodSource("splits")
	void readWhenWindowOverrunArrivesInPiecesShouldFailAtTheHeader(int split) {
		this.victim.receive(frame(1, 0x1, 2, 0));
		ByteBuf overrun = frame(0, 0, 2, 300_000, "");
		this.victim.receive(overrun.readRetainedSlice(split));
		assertThat(this.victim.end.exceptions).isEmpty();
		this.victim.receive(overrun);
		this.victim.receive(Unpooled.wrappedBuffer(new byte[1000]));
		assertThat(this.victim.end.exceptions).singleElement()
			.isInstanceOfSatisfying(YamuxException.class,
					(ex) -> assertThat(ex.kind()).isEqualTo(YamuxException.Kind.WINDOW_EXCEEDED));
		assertThat(this.victim.accepted.get(0).received.size()).isZero();
	}

	static Stream<Integer> splits() {
		return Stream.of(1, 6, 11);
	}

}
