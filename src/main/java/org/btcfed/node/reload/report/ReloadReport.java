package org.btcfed.node.reload.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import org.btcfed.node.reload.ConfigChange;
import org.jspecify.annotations.Nullable;

/**
 * The record of one reload attempt, as the endpoint returns it and the history keeps it.
 *
 * @param id unique, increasing id (survives restarts)
 * @param trigger what started it
 * @param dryRun whether it was a dry run ({@code ?dryRun=true}): staged, validated and diffed,
 * nothing applied; {@code false} for every reload and the start-up (and for history lines written
 * before the field existed)
 * @param status how it ended
 * @param previousVersion the version running before, {@code null} at start-up
 * @param version the version running after
 * @param startedAt when it started (ISO-8601, UTC)
 * @param durationMs how long it took
 * @param phases duration per phase ({@code validate}, {@code update}, {@code rollback}, {@code commit}) in ms
 * @param changes the changed keys (secrets masked)
 * @param components what happened to each affected component
 * @param errors what went wrong
 */
public record ReloadReport(long id, ReloadTrigger trigger,
		// History lines written before the field existed have no dryRun: they read as false.
		@JsonSetter(nulls = Nulls.AS_EMPTY) boolean dryRun, ReloadStatus status, @Nullable String previousVersion,
		@Nullable String version, String startedAt, double durationMs, Map<String, Double> phases,
		List<ConfigChange> changes, List<ComponentResult> components, List<ReloadError> errors) {

	public ReloadReport {
		phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases));
		changes = List.copyOf(changes);
		components = List.copyOf(components);
		errors = List.copyOf(errors);
	}

	/**
	 * @return the report with its id set, as the history numbers it
	 * @param newId the id
	 */
	public ReloadReport withId(long newId) {
		return new ReloadReport(newId, this.trigger, this.dryRun, this.status, this.previousVersion, this.version, this.startedAt,
				this.durationMs, this.phases, this.changes, this.components, this.errors);
	}

}
