package org.btcfed.node.network;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An authenticated session on an {@link EmbeddedChannel} behind the real {@link FrameDecoder}
 * and in front of the {@link ExceptionHandler}, as {@link ChannelSetup} assembles it.
 */
class SessionHandlerTests {

	private static final int MAX_FRAME = 64;

	private final String peerKey = NodeKey.generate().publicKeyBase64();

	private final RecordingDispatcher dispatcher = new RecordingDispatcher();

	private final EmbeddedChannel channel = new EmbeddedChannel();

	private final Connection connection = session(this.channel, this.dispatcher);

	@AfterEach
	void tearDown() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void sessionWhenProtocolFrameArrivesShouldDispatchItsIdAndPayload() {
		this.channel.writeInbound(protocolFrame("ping", new byte[] { 1, 2, 3 }));
		assertThat(this.dispatcher.messages).containsExactly(new Message(this.connection, "ping", "[1, 2, 3]"));
		assertThat(this.channel.isOpen()).isTrue();
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void sessionWhenSeveralFramesShareABufferShouldDispatchThemInOrder() {
		this.channel.writeInbound(Unpooled.wrappedBuffer(protocolFrame("msg", new byte[] { 1 }),
				protocolFrame("ping", new byte[0]), protocolFrame("msg", new byte[] { 2 })));
		assertThat(this.dispatcher.messages).containsExactly(new Message(this.connection, "msg", "[1]"),
				new Message(this.connection, "ping", "[]"), new Message(this.connection, "msg", "[2]"));
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void sessionWhenFrameIsNotAProtocolMessageShouldCloseAsMalformed() {
		this.channel.writeInbound(frame(Wire.HELLO, new byte[] { 1, 2, 3 }));
		assertClosed(RejectReason.MALFORMED, "expected a protocol message");
	}

	@Test
	void sessionWhenFrameIsOnlyATypeByteShouldCloseAsMalformed() {
		this.channel.writeInbound(frame(Wire.PROTOCOL, new byte[0]));
		assertClosed(RejectReason.MALFORMED, "expected a protocol message");
	}

	@Test
	void sessionWhenProtocolIdIsEmptyShouldCloseAsMalformed() {
		this.channel.writeInbound(frame(Wire.PROTOCOL, new byte[] { 0, 1, 2 }));
		assertClosed(RejectReason.MALFORMED, "bad protocol id length 0");
	}

	@Test
	void sessionWhenProtocolIdIsLongerThanTheFrameShouldCloseAsMalformed() {
		this.channel.writeInbound(frame(Wire.PROTOCOL, new byte[] { 9, 'p', 'i', 'n', 'g' }));
		assertClosed(RejectReason.MALFORMED, "bad protocol id length 9");
	}

	@Test
	void sessionWhenFrameIsOversizedShouldCloseWithOversizedFrame() {
		this.channel.writeInbound(Unpooled.buffer(4).writeInt(MAX_FRAME + 1));
		assertClosed(RejectReason.OVERSIZED_FRAME, "exceeds the limit of 64 bytes");
	}

	@Test
	void sessionWhenFramesFollowAMalformedOneShouldNotDispatchThem() {
		this.channel.writeInbound(Unpooled.wrappedBuffer(protocolFrame("msg", new byte[] { 1 }),
				frame(Wire.AUTH, new byte[] { 0 }), protocolFrame("msg", new byte[] { 2 })));
		assertThat(this.dispatcher.messages).containsExactly(new Message(this.connection, "msg", "[1]"));
		assertClosed(RejectReason.MALFORMED, "expected a protocol message");
	}

	@Test
	void connectionSendShouldWriteAFrameThatTheOtherSessionDispatches() {
		ChannelFuture sent = this.connection.send("msg", "hello".getBytes(StandardCharsets.US_ASCII));
		assertThat(sent.isSuccess()).isTrue();
		ByteBuf bytes = this.channel.readOutbound();
		EmbeddedChannel other = new EmbeddedChannel();
		RecordingDispatcher otherDispatcher = new RecordingDispatcher();
		Connection otherConnection = session(other, otherDispatcher);
		other.writeInbound(bytes);
		assertThat(otherDispatcher.messages)
			.containsExactly(new Message(otherConnection, "msg", "[104, 101, 108, 108, 111]"));
		assertThat(other.finish()).isFalse();
		assertThat(this.channel.finish()).isFalse();
	}

	@Test
	void connectionCloseShouldRecordTheFirstReasonOnly() {
		this.connection.close(RejectReason.REVOKED);
		this.connection.close(RejectReason.SHUTDOWN);
		assertThat(this.connection.isOpen()).isFalse();
		assertThat(this.channel.attr(Connection.CLOSE_REASON).get()).isEqualTo(RejectReason.REVOKED);
		assertThat(this.connection.toString()).contains("c-1", "INBOUND", this.peerKey);
		assertThat(this.channel.finish()).isFalse();
	}

	private Connection session(EmbeddedChannel channel, ProtocolDispatcher dispatcher) {
		Connection connection = new Connection("c-1", this.peerKey, Direction.INBOUND,
				Multiaddr.parse("/ip4/127.0.0.1/tcp/40000"), channel);
		channel.pipeline()
			.addLast(new FrameDecoder(() -> MAX_FRAME))
			.addLast(ChannelSetup.SESSION, new SessionHandler(connection, dispatcher))
			.addLast(ChannelSetup.EXCEPTIONS, ExceptionHandler.INSTANCE);
		return connection;
	}

	private void assertClosed(RejectReason reason, String detail) {
		assertThat(this.channel.isOpen()).isFalse();
		assertThat(this.channel.attr(Connection.CLOSE_REASON).get()).isEqualTo(reason);
		assertThat(this.channel.attr(ChannelSetup.CLOSE_DETAIL).get()).contains(detail);
		assertThat(this.channel.finish()).isFalse();
	}

	static ByteBuf protocolFrame(String protocol, byte[] payload) {
		byte[] id = protocol.getBytes(StandardCharsets.US_ASCII);
		ByteBuf body = Unpooled.buffer().writeByte(id.length).writeBytes(id).writeBytes(payload);
		byte[] bytes = new byte[body.readableBytes()];
		body.readBytes(bytes);
		return frame(Wire.PROTOCOL, bytes);
	}

	static ByteBuf frame(byte type, byte[] body) {
		return Unpooled.buffer(5 + body.length).writeInt(1 + body.length).writeByte(type).writeBytes(body);
	}

	/** A dispatched message; the payload as {@link java.util.Arrays#toString(byte[])} for equality. */
	record Message(Connection connection, String protocol, String payload) {
	}

	/** Records what the session hands to the protocol layer. */
	static final class RecordingDispatcher implements ProtocolDispatcher {

		final List<Message> messages = new ArrayList<>();

		@Override
		public void connected(Connection connection) {
		}

		@Override
		public void message(Connection connection, String protocol, byte[] payload) {
			this.messages.add(new Message(connection, protocol, Arrays.toString(payload)));
		}

		@Override
		public void disconnected(Connection connection) {
		}

	}

}
