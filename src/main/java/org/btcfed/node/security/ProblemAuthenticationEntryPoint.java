package org.btcfed.node.security;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.btcfed.node.DataDir;
import org.btcfed.node.reload.actuator.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers a request that needs the admin token and has none, or a wrong one, with 401, a
 * {@code WWW-Authenticate: Bearer} challenge (RFC 6750; {@code error="invalid_token"} when a
 * token was sent) and a problem detail of type {@link Problems#UNAUTHORIZED}. Runs in the
 * security filter chain, before Spring MVC, so it writes the problem itself, with the converter
 * MVC uses for problem details. The detail says where the token is, never what was sent.
 */
final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private static final String REALM = "Bearer realm=\"btcfed-node\"";

	private final JacksonJsonHttpMessageConverter converter = new JacksonJsonHttpMessageConverter();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		boolean rejected = Boolean.TRUE.equals(request.getAttribute(BearerTokenFilter.REJECTED));
		ProblemDetail problem = Problems.unauthorized(rejected
				? "The bearer token is not this node's admin token. Send the token from BTCFED_ADMIN_TOKEN or"
						+ " <data-dir>/" + DataDir.TOKEN_FILE + "."
				: "This endpoint needs the admin token: send 'Authorization: Bearer <token>' with the token from"
						+ " BTCFED_ADMIN_TOKEN or <data-dir>/" + DataDir.TOKEN_FILE + ".");
		problem.setInstance(URI.create(request.getRequestURI()));
		ServletServerHttpResponse output = new ServletServerHttpResponse(response);
		output.setStatusCode(HttpStatus.UNAUTHORIZED);
		output.getHeaders()
			.set(HttpHeaders.WWW_AUTHENTICATE, rejected ? REALM + ", error=\"invalid_token\"" : REALM);
		this.converter.write(problem, MediaType.APPLICATION_PROBLEM_JSON, output);
		output.flush();
	}

}
