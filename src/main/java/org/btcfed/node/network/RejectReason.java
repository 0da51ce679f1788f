package org.btcfed.node.network;

/** Why a connection was refused or closed; counted and logged once per connection. */
public enum RejectReason {

	/** The peer's key is not in peers.yaml. */
	UNKNOWN_PEER,

	/** The peer presented this node's own key. */
	SELF,

	/** The handshake signature did not verify. */
	BAD_SIGNATURE,

	/** The handshake did not finish within {@code peers.connection_timeout}. */
	HANDSHAKE_TIMEOUT,

	/** A frame larger than the limit. */
	OVERSIZED_FRAME,

	/** Bytes that are not a valid frame or message. */
	MALFORMED,

	/** {@code network.max_connections} reached. */
	CONNECTION_LIMIT,

	/** A second connection to the same peer; the deterministic rule kept the other one. */
	DUPLICATE,

	/** The peer was removed from peers.yaml (revocation). */
	REVOKED,

	/** The node's key changed: sessions re-handshake. */
	KEY_ROTATED,

	/** No pong within the keepalive window. */
	IDLE,

	/** The remote side closed the connection or it failed. */
	CLOSED_BY_PEER,

	/** The node is shutting down. */
	SHUTDOWN

}
