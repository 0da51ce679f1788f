package org.btcfed.node.network.noise;

import java.util.Arrays;

import org.btcfed.node.network.noise.NoiseException.Kind;
import org.jspecify.annotations.Nullable;

/**
 * The Noise XX pattern ({@code Noise_XX_25519_ChaChaPoly_SHA256}, Noise spec sections 5.3 and
 * 7.5) with a prologue and raw payloads; it knows nothing of libp2p, so published test vectors
 * run through it unchanged.
 *
 * <pre>
 * -> e
 * &lt;- e, ee, s, es
 * -> s, se
 * </pre>
 *
 * The initiator writes messages 1 and 3 and reads 2; the responder the other way round. After
 * message 3 both sides {@linkplain #sender() send} and {@linkplain #receiver() receive} with the
 * states of {@code Split()}. Not thread-safe.
 */
final class XxHandshake {

	private static final int DH_LENGTH = X25519.KEY_LENGTH;

	private final boolean initiator;

	private final SymmetricState symmetric = new SymmetricState();

	private final X25519.KeyPair localStatic;

	private final X25519.KeyPair localEphemeral;

	private byte @Nullable [] remoteEphemeral;

	private byte @Nullable [] remoteStatic;

	private @Nullable CipherState sender;

	private @Nullable CipherState receiver;

	/** Number of handshake messages written or read so far (0 to 3). */
	private int step;

	XxHandshake(boolean initiator, byte[] prologue, X25519.KeyPair localStatic, X25519.KeyPair localEphemeral) {
		this.initiator = initiator;
		this.localStatic = localStatic;
		this.localEphemeral = localEphemeral;
		this.symmetric.mixHash(prologue);
	}

	boolean isInitiator() {
		return this.initiator;
	}

	/**
	 * @return whether the next message is ours to write (otherwise it is the remote's to read)
	 */
	boolean isWriteTurn() {
		return !isComplete() && ((this.step % 2 == 0) == this.initiator);
	}

	boolean isComplete() {
		return this.step == 3;
	}

	/**
	 * @return the number (1 to 3) of the next message written or read
	 */
	int nextMessage() {
		return this.step + 1;
	}

	/**
	 * Writes the next message.
	 * @param payload the payload, encrypted from message 2 on
	 * @return the message
	 */
	byte[] writeMessage(byte[] payload) {
		if (!isWriteTurn()) {
			throw new IllegalStateException("Noise message " + nextMessage() + " is not ours to write");
		}
		byte[] out;
		if (this.step == 0) {
			// -> e
			byte[] e = this.localEphemeral.publicKey();
			this.symmetric.mixHash(e);
			out = X25519.concat(e, this.symmetric.encryptAndHash(payload));
		}
		else if (this.step == 1) {
			// <- e, ee, s, es
			byte[] e = this.localEphemeral.publicKey();
			this.symmetric.mixHash(e);
			this.symmetric.mixKey(X25519.dh(this.localEphemeral.privateKey(), remote(this.remoteEphemeral)));
			byte[] s = this.symmetric.encryptAndHash(this.localStatic.publicKey());
			this.symmetric.mixKey(X25519.dh(this.localStatic.privateKey(), remote(this.remoteEphemeral)));
			out = X25519.concat(X25519.concat(e, s), this.symmetric.encryptAndHash(payload));
		}
		else {
			// -> s, se
			byte[] s = this.symmetric.encryptAndHash(this.localStatic.publicKey());
			this.symmetric.mixKey(X25519.dh(this.localStatic.privateKey(), remote(this.remoteEphemeral)));
			out = X25519.concat(s, this.symmetric.encryptAndHash(payload));
		}
		advance();
		return out;
	}

	/**
	 * Reads the next message.
	 * @param message the message as received
	 * @return its payload, decrypted
	 * @throws NoiseException when the message is too short, a key is unusable or a ciphertext
	 * does not authenticate
	 */
	byte[] readMessage(byte[] message) {
		if (isComplete() || isWriteTurn()) {
			throw new IllegalStateException("Noise message " + nextMessage() + " is not the remote's to send");
		}
		int staticKey = DH_LENGTH + CipherState.TAG_LENGTH;
		int minimum = switch (this.step) {
			case 0 -> DH_LENGTH;
			case 1 -> DH_LENGTH + staticKey + CipherState.TAG_LENGTH;
			default -> staticKey + CipherState.TAG_LENGTH;
		};
		if (message.length < minimum) {
			throw new NoiseException(Kind.MALFORMED, "Noise handshake message " + nextMessage() + " is "
					+ message.length + " bytes, shorter than the " + minimum + " it must hold");
		}
		int offset;
		if (this.step == 0) {
			// -> e
			this.remoteEphemeral = Arrays.copyOfRange(message, 0, DH_LENGTH);
			this.symmetric.mixHash(this.remoteEphemeral);
			offset = DH_LENGTH;
		}
		else if (this.step == 1) {
			// <- e, ee, s, es
			this.remoteEphemeral = Arrays.copyOfRange(message, 0, DH_LENGTH);
			this.symmetric.mixHash(this.remoteEphemeral);
			this.symmetric.mixKey(X25519.dh(this.localEphemeral.privateKey(), this.remoteEphemeral));
			this.remoteStatic = this.symmetric
				.decryptAndHash(Arrays.copyOfRange(message, DH_LENGTH, DH_LENGTH + staticKey));
			this.symmetric.mixKey(X25519.dh(this.localEphemeral.privateKey(), this.remoteStatic));
			offset = DH_LENGTH + staticKey;
		}
		else {
			// -> s, se
			this.remoteStatic = this.symmetric.decryptAndHash(Arrays.copyOfRange(message, 0, staticKey));
			this.symmetric.mixKey(X25519.dh(this.localEphemeral.privateKey(), this.remoteStatic));
			offset = staticKey;
		}
		byte[] payload = this.symmetric.decryptAndHash(Arrays.copyOfRange(message, offset, message.length));
		advance();
		return payload;
	}

	private void advance() {
		this.step++;
		if (isComplete()) {
			CipherState[] states = this.symmetric.split();
			this.sender = this.initiator ? states[0] : states[1];
			this.receiver = this.initiator ? states[1] : states[0];
		}
	}

	/**
	 * @return the remote's static X25519 public key, known once message 2 (initiator) or 3
	 * (responder) was read
	 */
	byte[] remoteStatic() {
		return remote(this.remoteStatic).clone();
	}

	byte[] localStatic() {
		return this.localStatic.publicKey().clone();
	}

	byte[] handshakeHash() {
		return this.symmetric.handshakeHash();
	}

	CipherState sender() {
		return completed(this.sender);
	}

	CipherState receiver() {
		return completed(this.receiver);
	}

	private static byte[] remote(byte @Nullable [] key) {
		if (key == null) {
			throw new IllegalStateException("the remote key is not known yet");
		}
		return key;
	}

	private static CipherState completed(@Nullable CipherState state) {
		if (state == null) {
			throw new IllegalStateException("the Noise handshake is not complete");
		}
		return state;
	}

}
