package org.btcfed.node.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer <admin token>}. A request without a token, or with
 * a wrong one, goes on unauthenticated: the authorization rules decide what it may see, so that
 * open paths ({@code /actuator/health}) answer a wrong token exactly as they answer no token,
 * and protected ones answer 401 through the entry point. A rejected token is marked on the
 * request ({@link #REJECTED}) so that the 401 can say so; the token itself is never kept.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

	/** Request attribute set when a bearer token was presented and is not the admin token. */
	static final String REJECTED = BearerTokenFilter.class.getName() + ".rejected";

	private static final String BEARER = "Bearer ";

	private final AuthenticationManager manager;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	BearerTokenFilter(AuthenticationManager manager) {
		this.manager = manager;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String presented = bearerToken(request);
		if (presented != null) {
			try {
				SecurityContext context = this.contexts.createEmptyContext();
				context.setAuthentication(
						this.manager.authenticate(new SecurityConfiguration.TokenAuthentication(presented)));
				this.contexts.setContext(context);
			}
			catch (AuthenticationException ex) {
				request.setAttribute(REJECTED, Boolean.TRUE);
			}
		}
		chain.doFilter(request, response);
	}

	private static @Nullable String bearerToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return null;
		}
		return header.substring(BEARER.length()).trim();
	}

}
