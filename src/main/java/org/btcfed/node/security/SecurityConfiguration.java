package org.btcfed.node.security;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Bearer-token security for the actuator: {@code /actuator/health} and its sub-paths are open,
 * with no token or a wrong one alike (and show components only to an authenticated caller),
 * everything else needs
 * {@code Authorization: Bearer <admin token>}. Stateless: no session, no CSRF token (no browser
 * forms, no cookies), no generated default user.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfiguration {

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
		// Health must stay open whatever the Authorization header says: the bearer filter never
		// answers by itself, the rules below do (open paths ignore a wrong token).
		http.authorizeHttpRequests(requests -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
			.permitAll()
			.anyRequest()
			.authenticated())
			.addFilterBefore(new BearerTokenFilter(manager), BasicAuthenticationFilter.class)
			.exceptionHandling(handling -> handling.authenticationEntryPoint(new ProblemAuthenticationEntryPoint()))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(csrf -> csrf.disable())
			.httpBasic(basic -> basic.disable())
			.formLogin(form -> form.disable())
			.logout(logout -> logout.disable())
			.requestCache(cache -> cache.disable());
		return http.build();
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
