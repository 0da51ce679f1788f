package org.btcfed.node.network.noise;

import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.noise.NoiseException.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The libp2p handshake without Netty: message sizes, the payload's bytes, the identities both
 * sides learn, and the state after a failure.
 */
class NoiseHandshakeTests {

	private final NodeKey initiatorKey = NodeKey.generate();

	private final NodeKey responderKey = NodeKey.generate();

	private final NoiseHandshake initiator = NoiseHandshake.initiator(this.initiatorKey);

	private final NoiseHandshake responder = NoiseHandshake.responder(this.responderKey);

	@Test
	void handshakeShouldExchangeMessagesOf32And200And168BytesAndAgreeOnKeys() {
		assertThat(this.initiator.isInitiator()).isTrue();
		assertThat(this.responder.isInitiator()).isFalse();
		assertThat(this.initiator.isWriteTurn()).isTrue();
		assertThat(this.responder.isWriteTurn()).isFalse();
		byte[] message1 = this.initiator.writeMessage();
		assertThat(message1).hasSize(32);
		this.responder.readMessage(message1);
		byte[] message2 = this.responder.writeMessage();
		assertThat(message2).hasSize(200);
		this.initiator.readMessage(message2);
		assertThat(this.initiator.remotePublicKey()).isEqualTo(this.responderKey.publicKey());
		assertThat(this.initiator.isComplete()).isFalse();
		byte[] message3 = this.initiator.writeMessage();
		assertThat(message3).hasSize(168);
		assertThat(this.initiator.isComplete()).isTrue();
		this.responder.readMessage(message3);
		assertThat(this.responder.isComplete()).isTrue();
		assertThat(this.responder.isWriteTurn()).isFalse();
		assertThat(this.responder.remotePublicKey()).isEqualTo(this.initiatorKey.publicKey());
		assertThat(this.initiator.handshakeHash()).isEqualTo(this.responder.handshakeHash());
		byte[] ciphertext = this.initiator.sender().encrypt(new byte[0], "ping".getBytes());
		assertThat(this.responder.receiver().decrypt(new byte[0], ciphertext)).isEqualTo("ping".getBytes());
		ciphertext = this.responder.sender().encrypt(new byte[0], "pong".getBytes());
		assertThat(this.initiator.receiver().decrypt(new byte[0], ciphertext)).isEqualTo("pong".getBytes());
	}

	@Test
	void writeMessageShouldCarryTheLibp2pPayloadWithIdentityKeyAndSignature() {
		X25519.KeyPair staticKey = X25519.generate();
		NoiseHandshake responder = new NoiseHandshake(false, this.responderKey, staticKey, X25519.generate());
		XxHandshake remote = new XxHandshake(true, new byte[0], X25519.generate(), X25519.generate());
		responder.readMessage(remote.writeMessage(new byte[0]));
		byte[] payload = remote.readMessage(responder.writeMessage());
		byte[] signature = this.responderKey.sign(HandshakePayload.signedBytes(staticKey.publicKey()));
		assertThat(Hex.of(payload))
			.isEqualTo("0a24" + "08011220" + Hex.of(this.responderKey.publicKey()) + "1240" + Hex.of(signature));
		assertThat(HandshakePayload.signedBytes(staticKey.publicKey()))
			.startsWith("noise-libp2p-static-key:".getBytes())
			.hasSize(24 + 32);
		assertThat(remote.remoteStatic()).isEqualTo(staticKey.publicKey());
	}

	@Test
	void remotePublicKeyWhenNotYetReceivedShouldRefuse() {
		assertThatIllegalStateException().isThrownBy(this.initiator::remotePublicKey)
			.withMessage("the remote's identity is not known yet");
	}

	@Test
	void handshakeWhenTheLastPayloadFailsShouldNotBeCompleteAndRefuseFurtherUse() {
		this.responder.readMessage(this.initiator.writeMessage());
		byte[] message2 = this.responder.writeMessage();
		NoiseHandshake other = NoiseHandshake.initiator(this.initiatorKey);
		other.writeMessage();
		assertThatExceptionOfType(NoiseException.class).isThrownBy(() -> other.readMessage(message2))
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.DECRYPTION_FAILED);
		assertThat(other.isComplete()).isFalse();
		assertThat(other.isWriteTurn()).isFalse();
		assertThatIllegalStateException().isThrownBy(other::writeMessage).withMessage("the Noise handshake failed");
		assertThatIllegalStateException().isThrownBy(() -> other.readMessage(message2))
			.withMessage("the Noise handshake failed");
		assertThatIllegalStateException().isThrownBy(other::sender);
		assertThatIllegalStateException().isThrownBy(other::receiver);
	}

	@Test
	void readMessageWhenMessageThreeIsSignedForAnotherStaticKeyShouldFailAndNotComplete() {
		XxHandshake remote = new XxHandshake(true, new byte[0], X25519.generate(), X25519.generate());
		this.responder.readMessage(remote.writeMessage(new byte[0]));
		remote.readMessage(this.responder.writeMessage());
		byte[] message3 = remote.writeMessage(HandshakePayload.encode(this.initiatorKey, new byte[32]));
		assertThatExceptionOfType(NoiseException.class).isThrownBy(() -> this.responder.readMessage(message3))
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.BAD_SIGNATURE);
		assertThat(this.responder.isComplete()).isFalse();
	}

}
