package org.btcfed.node.network.noise;

import org.btcfed.node.config.NodeKey;
import org.jspecify.annotations.Nullable;

/**
 * One side of libp2p's Noise handshake: {@code Noise_XX_25519_ChaChaPoly_SHA256} with an empty
 * prologue, the responder's libp2p payload in message 2 and the initiator's in message 3. Each
 * handshake uses a fresh static X25519 key, signed by the node's Ed25519 identity; it is not the
 * identity key.
 * <p>
 * The initiator calls {@link #writeMessage()}, {@link #readMessage(byte[])},
 * {@link #writeMessage()}; the responder {@link #readMessage(byte[])}, {@link #writeMessage()},
 * {@link #readMessage(byte[])}. Messages are the bytes inside the u16 frames. Once
 * {@link #isComplete() complete} the handshake yields the remote's verified identity and the two
 * transport cipher states. Any failure is a {@link NoiseException} and ends the handshake.
 * <p>
 * Not thread-safe: one connection drives it from its event loop.
 */
public final class NoiseHandshake {

	private final XxHandshake xx;

	private final NodeKey identity;

	private byte @Nullable [] remoteIdentity;

	private boolean failed;

	NoiseHandshake(boolean initiator, NodeKey identity, X25519.KeyPair staticKey, X25519.KeyPair ephemeral) {
		this.xx = new XxHandshake(initiator, new byte[0], staticKey, ephemeral);
		this.identity = identity;
	}

	/**
	 * Starts the dialer's side.
	 * @param identity the node's identity
	 * @return the handshake, whose first step is {@link #writeMessage()}
	 */
	public static NoiseHandshake initiator(NodeKey identity) {
		return new NoiseHandshake(true, identity, X25519.generate(), X25519.generate());
	}

	/**
	 * Starts the listener's side.
	 * @param identity the node's identity
	 * @return the handshake, whose first step is {@link #readMessage(byte[])}
	 */
	public static NoiseHandshake responder(NodeKey identity) {
		return new NoiseHandshake(false, identity, X25519.generate(), X25519.generate());
	}

	/**
	 * @return whether this is the initiator's side
	 */
	public boolean isInitiator() {
		return this.xx.isInitiator();
	}

	/**
	 * @return whether the next step is {@link #writeMessage()} (otherwise it is
	 * {@link #readMessage(byte[])}, or nothing once complete)
	 */
	public boolean isWriteTurn() {
		return !this.failed && this.xx.isWriteTurn();
	}

	/**
	 * @return whether all three messages went through and the remote's identity verified
	 */
	public boolean isComplete() {
		return !this.failed && this.xx.isComplete();
	}

	/**
	 * Writes the next message: message 1 ({@code e}, 32 bytes, empty payload), 2 (200 bytes) or 3
	 * (168 bytes).
	 * @return the message, without its length prefix
	 * @throws IllegalStateException when it is not this side's turn to write
	 */
	public byte[] writeMessage() {
		checkNotFailed();
		byte[] payload = (this.xx.nextMessage() == 1) ? new byte[0]
				: HandshakePayload.encode(this.identity, this.xx.localStatic());
		return this.xx.writeMessage(payload);
	}

	/**
	 * Reads the remote's next message. Message 1's payload (empty from go and js) is ignored;
	 * the payload of message 2 or 3 must carry the remote's Ed25519 identity and its signature
	 * over the remote's static key.
	 * @param message the message, without its length prefix
	 * @throws NoiseException when the message is malformed, does not decrypt, or its payload
	 * does not verify
	 * @throws IllegalStateException when it is not the remote's turn
	 */
	public void readMessage(byte[] message) {
		checkNotFailed();
		int number = this.xx.nextMessage();
		try {
			byte[] payload = this.xx.readMessage(message);
			if (number > 1) {
				this.remoteIdentity = HandshakePayload.verify(payload, this.xx.remoteStatic());
			}
		}
		catch (NoiseException ex) {
			this.failed = true;
			throw ex;
		}
	}

	private void checkNotFailed() {
		if (this.failed) {
			throw new IllegalStateException("the Noise handshake failed");
		}
	}

	/**
	 * @return the remote's raw 32-byte Ed25519 public key, verified
	 * @throws IllegalStateException before the remote's payload was read
	 */
	public byte[] remotePublicKey() {
		byte[] key = this.remoteIdentity;
		if (key == null) {
			throw new IllegalStateException("the remote's identity is not known yet");
		}
		return key.clone();
	}

	/**
	 * @return the cipher state this side sends with
	 */
	CipherState sender() {
		checkNotFailed();
		return this.xx.sender();
	}

	/**
	 * @return the cipher state this side receives with
	 */
	CipherState receiver() {
		checkNotFailed();
		return this.xx.receiver();
	}

	/**
	 * @return the final handshake hash, equal on both sides
	 */
	byte[] handshakeHash() {
		return this.xx.handshakeHash();
	}

}
