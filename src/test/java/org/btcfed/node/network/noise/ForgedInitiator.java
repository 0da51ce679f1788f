package org.btcfed.node.network.noise;

import org.btcfed.node.config.NodeKey;

/**
 * A Noise XX initiator that lies in message 3: its payload carries a real identity key and a
 * real signature by it, but over another static X25519 key than the one of the handshake, as a
 * replayed or spliced payload would. For connection-level tests outside this package, which
 * can reach only {@link NoiseHandshake}'s honest API.
 */
public final class ForgedInitiator {

	private final XxHandshake xx = new XxHandshake(true, new byte[0], X25519.generate(), X25519.generate());

	private final NodeKey identity;

	/**
	 * @param identity the key the payload names and signs with
	 */
	public ForgedInitiator(NodeKey identity) {
		this.identity = identity;
	}

	/**
	 * @return message 1, {@code e}
	 */
	public byte[] message1() {
		return this.xx.writeMessage(new byte[0]);
	}

	/**
	 * @param message the responder's message 2, read and decrypted (its payload is not checked)
	 */
	public void readMessage2(byte[] message) {
		this.xx.readMessage(message);
	}

	/**
	 * @return message 3, its payload signed over a fresh static key that is not this handshake's
	 */
	public byte[] message3SignedOverAnotherStaticKey() {
		return this.xx.writeMessage(HandshakePayload.encode(this.identity, X25519.generate().publicKey()));
	}

}
