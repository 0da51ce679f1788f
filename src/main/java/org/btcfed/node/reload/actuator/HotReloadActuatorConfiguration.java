package org.btcfed.node.reload.actuator;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.springframework.boot.actuate.endpoint.web.EndpointMediaTypes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * Wires the reload engine's endpoint, health indicator and metrics.
 */
@Configuration(proxyBeanMethods = false)
public class HotReloadActuatorConfiguration {

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
