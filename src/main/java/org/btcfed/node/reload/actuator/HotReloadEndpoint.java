package org.btcfed.node.reload.actuator;

import java.util.List;
import java.util.concurrent.CompletionException;

import jakarta.servlet.http.HttpServletRequest;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.engine.VersionMismatchException;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadState;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * {@code /actuator/hotreload}: {@code POST} runs a reload (or a dry run with
 * {@code ?dryRun=true}; {@code If-Match: <version>} makes it conditional), {@code GET} shows the
 * engine's state and history, {@code GET /{id}} one report. Answers that are not reports are
 * RFC 9457 problem details (see {@link Problems}).
 */
@Endpoint(id = "hotreload")
public class HotReloadEndpoint {

	/** Reports returned by {@code GET} when no limit is given. */
	static final int DEFAULT_LIMIT = 20;

	private final ReloadCoordinator coordinator;

	/**
	 * @param coordinator the reload engine
	 */
	public HotReloadEndpoint(ReloadCoordinator coordinator) {
		this.coordinator = coordinator;
	}

	/**
	 * Runs a reload and waits for its report.
	 * @param dryRun {@code true} to stage, validate and diff only; {@code false} or absent for a
	 * reload
	 * @return the report: 200 for SUCCEEDED, NO_CHANGE, VALIDATED; 422 for REJECTED; 500 for
	 * ROLLED_BACK and FAILED
	 * @throws org.springframework.web.ErrorResponseException a problem: 400 for a {@code dryRun}
	 * that is not {@code true} or {@code false}, 412 with the running version when
	 * {@code If-Match} names another, 500 when the reload could not run
	 */
	@WriteOperation
	public WebEndpointResponse<ReloadReport> reload(@Nullable String dryRun) {
		ReloadRequest request = new ReloadRequest(ReloadTrigger.HTTP, parseDryRun(dryRun), ifMatch());
		try {
			ReloadReport report = this.coordinator.submit(request).join();
			return new WebEndpointResponse<>(report, statusOf(report.status()));
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof VersionMismatchException mismatch) {
				throw Problems.versionMismatch(mismatch.getActual());
			}
			throw Problems.reloadNotRun(String.valueOf(ex.getCause().getMessage()));
		}
	}

	/**
	 * The engine's state and recent history.
	 * @param limit how many reports, newest first (default 20)
	 * @return the state, the running version and history
	 * @throws org.springframework.web.ErrorResponseException a 400 problem for a limit that is
	 * not a whole number of 0 or more
	 */
	@ReadOperation
	public Status status(@Nullable String limit) {
		int max = parseLimit(limit);
		return new Status(this.coordinator.state(), this.coordinator.active().version(),
				this.coordinator.history().recent(max));
	}

	/**
	 * One report.
	 * @param id its id
	 * @return the report
	 * @throws org.springframework.web.ErrorResponseException a 404 problem when no report with
	 * that id is kept, or the id is not a number
	 */
	@ReadOperation
	public ReloadReport report(@Selector String id) {
		long number;
		try {
			number = Long.parseLong(id);
		}
		catch (NumberFormatException ex) {
			throw Problems.unknownReport("Reload report ids are whole numbers; GET /actuator/hotreload lists the"
					+ " reports that are kept.");
		}
		return this.coordinator.history()
			.find(number)
			.orElseThrow(() -> Problems.unknownReport("No reload report with id " + number
					+ " is kept (the history keeps the most recent ones); GET /actuator/hotreload lists them."));
	}

	/** Strict: {@code ?dryRun} alone or {@code ?dryRun=yes} must not run a real reload by mistake. */
	private static boolean parseDryRun(@Nullable String value) {
		if (value == null || value.equalsIgnoreCase("false")) {
			return false;
		}
		if (value.equalsIgnoreCase("true")) {
			return true;
		}
		throw Problems.invalidParameter("dryRun must be true or false (or absent for a reload); nothing was run.");
	}

	private static int parseLimit(@Nullable String value) {
		if (value == null) {
			return DEFAULT_LIMIT;
		}
		try {
			int limit = Integer.parseInt(value.trim());
			if (limit >= 0) {
				return limit;
			}
		}
		catch (NumberFormatException ex) {
			// Answered below, like a negative one.
		}
		throw Problems.invalidParameter("limit must be a whole number, 0 or more (default " + DEFAULT_LIMIT + ").");
	}

	static int statusOf(ReloadStatus status) {
		return switch (status) {
			case SUCCEEDED, NO_CHANGE, VALIDATED -> 200;
			case REJECTED -> 422;
			case ROLLED_BACK, FAILED -> 500;
		};
	}

	/**
	 * The version {@code If-Match} asks for, or {@code null} for none. {@code *} matches any
	 * running version (RFC 9110, 13.1.1), so it asks for none. Endpoint operations see only their
	 * parameters; the header comes from the current request.
	 */
	private static @Nullable String ifMatch() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			String value = request.getHeader(HttpHeaders.IF_MATCH);
			if (value != null && !value.isBlank()) {
				String trimmed = value.trim();
				if (trimmed.equals("*")) {
					return null;
				}
				return (trimmed.length() > 1 && trimmed.startsWith("\"") && trimmed.endsWith("\""))
						? trimmed.substring(1, trimmed.length() - 1) : trimmed;
			}
		}
		return null;
	}

	/**
	 * The body of {@code GET /actuator/hotreload}.
	 * @param state the engine's state
	 * @param version the running config version
	 * @param history recent reports, newest first
	 */
	public record Status(ReloadState state, String version, List<ReloadReport> history) {
	}

}
