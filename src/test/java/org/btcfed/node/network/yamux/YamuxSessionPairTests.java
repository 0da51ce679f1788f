package org.btcfed.node.network.yamux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client and a server session talking to each other over two embedded channels.
 */
class YamuxSessionPairTests {

	private final SessionPair pair = new SessionPair(YamuxConfig.defaults());

	@AfterEach
	void tearDown() {
		this.pair.close();
	}

	@Test
	void openWhenClientOpensShouldDeliverDataBothWaysWithOddIds() {
		RecordingHandler opener = new RecordingHandler();
		YamuxStream stream = this.pair.client.open(opener);
		ChannelFuture written = stream.write(utf8("hello"));
		this.pair.pump();
		assertThat(written.isSuccess()).isTrue();
		assertThat(stream.id()).isEqualTo(1);
		assertThat(stream.isInbound()).isFalse();
		assertThat(stream.channel()).isSameAs(this.pair.clientChannel);
		assertThat(this.pair.serverAccepted).hasSize(1);
		RecordingHandler accepted = this.pair.serverAccepted.get(0);
		assertThat(accepted.text()).isEqualTo("hello");
		YamuxStream inbound = accepted.stream;
		assertThat(inbound.id()).isEqualTo(1);
		assertThat(inbound.isInbound()).isTrue();
		inbound.write(utf8("world"));
		this.pair.pump();
		assertThat(opener.text()).isEqualTo("world");
		assertThat(this.pair.client.streamCount()).isEqualTo(1);
		assertThat(this.pair.server.streamCount()).isEqualTo(1);
	}

	@Test
	void openWhenServerOpensShouldUseEvenIdsIncreasing() {
		YamuxStream first = this.pair.server.open(new RecordingHandler());
		YamuxStream second = this.pair.server.open(new RecordingHandler());
		second.write(utf8("two"));
		first.write(utf8("one"));
		this.pair.pump();
		assertThat(first.id()).isEqualTo(2);
		assertThat(second.id()).isEqualTo(4);
		assertThat(this.pair.clientAccepted).extracting(RecordingHandler::text).containsExactly("one", "two");
		assertThat(this.pair.clientEnd.exceptions).isEmpty();
	}

	@Test
	void writeWhenOneMebibyteGoesThroughOneStreamShouldArriveWholeWithWindowUpdates() {
		byte[] payload = new byte[1024 * 1024];
		new Random(7).nextBytes(payload);
		YamuxStream stream = this.pair.client.open(new RecordingHandler());
		ByteBuf data = Unpooled.wrappedBuffer(payload);
		ChannelFuture written = stream.write(data);
		this.pair.pump();
		assertThat(written.isSuccess()).isTrue();
		assertThat(data.refCnt()).isZero();
		RecordingHandler accepted = this.pair.serverAccepted.get(0);
		assertThat(accepted.received.toByteArray()).isEqualTo(payload);
		// Header overhead only: 1 MiB needs 3 window updates of 128 KiB at least.
		assertThat(this.pair.serverToClient).isGreaterThanOrEqualTo(12L * 4);
		assertThat(this.pair.clientToServer).isLessThan(payload.length + 12L * 40);
	}

	@Test
	void closeWriteWhenBothSidesFinishShouldCloseCleanlyOnce() {
		RecordingHandler opener = new RecordingHandler();
		YamuxStream stream = this.pair.client.open(opener);
		stream.write(utf8("request"));
		stream.closeWrite();
		stream.closeWrite();
		this.pair.pump();
		RecordingHandler accepted = this.pair.serverAccepted.get(0);
		assertThat(accepted.text()).isEqualTo("request");
		assertThat(accepted.remoteClosed).isTrue();
		assertThat(accepted.isClosed()).isFalse();
		accepted.stream.write(utf8("response"));
		accepted.stream.closeWrite();
		this.pair.pump();
		assertThat(opener.text()).isEqualTo("response");
		assertThat(opener.remoteClosed).isTrue();
		assertThat(opener.closings).containsExactly((Throwable) null);
		assertThat(accepted.closings).containsExactly((Throwable) null);
		assertThat(this.pair.client.streamCount()).isZero();
		assertThat(this.pair.server.streamCount()).isZero();
	}

	@Test
	void writeWhenAfterCloseWriteShouldFail() {
		YamuxStream stream = this.pair.client.open(new RecordingHandler());
		stream.closeWrite();
		ByteBuf late = utf8("late");
		ChannelFuture written = stream.write(late);
		assertThat(written.cause()).isInstanceOf(YamuxStreamException.class).hasMessageContaining("closed for writing");
		assertThat(late.refCnt()).isZero();
	}

	@Test
	void resetWhenCalledShouldCloseBothSidesWithCauseAndFailQueuedWrites() {
		RecordingHandler opener = new RecordingHandler();
		YamuxStream stream = this.pair.client.open(opener);
		stream.write(utf8("x"));
		this.pair.pump();
		RecordingHandler accepted = this.pair.serverAccepted.get(0);
		stream.reset();
		stream.reset();
		this.pair.pump();
		assertThat(opener.closings).hasSize(1);
		assertThat(opener.cause()).isInstanceOf(YamuxStreamException.class).hasMessageContaining("reset locally");
		assertThat(accepted.closings).hasSize(1);
		assertThat(accepted.cause()).hasMessageContaining("reset by the remote");
		ChannelFuture written = stream.write(utf8("after"));
		assertThat(written.cause()).hasMessageContaining("is closed");
		assertThat(this.pair.server.streamCount()).isZero();
		assertThat(this.pair.serverEnd.exceptions).isEmpty();
	}

	@Test
	void openWhenManyStreamsBothWaysShouldKeepThemApart() {
		List<RecordingHandler> openers = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			RecordingHandler handler = new RecordingHandler();
			openers.add(handler);
			YamuxSession side = (i % 2 == 0) ? this.pair.client : this.pair.server;
			side.open(handler).write(utf8("stream " + i));
		}
		this.pair.pump();
		assertThat(this.pair.serverAccepted).hasSize(150);
		assertThat(this.pair.clientAccepted).hasSize(150);
		for (int i = 0; i < 150; i++) {
			assertThat(this.pair.serverAccepted.get(i).text()).isEqualTo("stream " + (2 * i));
			assertThat(this.pair.clientAccepted.get(i).text()).isEqualTo("stream " + (2 * i + 1));
		}
		assertThat(this.pair.client.streamCount()).isEqualTo(300);
		assertThat(this.pair.clientEnd.exceptions).isEmpty();
		assertThat(this.pair.serverEnd.exceptions).isEmpty();
	}

	@Test
	void pingWhenAnsweredShouldGiveTheRoundTripTime() {
		Future<Duration> first = this.pair.client.ping();
		Future<Duration> second = this.pair.server.ping();
		this.pair.pump();
		assertThat(first.isSuccess()).isTrue();
		assertThat(first.getNow()).isPositive();
		assertThat(second.isSuccess()).isTrue();
	}

	@Test
	void goAwayWhenReceivedShouldRefuseNewOpensAndKeepOpenStreams() {
		RecordingHandler opener = new RecordingHandler();
		YamuxStream open = this.pair.client.open(opener);
		this.pair.pump();
		ChannelFuture sent = this.pair.server.goAway(0);
		this.pair.pump();
		assertThat(sent.isSuccess()).isTrue();
		assertThat(this.pair.clientEnd.events).containsExactly(new YamuxGoAway(0));
		RecordingHandler late = new RecordingHandler();
		YamuxStream refused = this.pair.client.open(late);
		assertThat(refused.write(utf8("no")).cause()).hasMessageContaining("is closed");
		assertThat(late.cause()).hasMessageContaining("the remote sent GO_AWAY");
		open.write(utf8("still here"));
		this.pair.pump();
		assertThat(this.pair.serverAccepted).hasSize(1);
		assertThat(this.pair.serverAccepted.get(0).text()).isEqualTo("still here");
	}

	@Test
	void goAwayWhenSentShouldRefuseOwnOpens() {
		this.pair.server.goAway(0);
		this.pair.pump();
		RecordingHandler ownOpen = new RecordingHandler();
		this.pair.server.open(ownOpen);
		assertThat(ownOpen.cause()).hasMessageContaining("this side sent GO_AWAY");
		assertThat(this.pair.server.streamCount()).isZero();
	}

	@Test
	void closedWhenConnectionEndsShouldCloseEveryStreamAndFailPendingWork() {
		RecordingHandler opener = new RecordingHandler();
		YamuxStream stream = this.pair.client.open(opener);
		this.pair.pump();
		// More than the window: the rest waits for credit that never comes.
		ChannelFuture written = stream.write(Unpooled.wrappedBuffer(new byte[300 * 1024]));
		Future<Duration> ping = this.pair.client.ping();
		this.pair.clientChannel.close();
		assertThat(written.isSuccess()).isFalse();
		assertThat(ping.cause()).isInstanceOf(YamuxStreamException.class);
		assertThat(opener.closings).hasSize(1);
		assertThat(opener.cause()).hasMessageContaining("connection closed");
		RecordingHandler afterwards = new RecordingHandler();
		this.pair.client.open(afterwards);
		assertThat(afterwards.cause()).hasMessageContaining("session has ended");
	}

	static ByteBuf utf8(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
	}

}
