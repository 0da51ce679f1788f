package org.btcfed.node.network;

/** Who opened a connection. */
public enum Direction {

	/** The peer dialled this node. */
	INBOUND,

	/** This node dialled the peer. */
	OUTBOUND

}
