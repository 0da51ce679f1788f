package org.btcfed.node.network.noise;

import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.noise.NoiseException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every malformed, forged or corrupted input a {@link NoiseHandler} can meet, in either role:
 * each raises a {@link NoiseException} of the right {@link Kind}, no event is fired, the input
 * buffer is released and later input is discarded. The remote is played by the bare
 * {@link XxHandshake}, so its payloads can be anything.
 */
class NoiseHandlerFailureTests {

	private final NodeKey localKey = NodeKey.generate();

	private final NodeKey remoteKey = NodeKey.generate();

	private final EmbeddedChannel initiator = new EmbeddedChannel(new NoiseHandler(true, this.localKey),
			new NoisePipes.Events());

	private final EmbeddedChannel responder = new EmbeddedChannel(new NoiseHandler(false, this.localKey),
			new NoisePipes.Events());

	private final X25519.KeyPair remoteStatic = X25519.generate();

	@AfterEach
	void tearDown() {
		this.initiator.finishAndReleaseAll();
		this.responder.finishAndReleaseAll();
	}

	@Test
	void messageTwoWhenGarbageShouldFailToDecrypt() {
		fakeResponder();
		assertFails(this.initiator, frame(NoiseHandlerTests.random(200, 9)), Kind.DECRYPTION_FAILED,
				"Noise message does not authenticate (bad ChaCha20-Poly1305 tag)");
	}

	@Test
	void messageTwoWhenTooShortShouldBeMalformed() {
		fakeResponder();
		assertFails(this.initiator, frame(new byte[50]), Kind.MALFORMED,
				"Noise handshake message 2 is 50 bytes, shorter than the 96 it must hold");
	}

	@Test
	void messageTwoWhenEmptyFrameShouldBeMalformed() {
		fakeResponder();
		assertFails(this.initiator, frame(new byte[0]), Kind.MALFORMED,
				"Noise handshake message 2 is 0 bytes, shorter than the 96 it must hold");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 31, 32, 79, 80, 150, 199 })
	void messageTwoWhenABitIsFlippedShouldFailToDecrypt(int index) {
		XxHandshake remote = fakeResponder();
		byte[] message2 = remote.writeMessage(HandshakePayload.encode(this.remoteKey, this.remoteStatic.publicKey()));
		assertThat(message2).hasSize(200);
		message2[index] ^= 0x04;
		assertFails(this.initiator, frame(message2), Kind.DECRYPTION_FAILED,
				"Noise message does not authenticate (bad ChaCha20-Poly1305 tag)");
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 47, 48, 167 })
	void messageThreeWhenABitIsFlippedShouldFailToDecrypt(int index) {
		XxHandshake remote = fakeInitiator();
		byte[] message3 = remote.writeMessage(HandshakePayload.encode(this.remoteKey, this.remoteStatic.publicKey()));
		assertThat(message3).hasSize(168);
		message3[index] ^= 0x80;
		assertFails(this.responder, frame(message3), Kind.DECRYPTION_FAILED,
				"Noise message does not authenticate (bad ChaCha20-Poly1305 tag)");
	}

	@Test
	void messageTwoWhenSignedByAnotherKeyShouldBeABadSignature() {
		XxHandshake remote = fakeResponder();
		byte[] signature = NodeKey.generate().sign(HandshakePayload.signedBytes(this.remoteStatic.publicKey()));
		byte[] payload = HandshakePayload.encode(Libp2pKeys.publicKeyProtobuf(this.remoteKey.publicKey()), signature);
		assertFails(this.initiator, frame(remote.writeMessage(payload)), Kind.BAD_SIGNATURE,
				"Noise handshake payload's signature over the static key does not verify with its identity key");
	}

	@Test
	void messageThreeWhenSignatureCoversAnotherStaticKeyShouldBeABadSignature() {
		XxHandshake remote = fakeInitiator();
		byte[] payload = HandshakePayload.encode(this.remoteKey, X25519.generate().publicKey());
		assertFails(this.responder, frame(remote.writeMessage(payload)), Kind.BAD_SIGNATURE,
				"Noise handshake payload's signature over the static key does not verify with its identity key");
	}

	@Test
	void messageThreeWhenSignatureIsTruncatedShouldBeABadSignature() {
		XxHandshake remote = fakeInitiator();
		byte[] signature = this.remoteKey.sign(HandshakePayload.signedBytes(this.remoteStatic.publicKey()));
		byte[] payload = HandshakePayload.encode(Libp2pKeys.publicKeyProtobuf(this.remoteKey.publicKey()),
				Arrays.copyOf(signature, 63));
		assertFails(this.responder, frame(remote.writeMessage(payload)), Kind.BAD_SIGNATURE,
				"Noise handshake payload's signature over the static key does not verify with its identity key");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0800", "0802", "0803", "0807" })
	void messageTwoWhenIdentityKeyIsNotEd25519ShouldBeUnsupported(String typeField) {
		XxHandshake remote = fakeResponder();
		byte[] identityKey = X25519.concat(Hex.bytes(typeField + "1221"), new byte[33]);
		byte[] payload = HandshakePayload.encode(identityKey, new byte[64]);
		NoiseException failure = assertFails(this.initiator, frame(remote.writeMessage(payload)), Kind.UNSUPPORTED_KEY,
				null);
		assertThat(failure.getMessage()).startsWith("libp2p key type ").endsWith(" is not supported, only Ed25519");
	}

	@Test
	void messageThreeWhenPayloadLacksTheSignatureShouldBeMalformed() {
		XxHandshake remote = fakeInitiator();
		byte[] payload = X25519.concat(Hex.bytes("0a24"), Libp2pKeys.publicKeyProtobuf(this.remoteKey.publicKey()));
		assertFails(this.responder, frame(remote.writeMessage(payload)), Kind.MALFORMED,
				"Noise handshake payload lacks its identity_sig (field 2)");
	}

	@Test
	void messageThreeWhenPayloadLacksTheKeyShouldBeMalformed() {
		XxHandshake remote = fakeInitiator();
		byte[] payload = X25519.concat(Hex.bytes("1240"), new byte[64]);
		assertFails(this.responder, frame(remote.writeMessage(payload)), Kind.MALFORMED,
				"Noise handshake payload lacks its identity_key (field 1)");
	}

	@Test
	void messageTwoWhenPayloadIsEmptyShouldBeMalformed() {
		XxHandshake remote = fakeResponder();
		assertFails(this.initiator, frame(remote.writeMessage(new byte[0])), Kind.MALFORMED,
				"Noise handshake payload lacks its identity_key (field 1)");
	}

	@Test
	void messageTwoWhenPayloadIsNotAProtobufShouldBeMalformed() {
		XxHandshake remote = fakeResponder();
		assertFails(this.initiator, frame(remote.writeMessage(Hex.bytes("0a7f0102"))), Kind.MALFORMED,
				"Noise handshake payload is not a valid protobuf");
	}

	@Test
	void messageTwoWhenIdentityKeyHasTheWrongWireTypeShouldBeMalformed() {
		XxHandshake remote = fakeResponder();
		assertFails(this.initiator, frame(remote.writeMessage(Hex.bytes("0801"))), Kind.MALFORMED,
				"Noise handshake payload has field 1 with the wrong wire type");
	}

	@Test
	void messageTwoWhenIdentityKeyIsShortShouldBeMalformed() {
		XxHandshake remote = fakeResponder();
		byte[] payload = HandshakePayload.encode(Hex.bytes("08011201aa"), new byte[64]);
		assertFails(this.initiator, frame(remote.writeMessage(payload)), Kind.MALFORMED,
				"libp2p Ed25519 key is 1 bytes, not 32");
	}

	@Test
	void messageTwoWhenPayloadCarriesExtensionsAndUnknownFieldsShouldSkipThemAndEstablish() {
		XxHandshake remote = fakeResponder();
		byte[] extensions = X25519.concat(Hex.bytes("220e120c"), "/yamux/1.0.0".getBytes());
		byte[] payload = X25519.concat(
				X25519.concat(HandshakePayload.encode(this.remoteKey, this.remoteStatic.publicKey()), extensions),
				Hex.bytes("1a03616263"));
		this.initiator.writeInbound(Unpooled.wrappedBuffer(frame(remote.writeMessage(payload))));
		assertThat(events(this.initiator)).containsExactly(new NoiseHandler.Established(this.remoteKey.publicKey()));
		assertThat(NoisePipes.nextOutbound(this.initiator)).hasSize(2 + 168);
	}

	@Test
	void messageOneWhenEphemeralKeyIsALowOrderPointShouldBeMalformed() {
		assertFails(this.responder, frame(new byte[32]), Kind.MALFORMED,
				"remote X25519 key is unusable (low-order point)");
	}

	@Test
	void messageOneWhenItCarriesAPayloadShouldIgnoreIt() {
		XxHandshake remote = new XxHandshake(true, new byte[0], this.remoteStatic, X25519.generate());
		this.responder.writeInbound(Unpooled.wrappedBuffer(frame(remote.writeMessage("early".getBytes()))));
		byte[] message2 = NoisePipes.nextOutbound(this.responder);
		assertThat(message2).hasSize(202);
		assertThat(HandshakePayload.verify(remote.readMessage(Arrays.copyOfRange(message2, 2, message2.length)),
				remote.remoteStatic())).isEqualTo(this.localKey.publicKey());
	}

	@Test
	void transportWhenABitIsFlippedShouldFailToDecryptAndDiscardWhatFollows() {
		XxHandshake remote = establishedRemoteInitiator();
		byte[] good = remote.sender().encrypt(new byte[0], "good".getBytes());
		byte[] bad = remote.sender().encrypt(new byte[0], "bad".getBytes());
		bad[bad.length - 1] ^= 1;
		byte[] later = remote.sender().encrypt(new byte[0], "later".getBytes());
		this.responder.writeInbound(Unpooled.wrappedBuffer(frame(good)));
		assertThat(NoisePipes.allInbound(this.responder)).isEqualTo("good".getBytes());
		assertFails(this.responder, X25519.concat(frame(bad), frame(later)), Kind.DECRYPTION_FAILED,
				"Noise message does not authenticate (bad ChaCha20-Poly1305 tag)");
	}

	@Test
	void transportWhenFrameIsShorterThanTheTagShouldBeMalformed() {
		establishedRemoteInitiator();
		assertFails(this.responder, frame(new byte[15]), Kind.MALFORMED,
				"Noise transport message is 15 bytes, shorter than its 16-byte tag");
	}

	@Test
	void transportWhenFrameHasTheLargestLengthButIsForgedShouldFailToDecrypt() {
		establishedRemoteInitiator();
		assertFails(this.responder, frame(new byte[65535]), Kind.DECRYPTION_FAILED,
				"Noise message does not authenticate (bad ChaCha20-Poly1305 tag)");
	}

	@Test
	void transportWhenFrameHasTheLargestPlaintextShouldDeliverIt() {
		XxHandshake remote = establishedRemoteInitiator();
		byte[] data = NoiseHandlerTests.random(NoiseHandler.MAX_PLAINTEXT, 5);
		byte[] framed = frame(remote.sender().encrypt(new byte[0], data));
		assertThat(framed).hasSize(65537);
		this.responder.writeInbound(Unpooled.wrappedBuffer(framed));
		assertThat(NoisePipes.allInbound(this.responder)).isEqualTo(data);
	}

	@Test
	void transportWhenFrameIsEmptyPlaintextShouldPassNothingOn() {
		XxHandshake remote = establishedRemoteInitiator();
		this.responder.writeInbound(Unpooled.wrappedBuffer(frame(remote.sender().encrypt(new byte[0], new byte[0]))));
		assertThat((Object) this.responder.readInbound()).isNull();
	}

	private XxHandshake fakeResponder() {
		XxHandshake remote = new XxHandshake(false, new byte[0], this.remoteStatic, X25519.generate());
		remote.readMessage(unframe(NoisePipes.nextOutbound(this.initiator)));
		return remote;
	}

	private XxHandshake fakeInitiator() {
		XxHandshake remote = new XxHandshake(true, new byte[0], this.remoteStatic, X25519.generate());
		this.responder.writeInbound(Unpooled.wrappedBuffer(frame(remote.writeMessage(new byte[0]))));
		byte[] message2 = unframe(NoisePipes.nextOutbound(this.responder));
		assertThat(HandshakePayload.verify(remote.readMessage(message2), remote.remoteStatic()))
			.isEqualTo(this.localKey.publicKey());
		return remote;
	}

	private XxHandshake establishedRemoteInitiator() {
		XxHandshake remote = fakeInitiator();
		byte[] payload = HandshakePayload.encode(this.remoteKey, this.remoteStatic.publicKey());
		this.responder.writeInbound(Unpooled.wrappedBuffer(frame(remote.writeMessage(payload))));
		assertThat(events(this.responder)).containsExactly(new NoiseHandler.Established(this.remoteKey.publicKey()));
		events(this.responder).clear();
		return remote;
	}

	private NoiseException assertFails(EmbeddedChannel channel, byte[] input, Kind kind, String message) {
		ByteBuf buffer = Unpooled.copiedBuffer(input);
		NoiseException failure = (NoiseException) assertThatExceptionOfType(NoiseException.class)
			.isThrownBy(() -> channel.writeInbound(buffer))
			.actual();
		assertThat(failure.kind()).isEqualTo(kind);
		if (message != null) {
			assertThat(failure).hasMessage(message);
		}
		assertThat(buffer.refCnt()).isZero();
		assertThat(events(channel)).isEmpty();
		assertThat((Object) channel.readInbound()).isNull();
		// Whatever follows is discarded, without another failure.
		ByteBuf after = Unpooled.copiedBuffer(frame(new byte[40]));
		channel.writeInbound(after);
		assertThat(after.refCnt()).isZero();
		assertThat((Object) channel.readInbound()).isNull();
		assertThat(events(channel)).isEmpty();
		return failure;
	}

	private static List<Object> events(EmbeddedChannel channel) {
		return channel.pipeline().get(NoisePipes.Events.class).events;
	}

	static byte[] frame(byte[] message) {
		byte[] framed = new byte[2 + message.length];
		framed[0] = (byte) (message.length >>> 8);
		framed[1] = (byte) message.length;
		System.arraycopy(message, 0, framed, 2, message.length);
		return framed;
	}

	static byte[] unframe(byte[] framed) {
		assertThat(((framed[0] & 0xff) << 8) | (framed[1] & 0xff)).isEqualTo(framed.length - 2);
		return Arrays.copyOfRange(framed, 2, framed.length);
	}

}
