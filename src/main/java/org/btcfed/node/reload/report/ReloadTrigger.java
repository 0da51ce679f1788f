package org.btcfed.node.reload.report;

/** What started a reload. */
public enum ReloadTrigger {

	/** SIGHUP to the process. */
	SIGNAL,

	/** {@code POST /actuator/hotreload} (and Spring Cloud's {@code RefreshEvent}). */
	HTTP,

	/** A change of conf.yaml or peers.yaml on disk. */
	FILE_WATCH,

	/** The configuration the node started with. */
	STARTUP

}
