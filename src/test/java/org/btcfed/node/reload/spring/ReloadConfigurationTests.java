package org.btcfed.node.reload.spring;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadFixture;
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

	private static Map<String, Set<String>> dependencies(DefaultListableBeanFactory factory) {
		return ReloadConfiguration.dependencies(factory, factory.getBeansOfType(HotReloadable.class));
	}

	private static TestComponent[] components(DefaultListableBeanFactory factory) {
		return factory.getBeansOfType(TestComponent.class).values().toArray(TestComponent[]::new);
	}

	@Test
	void planWhenBeansDeclareDependsOnShouldOrderByIt() {
		DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
		register(factory, "loggingBean", new TestComponent("logging", "logging.level"));
		register(factory, "networkBean", new TestComponent("network", "network.max_connections"), "protocolBean",
				"someOtherBean");
		register(factory, "protocolBean", new TestComponent("protocol", "protocol.ping_interval"), "loggingBean");
		factory.registerSingleton("someOtherBean", new Object());
		try (ReloadFixture fixture = new ReloadFixture(this.root)) {
			ReloadCoordinator coordinator = fixture.start(dependencies(factory), components(factory));
			assertThat(coordinator.components()).extracting(HotReloadable::name)
				.containsExactly("logging", "protocol", "network");
		}
	}

	@Test
	void planWhenDeclaredDependenciesFormCycleShouldFailNamingIt() {
		DefaultListableBeanFactory factory = new DefaultListableBeanFactory();
		register(factory, "a", new TestComponent("logging", "logging.level", "network"));
		register(factory, "b", new TestComponent("network", "network.max_connections"), "a");
		ReloadFixture fixture = new ReloadFixture(this.root);
		assertThatIllegalStateException().isThrownBy(() -> fixture.start(dependencies(factory), components(factory)))
			.withMessageContaining("dependency cycle")
			.withMessageContaining("logging -> network -> logging");
	}

}
