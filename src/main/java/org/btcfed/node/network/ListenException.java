package org.btcfed.node.network;

import org.btcfed.node.config.Multiaddr;

/**
 * A listen address could not be bound: which one, why in an operator's words, and whether it
 * may pass by itself (an address in use).
 */
final class ListenException extends Exception {

	private final Multiaddr address;

	private final boolean inUse;

	ListenException(Multiaddr address, Throwable cause) {
		super("cannot listen on " + address + ": " + Transport.describeBindFailure(cause), cause);
		this.address = address;
		this.inUse = Transport.isAddressInUse(cause);
	}

	/**
	 * @return the address that could not be bound
	 */
	Multiaddr address() {
		return this.address;
	}

	/**
	 * @return whether the address is in use, which may pass (a port in TIME_WAIT)
	 */
	boolean inUse() {
		return this.inUse;
	}

}
