package org.btcfed.node.network.noise;

import java.util.Arrays;
import java.util.List;

import org.btcfed.node.network.noise.NoiseException.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The XX state machine against the published cacophony test vector for
 * {@code Noise_XX_25519_ChaChaPoly_SHA256} (as shipped in snow's {@code tests/vectors/cacophony.txt}):
 * handshake messages, handshake hash and transport ciphertexts byte for byte, in both roles.
 */
class XxHandshakeTests {

	private static final byte[] PROLOGUE = Hex.bytes("4a6f686e2047616c74");

	private static final byte[] INIT_STATIC = Hex.bytes("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1");

	private static final byte[] INIT_EPHEMERAL = Hex
		.bytes("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a");

	private static final byte[] RESP_STATIC = Hex.bytes("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");

	private static final byte[] RESP_EPHEMERAL = Hex
		.bytes("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b");

	private static final String HANDSHAKE_HASH = "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e";

	/** Payload and ciphertext of each message; initiator and responder take turns, initiator first. */
	private static final List<String[]> MESSAGES = List.of(
			new String[] { "4c756477696720766f6e204d69736573",
					"ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573" },
			new String[] { "4d757272617920526f746862617264",
					"95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b65285e08d6b68aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db50f8814c7194e83f23dbd8d162c9326ad" },
			new String[] { "462e20412e20486179656b",
					"c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f58c9fea0d4ec82a286427402f113e4b6ae769a1d95941d49b25030" },
			new String[] { "4361726c204d656e676572", "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df" },
			new String[] { "4a65616e2d426170746973746520536179",
					"3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5" },
			new String[] { "457567656e2042f6686d20766f6e2042617765726b",
					"eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f" });

	@Test
	void handshakeWhenRunWithCacophonyVectorShouldProduceItsMessagesHashAndTransportCiphertexts() {
		XxHandshake initiator = new XxHandshake(true, PROLOGUE, X25519.fromPrivate(INIT_STATIC),
				X25519.fromPrivate(INIT_EPHEMERAL));
		XxHandshake responder = new XxHandshake(false, PROLOGUE, X25519.fromPrivate(RESP_STATIC),
				X25519.fromPrivate(RESP_EPHEMERAL));
		for (int i = 0; i < 3; i++) {
			XxHandshake writer = (i % 2 == 0) ? initiator : responder;
			XxHandshake reader = (i % 2 == 0) ? responder : initiator;
			assertThat(writer.isWriteTurn()).isTrue();
			assertThat(reader.isWriteTurn()).isFalse();
			byte[] message = writer.writeMessage(Hex.bytes(MESSAGES.get(i)[0]));
			assertThat(Hex.of(message)).as("message %d", i + 1).isEqualTo(MESSAGES.get(i)[1]);
			assertThat(Hex.of(reader.readMessage(message))).isEqualTo(MESSAGES.get(i)[0]);
		}
		assertThat(initiator.isComplete()).isTrue();
		assertThat(responder.isComplete()).isTrue();
		assertThat(Hex.of(initiator.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
		assertThat(Hex.of(responder.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
		assertThat(initiator.remoteStatic()).isEqualTo(X25519.fromPrivate(RESP_STATIC).publicKey());
		assertThat(responder.remoteStatic()).isEqualTo(X25519.fromPrivate(INIT_STATIC).publicKey());
		for (int i = 3; i < MESSAGES.size(); i++) {
			XxHandshake writer = (i % 2 == 0) ? initiator : responder;
			XxHandshake reader = (i % 2 == 0) ? responder : initiator;
			byte[] ciphertext = writer.sender().encrypt(new byte[0], Hex.bytes(MESSAGES.get(i)[0]));
			assertThat(Hex.of(ciphertext)).as("transport message %d", i + 1).isEqualTo(MESSAGES.get(i)[1]);
			assertThat(Hex.of(reader.receiver().decrypt(new byte[0], ciphertext))).isEqualTo(MESSAGES.get(i)[0]);
		}
	}

	@Test
	void writeMessageWhenItIsTheRemotesTurnShouldRefuse() {
		XxHandshake responder = new XxHandshake(false, new byte[0], X25519.generate(), X25519.generate());
		assertThatIllegalStateException().isThrownBy(() -> responder.writeMessage(new byte[0]))
			.withMessage("Noise message 1 is not ours to write");
		assertThatIllegalStateException().isThrownBy(responder::sender)
			.withMessage("the Noise handshake is not complete");
		assertThatIllegalStateException().isThrownBy(responder::remoteStatic)
			.withMessage("the remote key is not known yet");
	}

	@Test
	void readMessageWhenItIsOurTurnOrTheHandshakeIsOverShouldRefuse() {
		XxHandshake initiator = new XxHandshake(true, new byte[0], X25519.generate(), X25519.generate());
		assertThatIllegalStateException().isThrownBy(() -> initiator.readMessage(new byte[32]))
			.withMessage("Noise message 1 is not the remote's to send");
	}

	@Test
	void readMessageWhenMessageTwoIsShortShouldFailAsMalformed() {
		XxHandshake initiator = new XxHandshake(true, new byte[0], X25519.generate(), X25519.generate());
		XxHandshake responder = new XxHandshake(false, new byte[0], X25519.generate(), X25519.generate());
		responder.readMessage(initiator.writeMessage(new byte[0]));
		byte[] message = responder.writeMessage(new byte[0]);
		assertThat(message).hasSize(96);
		assertThatExceptionOfType(NoiseException.class)
			.isThrownBy(() -> initiator.readMessage(Arrays.copyOf(message, 95)))
			.withMessage("Noise handshake message 2 is 95 bytes, shorter than the 96 it must hold")
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.MALFORMED);
	}

	@Test
	void readMessageWhenProloguesDifferShouldFailToDecrypt() {
		XxHandshake initiator = new XxHandshake(true, PROLOGUE, X25519.generate(), X25519.generate());
		XxHandshake responder = new XxHandshake(false, new byte[0], X25519.generate(), X25519.generate());
		responder.readMessage(initiator.writeMessage(new byte[0]));
		byte[] message = responder.writeMessage(new byte[0]);
		assertThatExceptionOfType(NoiseException.class).isThrownBy(() -> initiator.readMessage(message))
			.extracting(NoiseException::kind)
			.isEqualTo(Kind.DECRYPTION_FAILED);
	}

	@Test
	void readMessageWhenMessageOneIsShortShouldFailAsMalformed() {
		XxHandshake responder = new XxHandshake(false, new byte[0], X25519.generate(), X25519.generate());
		assertThatExceptionOfType(NoiseException.class).isThrownBy(() -> responder.readMessage(new byte[31]))
			.withMessage("Noise handshake message 1 is 31 bytes, shorter than the 32 it must hold");
	}

}
