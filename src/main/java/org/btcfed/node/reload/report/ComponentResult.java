package org.btcfed.node.reload.report;

/**
 * What happened to one component during a reload.
 *
 * @param name the component
 * @param action what was done to it
 * @param durationMs how long it took, in milliseconds
 */
public record ComponentResult(String name, Action action, double durationMs) {

	/** What was done to a component. */
	public enum Action {

		/** Would be updated (dry run). */
		PLANNED,

		/** Updated in place. */
		UPDATED,

		/** Restarted (e.g. sessions re-handshake). */
		RESTARTED,

		/** Its apply failed. */
		FAILED,

		/** Restored to the previous configuration after a failure. */
		ROLLED_BACK,

		/** Its rollback failed; it runs from the last-known-good configuration. */
		RESTORED,

		/** Its rollback and restore failed; it was stopped. */
		STOPPED

	}

}
