package org.btcfed.node.reload.report;

/** How a reload ended. */
public enum ReloadStatus {

	/** Every affected component applied the new configuration and it was committed. */
	SUCCEEDED,

	/** The files hold the configuration that already runs; nothing was touched. */
	NO_CHANGE,

	/** A dry run: the new configuration is valid and would be applied. Nothing was touched. */
	VALIDATED,

	/** The new configuration is invalid or needs a restart; nothing was touched. */
	REJECTED,

	/** A component failed; every component already updated was restored. */
	ROLLED_BACK,

	/** A component failed and could not be restored: see the errors and the health endpoint. */
	FAILED;

	/**
	 * @return whether the outcome leaves the node as the operator asked (or as it was, by design)
	 */
	public boolean isSuccessful() {
		return this == SUCCEEDED || this == NO_CHANGE || this == VALIDATED;
	}

}
