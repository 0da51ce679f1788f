package org.btcfed.node.reload.report;

/** The classes of reload errors, which decide what the engine does about them. */
public enum ErrorType {

	/** The configuration is wrong. Nothing was started; the reload is REJECTED. */
	VALIDATION,

	/** A component failed to apply. Everything applied is rolled back; ROLLED_BACK. */
	COMPONENT,

	/** A transient fault (file mid-write, port in TIME_WAIT) that outlasted its retries. */
	SYSTEM,

	/** A rollback failed. The engine is FAILED until a successful reload. */
	CRITICAL

}
