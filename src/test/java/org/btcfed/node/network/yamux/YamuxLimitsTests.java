package org.btcfed.node.network.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.btcfed.node.network.yamux.RawPeer.frame;
import static org.btcfed.node.network.yamux.YamuxSessionPairTests.utf8;

/**
 * The {@link YamuxConfig} limits: each one is enforced on the stream or open that goes beyond
 * it, never by ending the session.
 */
class YamuxLimitsTests {

	@Test
	void acceptWhenMaxStreamsAreOpenShouldRefuseWithRstAndGoOn() {
		try (RawPeer peer = new RawPeer(false, new YamuxConfig(2, 256, 256, 1 << 20))) {
			peer.receive(frame(1, 0x1, 1, 0));
			peer.session.open(new RecordingHandler());
			peer.receive(frame(1, 0x1, 3, 0));
			peer.receive(frame(0, 0, 3, 1, "00"));
			assertThat(peer.sentHeaders()).containsExactly("1/2/1/0", "1/1/2/0", "1/8/3/0");
			assertThat(peer.end.exceptions).isEmpty();
			assertThat(peer.session.streamCount()).isEqualTo(2);
			RecordingHandler third = new RecordingHandler();
			peer.session.open(third);
			assertThat(third.cause()).hasMessageContaining("maxStreams");
			// Once one closes, the next SYN is accepted.
			peer.receive(frame(1, 0x8, 1, 0));
			peer.receive(frame(1, 0x1, 5, 0));
			assertThat(peer.sentHeaders()).containsExactly("1/2/5/0");
			assertThat(peer.accepted).hasSize(2);
		}
	}

	@Test
	void openWhenTooManySynsAwaitTheirAckShouldFailUntilOneIsAcknowledged() {
		try (RawPeer peer = new RawPeer(true, new YamuxConfig(100, 256, 2, 1 << 20))) {
			peer.session.open(new RecordingHandler());
			peer.session.open(new RecordingHandler());
			RecordingHandler third = new RecordingHandler();
			YamuxStream refused = peer.session.open(third);
			assertThat(third.cause()).hasMessageContaining("maxUnacknowledgedOutbound");
			assertThat(refused.write(utf8("x")).isSuccess()).isFalse();
			peer.receive(frame(1, 0x2, 1, 0));
			RecordingHandler fourth = new RecordingHandler();
			YamuxStream opened = peer.session.open(fourth);
			assertThat(fourth.isClosed()).isFalse();
			assertThat(opened.id()).isEqualTo(7);
			// A refused SYN frees its place as well.
			peer.receive(frame(1, 0x8, 3, 0));
			RecordingHandler fifth = new RecordingHandler();
			peer.session.open(fifth);
			assertThat(fifth.isClosed()).isFalse();
			assertThat(peer.sentHeaders()).containsExactly("1/1/1/0", "1/1/3/0", "1/1/7/0", "1/1/9/0");
		}
	}

	@Test
	void writeWhenPeerNeverGrantsWindowShouldResetTheStreamOverThePendingLimit() {
		try (RawPeer peer = new RawPeer(true, new YamuxConfig(100, 256, 256, 100_000))) {
			RecordingHandler greedy = new RecordingHandler();
			YamuxStream stream = peer.session.open(greedy);
			ChannelFuture first = stream.write(Unpooled.wrappedBuffer(new byte[262_144 + 60_000]));
			assertThat(first.isDone()).isFalse();
			ByteBuf second = Unpooled.wrappedBuffer(new byte[50_000]);
			ChannelFuture over = stream.write(second);
			assertThat(over.cause()).isInstanceOf(YamuxStreamException.class).hasMessageContaining("limit");
			assertThat(first.cause()).isInstanceOf(YamuxStreamException.class);
			assertThat(second.refCnt()).isZero();
			assertThat(greedy.cause()).hasMessageContaining("waiting for window");
			assertThat(peer.sentHeaders()).endsWith("1/8/1/0");
			// The bytes were released: another stream may queue up to the limit again.
			YamuxStream other = peer.session.open(new RecordingHandler());
			ChannelFuture fine = other.write(Unpooled.wrappedBuffer(new byte[262_144 + 99_000]));
			assertThat(fine.isDone()).isFalse();
			assertThat(peer.end.exceptions).isEmpty();
		}
	}

	@Test
	void acceptWhenMaxInboundStreamsAreOpenShouldRefuseWithRstButStillOpenOurs() {
		try (RawPeer peer = new RawPeer(true, new YamuxConfig(100, 2, 256, 1 << 20))) {
			peer.receive(Unpooled.wrappedBuffer(frame(1, 0x1, 2, 0), frame(1, 0x1, 4, 0), frame(1, 0x1, 6, 0)));
			RecordingHandler ours = new RecordingHandler();
			peer.session.open(ours);
			assertThat(peer.sentHeaders()).containsExactly("1/2/2/0", "1/2/4/0", "1/8/6/0", "1/1/1/0");
			assertThat(ours.isClosed()).isFalse();
			assertThat(peer.accepted).hasSize(2);
			peer.accepted.get(0).stream.reset();
			peer.receive(frame(1, 0x1, 8, 0));
			assertThat(peer.sentHeaders()).containsExactly("1/8/2/0", "1/2/8/0");
			assertThat(peer.end.exceptions).isEmpty();
		}
	}

	@Test
	void configWhenALimitIsBelowOneShouldNameIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new YamuxConfig(0, 1, 1, 1))
			.withMessage("yamux maxStreams must be at least 1, was 0");
		assertThatIllegalArgumentException().isThrownBy(() -> new YamuxConfig(1, 1, 1, 0))
			.withMessage("yamux maxPendingBytes must be at least 1, was 0");
		assertThat(YamuxConfig.defaults()).isEqualTo(new YamuxConfig(1024, 256, 256, 4L * 1024 * 1024));
	}

}
