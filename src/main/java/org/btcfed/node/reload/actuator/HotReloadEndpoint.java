package org.btcfed.node.reload.actuator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import jakarta.servlet.http.HttpServletRequest;
import org.btcfed.node.reload.ReloadCoordinator;
import org.btcfed.node.reload.ReloadReport;
import org.btcfed.node.reload.ReloadRequest;
import org.btcfed.node.reload.ReloadState;
import org.btcfed.node.reload.ReloadStatus;
import org.btcfed.node.reload.ReloadTrigger;
import org.btcfed.node.reload.VersionMismatchException;
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
 * engine's state and history, {@code GET /{id}} one report.
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
	 * @param dryRun stage, validate and diff only
	 * @return the report: 200 for SUCCEEDED, NO_CHANGE, VALIDATED; 422 for REJECTED; 500 for
	 * ROLLED_BACK and FAILED; 412 with the running version when {@code If-Match} is stale
	 */
	@WriteOperation
	public WebEndpointResponse<Object> reload(@Nullable Boolean dryRun) {
		ReloadRequest request = new ReloadRequest(ReloadTrigger.HTTP, Boolean.TRUE.equals(dryRun), ifMatch());
		try {
			ReloadReport report = this.coordinator.submit(request).join();
			return new WebEndpointResponse<>(report, statusOf(report.status()));
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof VersionMismatchException mismatch) {
				return new WebEndpointResponse<>(Map.of("error", "Precondition Failed", "message",
						mismatch.getMessage(), "version", mismatch.getActual()), 412);
			}
			return new WebEndpointResponse<>(Map.of("error", "Internal Server Error", "message",
					"the reload could not run: " + ex.getCause().getMessage()), 500);
		}
	}

	/**
	 * The engine's state and recent history.
	 * @param limit how many reports, newest first (default 20)
	 * @return the state, versions and history
	 */
	@ReadOperation
	public WebEndpointResponse<Object> status(@Nullable Integer limit) {
		int max = (limit != null) ? limit : DEFAULT_LIMIT;
		if (max < 0) {
			return new WebEndpointResponse<>(Map.of("error", "Bad Request", "message",
					"limit must be 0 or more, was " + max), 400);
		}
		return new WebEndpointResponse<>(new Status(this.coordinator.state(), this.coordinator.active().version(),
				this.coordinator.lastKnownGood().version(), this.coordinator.history().recent(max)), 200);
	}

	/**
	 * One report.
	 * @param id its id
	 * @return the report, or 404
	 */
	@ReadOperation
	public WebEndpointResponse<Object> report(@Selector long id) {
		return this.coordinator.history()
			.find(id)
			.<WebEndpointResponse<Object>>map(r -> new WebEndpointResponse<>(r, 200))
			.orElseGet(() -> new WebEndpointResponse<>(Map.of("error", "Not Found", "message",
					"no reload report with id " + id + " (the history keeps the most recent ones)"), 404));
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
	 * @param lastKnownGood the last version every component ran successfully
	 * @param history recent reports, newest first
	 */
	public record Status(ReloadState state, String version, String lastKnownGood, List<ReloadReport> history) {
	}

}
