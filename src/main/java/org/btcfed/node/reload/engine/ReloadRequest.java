package org.btcfed.node.reload.engine;

import org.btcfed.node.reload.report.ReloadTrigger;
import org.jspecify.annotations.Nullable;

/**
 * A request for a reload.
 *
 * @param trigger what asks for it
 * @param dryRun stage, validate and diff only
 * @param expectedVersion run only if this version is the one running ({@code If-Match}), or
 * {@code null}
 */
public record ReloadRequest(ReloadTrigger trigger, boolean dryRun, @Nullable String expectedVersion) {

	/**
	 * @param trigger what asks for it
	 * @return a plain reload request
	 */
	public static ReloadRequest of(ReloadTrigger trigger) {
		return new ReloadRequest(trigger, false, null);
	}

	/** Plain reloads coalesce: one pending reload serves them all, reading the files as they are when it runs. */
	boolean coalescible() {
		return !this.dryRun && this.expectedVersion == null;
	}

}
