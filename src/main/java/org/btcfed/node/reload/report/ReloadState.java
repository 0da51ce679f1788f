package org.btcfed.node.reload.report;

/** The coordinator's state machine. */
public enum ReloadState {

	/** No reload runs. */
	IDLE,

	/** Reading, parsing, diffing and validating the staged configuration. */
	VALIDATING,

	/** Applying it to the affected components. */
	UPDATING,

	/** Restoring components after a failure. */
	ROLLING_BACK,

	/** A rollback failed; a component runs from its fallback or is stopped. Cleared by the next successful reload. */
	FAILED

}
