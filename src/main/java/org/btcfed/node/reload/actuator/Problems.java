package org.btcfed.node.reload.actuator;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The actuator's errors that are not reload reports, as RFC 9457 problem details. Each kind has
 * its own {@code type} (a {@code tag:} URI, RFC 9457 3.1.1: an identifier, not a page to fetch)
 * and a fixed {@code title}; {@code detail} says what was wrong and what to send instead. It
 * never repeats what the caller sent (a token, a header), only which parameter and which rule.
 * Spring MVC writes the exceptions as {@code application/problem+json} and fills
 * {@code instance} with the request path.
 */
public final class Problems {

	private static final String TYPE_PREFIX = "tag:btcfed.org,2026:problems/";

	/** A query parameter or path segment that does not parse or is out of range. */
	static final URI INVALID_PARAMETER = type("invalid-parameter");

	/** No admin token, or not the admin token. */
	public static final URI UNAUTHORIZED = type("unauthorized");

	/** No reload report with that id is kept. */
	static final URI UNKNOWN_REPORT = type("unknown-report");

	/** {@code If-Match} names another version than the running one. */
	static final URI VERSION_MISMATCH = type("version-mismatch");

	/** The engine could not run the reload at all (for example while the node shuts down). */
	static final URI RELOAD_NOT_RUN = type("reload-not-run");

	private Problems() {
	}

	static ErrorResponseException invalidParameter(String detail) {
		return exception(problem(HttpStatus.BAD_REQUEST, INVALID_PARAMETER, "Invalid parameter", detail));
	}

	static ErrorResponseException unknownReport(String detail) {
		return exception(problem(HttpStatus.NOT_FOUND, UNKNOWN_REPORT, "Unknown reload report", detail));
	}

	/**
	 * @param running the version that runs, also given as the {@code version} member
	 */
	static ErrorResponseException versionMismatch(String running) {
		ProblemDetail problem = problem(HttpStatus.PRECONDITION_FAILED, VERSION_MISMATCH, "Version mismatch",
				"If-Match names a version that is not running; the running version is " + running
						+ ". Nothing was applied or recorded.");
		problem.setProperty("version", running);
		return exception(problem);
	}

	static ErrorResponseException reloadNotRun(String reason) {
		return exception(problem(HttpStatus.INTERNAL_SERVER_ERROR, RELOAD_NOT_RUN, "Reload not run",
				"The reload could not run: " + reason));
	}

	public static ProblemDetail unauthorized(String detail) {
		return problem(HttpStatus.UNAUTHORIZED, UNAUTHORIZED, "Unauthorized", detail);
	}

	private static ProblemDetail problem(HttpStatus status, URI type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type);
		problem.setTitle(title);
		return problem;
	}

	private static ErrorResponseException exception(ProblemDetail problem) {
		return new ErrorResponseException(HttpStatus.valueOf(problem.getStatus()), problem, null);
	}

	private static URI type(String name) {
		return URI.create(TYPE_PREFIX + name);
	}

}
