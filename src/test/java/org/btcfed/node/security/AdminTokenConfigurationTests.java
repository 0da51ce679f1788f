package org.btcfed.node.security;

import java.nio.file.Files;
import java.nio.file.Path;

import org.btcfed.node.DataDir;
import org.btcfed.node.NodeProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin token is a bean of every node context, web or not (a node run with
 * {@code spring.main.web-application-type=none} still writes its ready line with it).
 */
class AdminTokenConfigurationTests {

	@TempDir
	Path dataDir;

	@Test
	void nonWebContextShouldHaveTheTokenGeneratedInTheDataDir() {
		new ApplicationContextRunner().withUserConfiguration(Properties.class, AdminTokenConfiguration.class)
			.withPropertyValues("btcfed.data-dir=" + this.dataDir)
			.run(context -> {
				Path file = this.dataDir.resolve(DataDir.TOKEN_FILE);
				AdminToken token = context.getBean(AdminToken.class);
				assertThat(token.source()).isEqualTo(file.toAbsolutePath().normalize().toString());
				assertThat(token.matches(Files.readString(file).trim())).isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(NodeProperties.class)
	static class Properties {

	}

}
