package org.btcfed.node.reload.spring;

import java.nio.file.Path;

import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.engine.ReloadPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How the plan is read from the bean factory: {@code @DependsOn} between reloadable beans orders
 * them; a cycle through the components' own declarations fails start-up naming it.
 */
class ReloadConfigurationTests {

	@TempDir
	Path root;

	private static void register(DefaultListableBeanFactory factory, String beanName, TestComponent component,
			String... dependsOn) {
		RootBeanDefinition definition = new RootBeanDefinition(TestComponent.class, () -> component);
		definition.setDependsOn(dependsOn);
		factory.registerBeanDefinition(beanName, definition);
	}

	@Test
	void planWhenBeansDeclareDependsOnShouldOrderByIt() {
		DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
		register(factory, "loggingBean", new TestComponent("logging", "logging.level"));
		register(factory, "networkBean", new TestComponent("network", "network.max_connections"), "protocolBean",
				"someOtherBean");
		register(factory, "protocolBean", new TestComponent("protocol", "protocol.ping_interval"), "loggingBean");
		factory.registerSingleton("someOtherBean", new Object());
		ReloadPlan plan = ReloadConfiguration.plan(factory);
		assertThat(plan).hasToString("[logging] -> [protocol] -> [network]");
	}

	@Test
	void planWhenDeclaredDependenciesFormCycleShouldFailNamingIt() {
		DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
		register(factory, "a", new TestComponent("logging", "logging.level", "network"));
		register(factory, "b", new TestComponent("network", "network.max_connections"), "a");
		assertThatIllegalStateException().isThrownBy(() -> ReloadConfiguration.plan(factory))
			.withMessageContaining("dependency cycle")
			.withMessageContaining("logging -> network -> logging");
	}

}
