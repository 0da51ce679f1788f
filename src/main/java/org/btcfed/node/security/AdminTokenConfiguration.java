package org.btcfed.node.security;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.NodeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin token, in every node, web or not: the ready line and the admin command line need it
 * even where no HTTP server runs (the security filter chain is only for a servlet web app).
 */
@Configuration(proxyBeanMethods = false)
public class AdminTokenConfiguration {

	private static final Log logger = LogFactory.getLog(AdminTokenConfiguration.class);

	/**
	 * @param properties where the data dir is
	 * @return the token from {@code BTCFED_ADMIN_TOKEN}, or the one generated into the data dir
	 */
	@Bean
	AdminToken adminToken(NodeProperties properties) {
		return AdminToken.resolve(System.getenv(AdminToken.ENV), properties.getDataDir(), logger::warn);
	}

}
