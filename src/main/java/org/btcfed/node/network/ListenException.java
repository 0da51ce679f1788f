package org.btcfed.node.network;

import java.util.List;

import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.reload.TransientReloadException;

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
	 * @param config the configuration the node starts with
	 * @return this failure at start-up: an error where the address is written
	 */
	ConfigException asStartupError(ConfigSnapshot config) {
		String key = "network.addresses[" + config.config().network().addresses().indexOf(this.address) + "]";
		String hint = this.inUse ? "; stop what holds it (another node?) or listen on another port" : "";
		return new ConfigException(List.of(config.errorAt(key, getMessage() + hint)));
	}

	/**
	 * @return this failure in a reload: transient (retried) when the address is in use, which may
	 * pass (a port in TIME_WAIT)
	 */
	Exception asReloadFailure() {
		return this.inUse ? new TransientReloadException(getMessage(), this) : new IllegalStateException(getMessage(), this);
	}

}
