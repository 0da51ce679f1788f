package org.btcfed.node.reload;

/**
 * What a change to a key costs the component that owns it.
 */
public enum ReloadStrategy {

	/** Applied while the component keeps running; nothing is restarted. */
	IN_PLACE,

	/** The component restarts itself (e.g. sessions re-handshake); the rest of the node does not. */
	RESTART,

	/** Cannot change while the node runs: a reload that changes it is rejected, naming the key. */
	NOT_RELOADABLE

}
