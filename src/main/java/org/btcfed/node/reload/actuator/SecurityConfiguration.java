package org.btcfed.node.reload.actuator;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Bearer-token security for the actuator: {@code /actuator/health} is open (and shows its
 * components only to an authenticated caller), everything else needs
 * {@code Authorization: Bearer <admin token>}. Stateless: no session, no CSRF token (no browser
 * forms, no cookies), no generated default user.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfiguration {

	private static final String BEARER = "Bearer ";

	@Bean
	AuthenticationManager adminTokenAuthenticationManager(AdminToken token) {
		return authentication -> {
			if (authentication instanceof TokenAuthentication presented
					&& token.matches((String) presented.getCredentials())) {
				return TokenAuthentication.authenticated();
			}
			throw new BadCredentialsException("Invalid admin token");
		};
	}

	@Bean
	SecurityFilterChain actuatorSecurity(HttpSecurity http, AuthenticationManager manager) throws Exception {
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"btcfed-node\"");
			response.setStatus(HttpStatus.UNAUTHORIZED.value());
			response.setContentType("application/json");
			response.getWriter()
				.write("{\"status\":401,\"error\":\"Unauthorized\",\"message\":\"send 'Authorization: Bearer <admin"
						+ " token>'; the token is in BTCFED_ADMIN_TOKEN or <data-dir>/admin.token\"}");
		};
		AuthenticationFilter bearer = new AuthenticationFilter(manager, SecurityConfiguration::bearerToken);
		bearer.setSuccessHandler((request, response, authentication) -> {
		});
		bearer.setFailureHandler(new AuthenticationEntryPointFailureHandler(unauthorized));
		http.authorizeHttpRequests(requests -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
			.permitAll()
			.anyRequest()
			.authenticated())
			.addFilterBefore(bearer, BasicAuthenticationFilter.class)
			.exceptionHandling(handling -> handling.authenticationEntryPoint(unauthorized))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable());
		return http.build();
	}

	private static @org.jspecify.annotations.Nullable Authentication bearerToken(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return null;
		}
		return new TokenAuthentication(header.substring(BEARER.length()).trim());
	}

	/** A presented (unauthenticated) or verified admin token. */
	static final class TokenAuthentication extends AbstractAuthenticationToken {

		private final String token;

		TokenAuthentication(String token) {
			super(AuthorityUtils.NO_AUTHORITIES);
			this.token = token;
		}

		static TokenAuthentication authenticated() {
			TokenAuthentication result = new TokenAuthentication("");
			result.setAuthenticated(true);
			return result;
		}

		@Override
		public Object getCredentials() {
			return this.token;
		}

		@Override
		public Object getPrincipal() {
			return "admin";
		}

		@Override
		public String toString() {
			return "TokenAuthentication[admin, authenticated=" + isAuthenticated() + "]";
		}

	}

}
