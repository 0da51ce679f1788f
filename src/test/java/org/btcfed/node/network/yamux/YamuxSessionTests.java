package org.btcfed.node.network.yamux;

import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.btcfed.node.network.yamux.RawPeer.frame;
import static org.btcfed.node.network.yamux.RawPeer.hex;
import static org.btcfed.node.network.yamux.YamuxSessionPairTests.utf8;

/**
 * The frames a session writes and reads, byte for byte as in LIBP2P.md section 5, against a
 * remote played by hand.
 */
class YamuxSessionTests {

	private static final String IDENTIFY_PROPOSAL = "13 2f 6d 75 6c 74 69 73 74 72 65 61 6d 2f 31 2e 30 2e 30 0a"
			+ " 0f 2f 69 70 66 73 2f 69 64 2f 31 2e 30 2e 30 0a";

	private final RawPeer client = new RawPeer(true, YamuxConfig.defaults());

	@AfterEach
	void tearDown() {
		this.client.close();
	}

	@Test
	void openWhenDataFollowsShouldSendWindowUpdateSynThenData() {
		YamuxStream stream = this.client.session.open(new RecordingHandler());
		ChannelFuture written = stream.write(Unpooled.wrappedBuffer(hex(IDENTIFY_PROPOSAL)));
		assertThat(this.client.sent()).isEqualTo("00 01 00 01 00 00 00 01 00 00 00 00 " + "00 00 00 00 00 00 00 01 00 00 00 24 "
				+ IDENTIFY_PROPOSAL);
		assertThat(written.isSuccess()).isTrue();
	}

	@Test
	void acceptWhenRemoteOpensShouldAnswerWindowUpdateAck() {
		this.client.receive(frame(1, 0x1, 2, 0));
		assertThat(this.client.sent()).isEqualTo("00 01 00 02 00 00 00 02 00 00 00 00");
		assertThat(this.client.accepted).hasSize(1);
		assertThat(this.client.session.streamCount()).isEqualTo(1);
	}

	@Test
	void acceptWhenAcceptorWritesAtOnceShouldCarryTheAckOnTheData() {
		RawPeer peer = new RawPeer(true, YamuxConfig.defaults(), (stream) -> {
			stream.write(utf8("hi"));
			return new RecordingHandler();
		});
		try (peer) {
			peer.receive(frame(1, 0x1, 2, 0));
			assertThat(peer.sent()).isEqualTo("00 00 00 02 00 00 00 02 00 00 00 02 68 69");
		}
	}

	@Test
	void acceptWhenAcceptorRefusesShouldAnswerRst() {
		RawPeer peer = new RawPeer(false, YamuxConfig.defaults(), (stream) -> null);
		try (peer) {
			peer.receive(frame(1, 0x1, 1, 0));
			peer.receive(frame(0, 0, 1, 3, "616263"));
			assertThat(peer.sent()).isEqualTo("00 01 00 08 00 00 00 01 00 00 00 00");
			assertThat(peer.session.streamCount()).isZero();
			assertThat(peer.end.exceptions).isEmpty();
		}
	}

	@Test
	void acceptWhenAcceptorThrowsShouldRefuseAndReportIt() {
		RawPeer peer = new RawPeer(false, YamuxConfig.defaults(), (stream) -> {
			throw new IllegalStateException("acceptor bug");
		});
		try (peer) {
			peer.receive(frame(1, 0x1, 1, 0));
			assertThat(peer.sent()).isEqualTo("00 01 00 08 00 00 00 01 00 00 00 00");
			assertThat(peer.end.exceptions).singleElement().satisfies((ex) -> assertThat(ex).hasMessage("acceptor bug"));
		}
	}

	@Test
	void openWhenRemoteOpensWithDataAndFinShouldDeliverBothInOrder() {
		this.client.receive(frame(0, 0x1 | 0x4, 2, 3, "616263"));
		RecordingHandler accepted = this.client.accepted.get(0);
		assertThat(accepted.text()).isEqualTo("abc");
		assertThat(accepted.remoteClosed).isTrue();
		assertThat(this.client.sent()).isEqualTo("00 01 00 02 00 00 00 02 00 00 00 00");
		accepted.stream.closeWrite();
		assertThat(this.client.sent()).isEqualTo("00 01 00 04 00 00 00 02 00 00 00 00");
		assertThat(accepted.closings).containsExactly((Throwable) null);
		// Data after both FINs is for an unknown stream: drained, nothing said.
		this.client.receive(frame(0, 0, 2, 2, "6869"));
		assertThat(this.client.sent()).isEmpty();
	}

	@Test
	void closeWriteAndResetShouldSendFinAndRst() {
		YamuxStream first = this.client.session.open(new RecordingHandler());
		YamuxStream second = this.client.session.open(new RecordingHandler());
		first.closeWrite();
		second.reset();
		assertThat(this.client.sent()).isEqualTo("00 01 00 01 00 00 00 01 00 00 00 00 00 01 00 01 00 00 00 03 00 00 00 00 "
				+ "00 01 00 04 00 00 00 01 00 00 00 00 00 01 00 08 00 00 00 03 00 00 00 00");
	}

	@Test
	void pingWhenRemotePingsShouldAnswerAckWithTheSameOpaque() {
		this.client.receive(frame(2, 0x1, 0, 0xdeadbeefL));
		assertThat(this.client.sent()).isEqualTo("00 02 00 02 00 00 00 00 de ad be ef");
	}

	@Test
	void pingWhenAnsweredShouldCompleteWithRoundTripTime() {
		Future<Duration> rtt = this.client.session.ping();
		assertThat(this.client.sent()).isEqualTo("00 02 00 01 00 00 00 00 00 00 00 00");
		assertThat(rtt.isDone()).isFalse();
		this.client.receive(frame(2, 0x2, 0, 0));
		assertThat(rtt.getNow()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
	}

	@Test
	void goAwayShouldSendTheCodeAndRefuseLaterSyns() {
		ChannelFuture sent = this.client.session.goAway(0);
		assertThat(this.client.sent()).isEqualTo("00 03 00 00 00 00 00 00 00 00 00 00");
		assertThat(sent.isSuccess()).isTrue();
		this.client.receive(frame(1, 0x1, 2, 0));
		assertThat(this.client.sent()).isEqualTo("00 01 00 08 00 00 00 02 00 00 00 00");
		assertThat(this.client.end.exceptions).isEmpty();
	}

	@Test
	void goAwayWhenReceivedShouldFireTheEvent() {
		this.client.receive(frame(3, 0, 0, 2));
		assertThat(this.client.end.events).containsExactly(new YamuxGoAway(2));
		assertThat(this.client.end.exceptions).isEmpty();
	}

	@Test
	void readWhenInputArrivesOneByteAtATimeShouldDecodeEveryFrame() {
		ByteBuf all = Unpooled.wrappedBuffer(frame(1, 0x1, 2, 0), frame(0, 0, 2, 5, "68656c6c6f"), frame(2, 0x1, 0, 7),
				frame(1, 0x4, 2, 0));
		while (all.isReadable()) {
			this.client.receive(all.readRetainedSlice(1));
		}
		all.release();
		RecordingHandler accepted = this.client.accepted.get(0);
		assertThat(accepted.text()).isEqualTo("hello");
		assertThat(accepted.pieces).isEqualTo(5);
		assertThat(accepted.remoteClosed).isTrue();
		assertThat(this.client.sent()).isEqualTo("00 01 00 02 00 00 00 02 00 00 00 00 00 02 00 02 00 00 00 00 00 00 00 07");
		assertThat(all.refCnt()).isZero();
	}

	@Test
	void readWhenManyFramesShareOneBufferShouldHandleEachInOrder() {
		ByteBuf all = Unpooled.wrappedBuffer(frame(1, 0x1, 2, 0), frame(1, 0x1, 4, 0), frame(0, 0, 4, 2, "6869"),
				frame(0, 0, 2, 3, "796f75"), frame(0, 0, 99, 4, "00000000"), frame(2, 0x1, 0, 1));
		this.client.receive(all);
		assertThat(all.refCnt()).isZero();
		assertThat(this.client.accepted).extracting(RecordingHandler::text).containsExactly("you", "hi");
		assertThat(this.client.sentHeaders()).containsExactly("1/2/2/0", "1/2/4/0", "2/2/0/1");
	}

	@Test
	void readWhenDataIsForAnUnknownStreamShouldDrainItAcrossReads() {
		ByteBuf unknown = frame(0, 0, 41, 70000, "");
		this.client.receive(unknown);
		this.client.receive(Unpooled.wrappedBuffer(new byte[69999]));
		this.client.receive(Unpooled.wrappedBuffer(new byte[1]));
		this.client.receive(frame(2, 0x1, 0, 3));
		assertThat(this.client.sent()).isEqualTo("00 02 00 02 00 00 00 00 00 00 00 03");
		assertThat(this.client.end.exceptions).isEmpty();
	}

	@Test
	void writeWhenBeyondTheWindowShouldWaitForCreditAndSplitFrames() {
		YamuxStream stream = this.client.session.open(new RecordingHandler());
		ChannelFuture written = stream.write(Unpooled.wrappedBuffer(new byte[300_000]));
		assertThat(this.client.sentHeaders()).containsExactly("1/1/1/0", "0/0/1/65507", "0/0/1/65507", "0/0/1/65507",
				"0/0/1/65507", "0/0/1/116");
		assertThat(written.isDone()).isFalse();
		// js puts credit in the ACK.
		this.client.receive(frame(1, 0x2, 1, 30_000));
		assertThat(this.client.sentHeaders()).containsExactly("0/0/1/30000");
		assertThat(written.isDone()).isFalse();
		this.client.receive(frame(1, 0, 1, 100_000));
		assertThat(this.client.sentHeaders()).containsExactly("0/0/1/7856");
		assertThat(written.isSuccess()).isTrue();
	}

	@Test
	void readWhenHalfTheWindowIsConsumedShouldCreditItBack() {
		this.client.receive(frame(1, 0x1, 2, 0));
		assertThat(this.client.sentHeaders()).containsExactly("1/2/2/0");
		this.client.receive(frame(0, 0, 2, 100_000, "00".repeat(100_000)));
		assertThat(this.client.sentHeaders()).isEmpty();
		this.client.receive(frame(0, 0, 2, 31_072, "00".repeat(31_072)));
		assertThat(this.client.sentHeaders()).containsExactly("1/0/2/131072");
		// The remote may now send a full window again beyond what is in flight.
		this.client.receive(frame(0, 0, 2, 262_144, "00".repeat(262_144)));
		assertThat(this.client.end.exceptions).isEmpty();
		assertThat(this.client.accepted.get(0).received.size()).isEqualTo(131_072 + 262_144);
	}

	@Test
	void dataWhenHandlerThrowsShouldResetTheStreamAndTellIt() {
		RuntimeException failure = new IllegalArgumentException("handler bug");
		RecordingHandler handler = new RecordingHandler() {
			@Override
			public void data(YamuxStream stream, ByteBuf data) {
				throw failure;
			}
		};
		RawPeer peer = new RawPeer(true, YamuxConfig.defaults(), (stream) -> handler);
		try (peer) {
			peer.receive(frame(0, 0x1, 2, 2, "6869"));
			assertThat(peer.sentHeaders()).containsExactly("1/2/2/0", "1/8/2/0");
			assertThat(handler.closings).containsExactly(failure);
			assertThat(peer.end.exceptions).isEmpty();
		}
	}

	@Test
	void remoteClosedWhenHandlerThrowsShouldResetTheStream() {
		RecordingHandler handler = new RecordingHandler() {
			@Override
			public void remoteClosed(YamuxStream stream) {
				throw new IllegalStateException("fin bug");
			}
		};
		RawPeer peer = new RawPeer(true, YamuxConfig.defaults(), (stream) -> handler);
		try (peer) {
			peer.receive(frame(1, 0x1 | 0x4, 2, 0));
			assertThat(peer.sentHeaders()).containsExactly("1/2/2/0", "1/8/2/0");
			assertThat(handler.cause()).hasMessage("fin bug");
		}
	}

	@Test
	void resetWhenRemoteRefusesOurStreamShouldCloseItWithCause() {
		RecordingHandler handler = new RecordingHandler();
		YamuxStream stream = this.client.session.open(handler);
		this.client.receive(frame(1, 0x8, 1, 0));
		assertThat(handler.cause()).hasMessageContaining("reset by the remote");
		assertThat(stream.write(utf8("x")).isSuccess()).isFalse();
		assertThat(this.client.session.streamCount()).isZero();
	}

	@Test
	void handlerAddedWhenChannelIsActiveShouldReadTheForwardedLeftover() {
		EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				// Like a handshake handler: put the muxer after itself, hand on the leftover bytes.
				ctx.pipeline().addAfter(ctx.name(), "yamux",
						new YamuxSession(true, YamuxConfig.defaults(), SessionPair.recording(new java.util.ArrayList<>())));
				ctx.pipeline().remove(this);
				ctx.fireChannelRead(msg);
			}
		});
		try {
			channel.writeInbound(frame(2, 0x1, 0, 9));
			channel.runPendingTasks();
			ByteBuf pong = channel.readOutbound();
			assertThat(RawPeer.spaced(io.netty.buffer.ByteBufUtil.hexDump(pong))).isEqualTo("00 02 00 02 00 00 00 00 00 00 00 09");
			pong.release();
			assertThat(YamuxSession.of(channel)).isNotNull();
		}
		finally {
			channel.finishAndReleaseAll();
		}
	}

	@Test
	void handlerRemovedShouldCloseEveryStream() {
		RecordingHandler handler = new RecordingHandler();
		this.client.session.open(handler);
		this.client.channel.pipeline().remove(this.client.session);
		assertThat(handler.cause()).hasMessageContaining("removed from the pipeline");
		assertThat(YamuxSession.of(this.client.channel)).isNull();
	}

	@Test
	void openWhenNotInAPipelineShouldFail() {
		YamuxSession session = new YamuxSession(true, YamuxConfig.defaults(), (stream) -> null);
		assertThatIllegalStateException().isThrownBy(() -> session.open(new RecordingHandler()))
			.withMessageContaining("no pipeline");
	}

	@Test
	void channelReadWhenMessageIsNoBufferShouldPassItOn() {
		this.client.channel.writeInbound("not bytes");
		assertThat((Object) this.client.channel.readInbound()).isEqualTo("not bytes");
	}

}
