package org.btcfed.node.network;

/** Why a connection was refused or closed; counted and logged once per connection. */
public enum RejectReason {

	/** The peer's key is not in peers.yaml. */
	UNKNOWN_PEER,

	/** The peer proved this node's own key. */
	SELF,

	/** Dialled for one peer, the remote proved another identity. */
	PEER_ID_MISMATCH,

	/** The Noise handshake signature did not verify. */
	BAD_SIGNATURE,

	/** A Noise message did not decrypt: bytes were changed in transit, or are no Noise. */
	DECRYPTION_FAILED,

	/** The libp2p handshake did not finish within {@code peers.connection_timeout}. */
	HANDSHAKE_TIMEOUT,

	/** multistream-select found no protocol both sides speak (for example no Noise). */
	NEGOTIATION_FAILED,

	/** A message or frame larger than the limit. */
	OVERSIZED_FRAME,

	/** The peer sent more than the yamux window it was granted. */
	WINDOW_EXCEEDED,

	/** Bytes that are not a valid varint, frame or message. */
	MALFORMED,

	/** {@code network.max_connections} reached. */
	CONNECTION_LIMIT,

	/** A second connection to the same peer; the other one is kept. */
	DUPLICATE,

	/** The peer was removed from peers.yaml (revocation). */
	REVOKED,

	/** The node's key changed: sessions re-handshake. */
	KEY_ROTATED,

	/** No ping answered within the keepalive window. */
	IDLE,

	/** The remote side closed the connection or it failed. */
	CLOSED_BY_PEER,

	/** The node is shutting down. */
	SHUTDOWN

}
