package org.btcfed.node.reload.actuator;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.security.AdminToken;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * Wires the reload engine's endpoint, health indicator, metrics and admin token.
 */
@Configuration(proxyBeanMethods = false)
public class HotReloadActuatorConfiguration {

	private static final Log logger = LogFactory.getLog(HotReloadActuatorConfiguration.class);

	/**
	 * Spring Boot's endpoint media types, plus requests without a body or content type:
	 * {@code curl -X POST .../hotreload} from a script or sidecar must work as is.
	 */
	@Bean
	EndpointMediaTypes endpointMediaTypes() {
		List<String> produced = EndpointMediaTypes.DEFAULT.getProduced();
		List<String> consumed = new ArrayList<>(EndpointMediaTypes.DEFAULT.getConsumed());
		consumed.add(MediaType.APPLICATION_OCTET_STREAM_VALUE);
		return new EndpointMediaTypes(produced, consumed);
	}

	@Bean
	AdminToken adminToken(NodeProperties properties) {
		return AdminToken.resolve(System.getenv(AdminToken.ENV), properties.getDataDir(), logger::warn);
	}

	@Bean
	HotReloadEndpoint hotReloadEndpoint(ReloadCoordinator coordinator) {
		return new HotReloadEndpoint(coordinator);
	}

	/** Named so that the health component is {@code hotreload}. */
	@Bean
	HotReloadHealthIndicator hotreloadHealthIndicator(ReloadCoordinator coordinator) {
		return new HotReloadHealthIndicator(coordinator);
	}

	@Bean
	ReloadMetrics reloadMetrics(MeterRegistry registry) {
		return new ReloadMetrics(registry);
	}

}
