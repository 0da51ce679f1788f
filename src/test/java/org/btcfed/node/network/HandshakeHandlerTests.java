package org.btcfed.node.network;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.btcfed.node.config.NodeKey;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Ed25519 handshake on {@link EmbeddedChannel}s: two handlers wired back to back (each
 * side's outbound bytes go through the other's {@link FrameDecoder}), or one handler fed
 * hand-made frames. Every rejection must close the channel, record its reason and reach the
 * listener exactly once.
 */
class HandshakeHandlerTests {

	private final MockTicker ticker = Ticker.newMockTicker();

	private static final long TIMEOUT_MILLIS = 10_000;

	private static final int MAX_FRAME = 1024;

	private final NodeKey keyA = NodeKey.generate();

	private final NodeKey keyB = NodeKey.generate();

	private final List<EmbeddedChannel> channels = new ArrayList<>();

	@AfterEach
	void tearDown() {
		this.channels.forEach(EmbeddedChannel::finishAndReleaseAll);
	}

	@Test
	void handshakeBetweenAdmittedPeersShouldAuthenticateBothSidesAndLeaveThePipeline() {
		RecordingListener listenerA = new RecordingListener(this.keyB);
		RecordingListener listenerB = new RecordingListener(this.keyA);
		EmbeddedChannel a = channel(this.keyA, listenerA);
		EmbeddedChannel b = channel(this.keyB, listenerB);
		exchange(a, b, UnaryOperator.identity());
		assertThat(listenerA.authenticated).containsExactly(this.keyB.publicKeyBase64());
		assertThat(listenerB.authenticated).containsExactly(this.keyA.publicKeyBase64());
		assertThat(listenerA.rejected).isEmpty();
		assertThat(listenerB.rejected).isEmpty();
		for (EmbeddedChannel channel : List.of(a, b)) {
			assertThat(channel.isOpen()).isTrue();
			assertThat(channel.pipeline().get(HandshakeHandler.class)).isNull();
			assertThat(channel.attr(Connection.CLOSE_REASON).get()).isNull();
		}
		assertThat(a.finish()).isFalse();
		assertThat(b.finish()).isFalse();
	}

	@Test
	void handshakeWhenCompletedShouldCancelTheTimeout() {
		RecordingListener listenerA = new RecordingListener(this.keyB);
		RecordingListener listenerB = new RecordingListener(this.keyA);
		EmbeddedChannel a = channel(this.keyA, listenerA);
		EmbeddedChannel b = channel(this.keyB, listenerB);
		exchange(a, b, UnaryOperator.identity());
		for (EmbeddedChannel channel : List.of(a, b)) {
			this.ticker.advance(2 * TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
			channel.runScheduledPendingTasks();
			assertThat(channel.isOpen()).isTrue();
		}
		assertThat(listenerA.rejected).isEmpty();
		assertThat(listenerB.rejected).isEmpty();
		assertThat(a.finish()).isFalse();
		assertThat(b.finish()).isFalse();
	}

	@Test
	void handshakeShouldSendHelloWithVersionKeyAndFreshNonce() {
		EmbeddedChannel first = channel(this.keyA, new RecordingListener());
		EmbeddedChannel second = channel(this.keyA, new RecordingListener());
		Hello one = readHello(first);
		Hello two = readHello(second);
		assertThat(one.key()).isEqualTo(this.keyA.publicKey());
		assertThat(one.nonce()).hasSize(Wire.NONCE_LENGTH).isNotEqualTo(two.nonce());
	}

	@Test
	void handshakeWhenPeerIsNotAdmittedShouldRejectWithUnknownPeer() {
		RecordingListener listenerA = new RecordingListener();
		RecordingListener listenerB = new RecordingListener(this.keyA);
		EmbeddedChannel a = channel(this.keyA, listenerA);
		EmbeddedChannel b = channel(this.keyB, listenerB);
		exchange(a, b, UnaryOperator.identity());
		assertRejectedOnce(a, listenerA, RejectReason.UNKNOWN_PEER);
		assertThat(listenerA.details).singleElement().asString().contains(this.keyB.publicKeyBase64());
		assertThat(listenerA.peerKeys).containsExactly(this.keyB.publicKeyBase64());
		assertThat(listenerB.authenticated).isEmpty();
		assertThat(a.finish()).isFalse();
		assertThat(b.finish()).isFalse();
	}

	@Test
	void handshakeWhenPeerPresentsOwnKeyShouldRejectWithSelf() {
		RecordingListener listenerA = new RecordingListener(this.keyA);
		RecordingListener listenerB = new RecordingListener(this.keyA);
		EmbeddedChannel a = channel(this.keyA, listenerA);
		EmbeddedChannel b = channel(this.keyA, listenerB);
		exchange(a, b, UnaryOperator.identity());
		assertRejectedOnce(a, listenerA, RejectReason.SELF);
		assertRejectedOnce(b, listenerB, RejectReason.SELF);
		assertThat(a.finish()).isFalse();
		assertThat(b.finish()).isFalse();
	}

	@Test
	void handshakeWhenSignatureTamperedShouldRejectWithBadSignature() {
		RecordingListener listenerA = new RecordingListener(this.keyB);
		RecordingListener listenerB = new RecordingListener(this.keyA);
		EmbeddedChannel a = channel(this.keyA, listenerA);
		EmbeddedChannel b = channel(this.keyB, listenerB);
		exchange(a, b, HandshakeHandlerTests::tamperAuth);
		assertRejectedOnce(b, listenerB, RejectReason.BAD_SIGNATURE);
		assertThat(listenerB.authenticated).isEmpty();
		assertThat(b.finish()).isFalse();
	}

	@Test
	void handshakeWhenSignatureWasMadeForAnotherVerifierShouldRejectWithBadSignature() {
		// A relayed handshake: B's signature over A's nonce, but addressed to a third node.
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		Hello helloA = readHello(a);
		byte[] thirdKey = NodeKey.generate().publicKey();
		a.writeInbound(hello(this.keyB, Wire.VERSION));
		assertThat(a.releaseOutbound()).isTrue();
		a.writeInbound(auth(this.keyB.sign(Wire.authTranscript(helloA.nonce(), this.keyB.publicKey(), thirdKey))));
		assertRejectedOnce(a, listener, RejectReason.BAD_SIGNATURE);
		assertThat(listener.authenticated).isEmpty();
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenSignatureIsReplayedFromAnotherSessionShouldRejectWithBadSignature() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		byte[] oldNonce = new byte[Wire.NONCE_LENGTH];
		a.writeInbound(hello(this.keyB, Wire.VERSION));
		assertThat(a.releaseOutbound()).isTrue();
		a.writeInbound(auth(this.keyB.sign(Wire.authTranscript(oldNonce, this.keyB.publicKey(),
				this.keyA.publicKey()))));
		assertRejectedOnce(a, listener, RejectReason.BAD_SIGNATURE);
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenSignedByHandShouldAuthenticate() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		Hello helloA = readHello(a);
		a.writeInbound(hello(this.keyB, Wire.VERSION));
		ByteBuf authA = a.readOutbound();
		assertThat(authA.readInt()).isEqualTo(Wire.AUTH_LENGTH);
		assertThat(authA.readByte()).isEqualTo(Wire.AUTH);
		authA.release();
		a.writeInbound(auth(this.keyB.sign(Wire.authTranscript(helloA.nonce(), this.keyB.publicKey(),
				this.keyA.publicKey()))));
		assertThat(listener.authenticated).containsExactly(this.keyB.publicKeyBase64());
		assertThat(listener.rejected).isEmpty();
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenNoCompletionWithinTimeoutShouldRejectWithHandshakeTimeout() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		this.ticker.advance(TIMEOUT_MILLIS - 1, TimeUnit.MILLISECONDS);
		a.runScheduledPendingTasks();
		assertThat(a.isOpen()).isTrue();
		assertThat(listener.rejected).isEmpty();
		this.ticker.advance(1, TimeUnit.MILLISECONDS);
		a.runScheduledPendingTasks();
		assertRejectedOnce(a, listener, RejectReason.HANDSHAKE_TIMEOUT);
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenOnlyHelloArrivesShouldStillTimeOut() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		a.writeInbound(hello(this.keyB, Wire.VERSION));
		assertThat(a.releaseOutbound()).isTrue();
		this.ticker.advance(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		a.runScheduledPendingTasks();
		assertRejectedOnce(a, listener, RejectReason.HANDSHAKE_TIMEOUT);
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenFrameIsOversizedShouldRejectWithOversizedFrame() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		ByteBuf header = Unpooled.buffer(4).writeInt(MAX_FRAME + 1);
		a.writeInbound(header);
		assertThat(header.refCnt()).isZero();
		assertRejectedOnce(a, listener, RejectReason.OVERSIZED_FRAME);
		assertThat(listener.details).singleElement().asString().contains("exceeds the limit");
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenFrameLengthIsZeroShouldRejectAsMalformed() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		a.writeInbound(Unpooled.buffer(4).writeInt(0));
		assertRejectedOnce(a, listener, RejectReason.MALFORMED);
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenGarbageArrivesShouldRejectAsMalformed() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		a.writeInbound(frame((byte) 0x7f, new byte[] { 1, 2, 3, 4, 5 }));
		assertRejectedOnce(a, listener, RejectReason.MALFORMED);
		assertThat(listener.details).singleElement().asString().contains("type 127");
		assertThat(listener.peerKeys).containsExactly((String) null);
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenAuthComesBeforeHelloShouldRejectAsMalformed() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		Hello helloA = readHello(a);
		a.writeInbound(auth(this.keyB.sign(Wire.authTranscript(helloA.nonce(), this.keyB.publicKey(),
				this.keyA.publicKey()))));
		assertRejectedOnce(a, listener, RejectReason.MALFORMED);
		assertThat(listener.authenticated).isEmpty();
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenHelloIsRepeatedShouldRejectAsMalformed() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		a.writeInbound(hello(this.keyB, Wire.VERSION));
		assertThat(a.releaseOutbound()).isTrue();
		a.writeInbound(hello(this.keyB, Wire.VERSION));
		assertRejectedOnce(a, listener, RejectReason.MALFORMED);
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenProtocolMessageComesBeforeAuthShouldRejectAsMalformed() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		a.writeInbound(hello(this.keyB, Wire.VERSION));
		assertThat(a.releaseOutbound()).isTrue();
		a.writeInbound(frame(Wire.PROTOCOL, new byte[] { 4, 'p', 'i', 'n', 'g' }));
		assertRejectedOnce(a, listener, RejectReason.MALFORMED);
		assertThat(listener.authenticated).isEmpty();
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenVersionIsUnsupportedShouldRejectAsMalformed() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		a.writeInbound(hello(this.keyB, (byte) (Wire.VERSION + 1)));
		assertRejectedOnce(a, listener, RejectReason.MALFORMED);
		assertThat(listener.details).singleElement().asString().contains("unsupported protocol version 2");
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenHelloIsTruncatedShouldRejectAsMalformed() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		ByteBuf hello = hello(this.keyB, Wire.VERSION);
		hello.skipBytes(4);
		a.writeInbound(frame(hello.readByte(), readAll(hello.readSlice(hello.readableBytes() - 1))));
		hello.release();
		assertRejectedOnce(a, listener, RejectReason.MALFORMED);
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenValidAuthFollowsABadFrameInTheSameReadShouldStayRejected() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		Hello helloA = readHello(a);
		ByteBuf validAuth = auth(this.keyB.sign(Wire.authTranscript(helloA.nonce(), this.keyB.publicKey(),
				this.keyA.publicKey())));
		a.writeInbound(Unpooled.wrappedBuffer(hello(this.keyB, Wire.VERSION), frame((byte) 0x7f, new byte[3]),
				validAuth));
		assertRejectedOnce(a, listener, RejectReason.MALFORMED);
		assertThat(listener.authenticated).isEmpty();
		assertThat(a.releaseOutbound()).isTrue();
		assertThat(a.finish()).isFalse();
	}

	@Test
	void handshakeWhenConnectionFailsShouldCloseWithoutCountingARejection() {
		RecordingListener listener = new RecordingListener(this.keyB);
		EmbeddedChannel a = channel(this.keyA, listener);
		readHello(a);
		a.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
		assertThat(a.isOpen()).isFalse();
		assertThat(a.attr(Connection.CLOSE_REASON).get()).isEqualTo(RejectReason.CLOSED_BY_PEER);
		assertThat(listener.rejected).isEmpty();
		assertThat(a.finish()).isFalse();
	}

	private EmbeddedChannel channel(NodeKey key, HandshakeHandler.Listener listener) {
		// A clock of the test's own from before the channel is active (where the handshake timeout
		// is scheduled): only the test moves it, however loaded the machine is.
		EmbeddedChannel channel = EmbeddedChannel.builder()
			.ticker(this.ticker)
			.handlers(new FrameDecoder(() -> MAX_FRAME), new HandshakeHandler(key, TIMEOUT_MILLIS, listener),
					ExceptionHandler.INSTANCE)
			.build();
		this.channels.add(channel);
		return channel;
	}

	/**
	 * Moves bytes both ways until neither side has anything left to send; bytes for a closed
	 * side are dropped (released), as the network would.
	 */
	private static void exchange(EmbeddedChannel a, EmbeddedChannel b, UnaryOperator<ByteBuf> fromAToB) {
		boolean moved = true;
		while (moved) {
			moved = transfer(a, b, fromAToB) | transfer(b, a, UnaryOperator.identity());
		}
	}

	private static boolean transfer(EmbeddedChannel from, EmbeddedChannel to, UnaryOperator<ByteBuf> filter) {
		boolean moved = false;
		for (ByteBuf bytes = from.readOutbound(); bytes != null; bytes = from.readOutbound()) {
			moved = true;
			if (to.isOpen()) {
				to.writeInbound(filter.apply(bytes));
			}
			else {
				bytes.release();
			}
		}
		return moved;
	}

	/** Flips a bit of the signature in an AUTH frame; other frames pass unchanged. */
	private static ByteBuf tamperAuth(ByteBuf frame) {
		if (frame.getByte(frame.readerIndex() + 4) == Wire.AUTH) {
			int index = frame.readerIndex() + 4 + 1 + 10;
			frame.setByte(index, frame.getByte(index) ^ 0x01);
		}
		return frame;
	}

	private void assertRejectedOnce(EmbeddedChannel channel, RecordingListener listener, RejectReason reason) {
		assertThat(channel.isOpen()).isFalse();
		assertThat(channel.attr(Connection.CLOSE_REASON).get()).isEqualTo(reason);
		assertThat(listener.rejected).containsExactly(reason);
		// Nothing left to fire later: the timeout was cancelled with the rejection.
		this.ticker.advance(2 * TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
		channel.runScheduledPendingTasks();
		assertThat(listener.rejected).containsExactly(reason);
	}

	private static Hello readHello(EmbeddedChannel channel) {
		ByteBuf frame = channel.readOutbound();
		try {
			assertThat(frame.readInt()).isEqualTo(Wire.HELLO_LENGTH);
			assertThat(frame.readByte()).isEqualTo(Wire.HELLO);
			assertThat(frame.readByte()).isEqualTo(Wire.VERSION);
			byte[] key = new byte[Wire.KEY_LENGTH];
			byte[] nonce = new byte[Wire.NONCE_LENGTH];
			frame.readBytes(key).readBytes(nonce);
			assertThat(frame.isReadable()).isFalse();
			return new Hello(key, nonce);
		}
		finally {
			frame.release();
		}
	}

	static ByteBuf hello(NodeKey key, byte version) {
		ByteBuf body = Unpooled.buffer(Wire.HELLO_LENGTH - 1);
		body.writeByte(version).writeBytes(key.publicKey()).writeBytes(new byte[Wire.NONCE_LENGTH]);
		return frame(Wire.HELLO, readAll(body));
	}

	static ByteBuf auth(byte[] signature) {
		return frame(Wire.AUTH, signature);
	}

	static ByteBuf frame(byte type, byte[] body) {
		return Unpooled.buffer(5 + body.length).writeInt(1 + body.length).writeByte(type).writeBytes(body);
	}

	private static byte[] readAll(ByteBuf buffer) {
		byte[] bytes = new byte[buffer.readableBytes()];
		buffer.readBytes(bytes);
		return bytes;
	}

	private record Hello(byte[] key, byte[] nonce) {
	}

	/** Admits the given keys and records what the handshake reports, in order. */
	static final class RecordingListener implements HandshakeHandler.Listener {

		private final Set<String> admitted;

		final List<String> authenticated = new ArrayList<>();

		final List<RejectReason> rejected = new ArrayList<>();

		final List<String> details = new ArrayList<>();

		final List<@Nullable String> peerKeys = new ArrayList<>();

		RecordingListener(NodeKey... admitted) {
			this.admitted = Arrays.stream(admitted).map(NodeKey::publicKeyBase64).collect(Collectors.toSet());
		}

		@Override
		public boolean admits(String peerKey) {
			return this.admitted.contains(peerKey);
		}

		@Override
		public void authenticated(ChannelHandlerContext ctx, String peerKey) {
			assertThat(Base64.getDecoder().decode(peerKey)).hasSize(Wire.KEY_LENGTH);
			this.authenticated.add(peerKey);
		}

		@Override
		public void rejected(ChannelHandlerContext ctx, RejectReason reason, @Nullable String peerKey, String detail) {
			this.rejected.add(reason);
			this.peerKeys.add(peerKey);
			this.details.add(detail);
		}

	}

}
