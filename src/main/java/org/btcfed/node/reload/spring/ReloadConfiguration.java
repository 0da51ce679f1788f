package org.btcfed.node.reload.spring;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.StartupConfiguration;
import org.btcfed.node.config.ValidationPipeline;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadListener;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.history.ConfigVersionStore;
import org.btcfed.node.reload.history.ReloadHistory;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.btcfed.node.reload.trigger.FileWatchTrigger;
import org.btcfed.node.reload.trigger.SignalGate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Wires the reload engine: the start-up configuration, the coordinator with every
 * {@link HotReloadable} bean in dependency order, history, versions and the Spring integration.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NodeProperties.class)
public class ReloadConfiguration {

	private static final Log logger = LogFactory.getLog(ReloadConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	SignalGate signalGate() {
		return new SignalGate();
	}

	/** Replaces Spring Cloud's, which would rebind logger levels on every reload (see the class). */
	@Bean
	static ChangedKeysLoggingRebinder loggingRebinder() {
		return new ChangedKeysLoggingRebinder();
	}

	@Bean
	ConfigLoader configLoader(NodeProperties properties) {
		return new ConfigLoader(properties.getConfigDir());
	}

	/** The one validation pipeline: start-up and every reload and dry run go through it. */
	@Bean
	ValidationPipeline validationPipeline(ConfigLoader loader, NodeProperties properties) {
		return properties.validationPipeline(loader, logger::warn);
	}

	@Bean
	ConfigLoader.Staged startupStaged(ValidationPipeline pipeline, SignalGate gate) {
		return StartupConfiguration.load(pipeline, gate::mask);
	}

	/** The configuration the node started with; components initialise themselves from it. */
	@Bean
	ConfigSnapshot startupConfig(ConfigLoader.Staged startupStaged) {
		return startupStaged.snapshot();
	}

	@Bean
	SpringEnvironmentBridge springEnvironmentBridge(ConfigurableEnvironment environment,
			ApplicationEventPublisher publisher, ObjectProvider<RefreshScope> refreshScope, ConfigSnapshot startupConfig) {
		return new SpringEnvironmentBridge(environment, publisher, refreshScope.getIfAvailable(), startupConfig);
	}

	@Bean(destroyMethod = "close")
	ReloadCoordinator reloadCoordinator(ConfigurableListableBeanFactory beanFactory, ValidationPipeline pipeline,
			ConfigLoader.Staged startupStaged, NodeProperties properties, ObjectProvider<ReloadListener> listeners) {
		Map<String, HotReloadable> components = beanFactory.getBeansOfType(HotReloadable.class);
		ReloadHistory history = new ReloadHistory(properties.getDataDir(), properties.getReload().getHistoryLimit());
		ConfigVersionStore versions = new ConfigVersionStore(properties.getDataDir(),
				properties.getReload().getKeepVersions());
		ReloadCoordinator coordinator = new ReloadCoordinator(pipeline, startupStaged,
				List.copyOf(components.values()), dependencies(beanFactory, components), history, versions, properties,
				listeners.orderedStream().toList());
		// Recorded before any trigger can run (the HTTP endpoint and the file watch are live before
		// the node reports ready): the start-up version is always the first of this run.
		coordinator.recordStartup(startupStaged);
		return coordinator;
	}

	/**
	 * The update-order dependencies that {@code @DependsOn} on the components' beans declares,
	 * by component name (the components add their own {@code dependsOn()}).
	 */
	static Map<String, Set<String>> dependencies(ConfigurableListableBeanFactory beanFactory,
			Map<String, HotReloadable> components) {
		Map<String, Set<String>> dependencies = new HashMap<>();
		components.forEach((beanName, component) -> {
			Set<String> deps = new LinkedHashSet<>();
			String[] dependsOn = beanFactory.getMergedBeanDefinition(beanName).getDependsOn();
			for (String dependency : (dependsOn != null) ? dependsOn : new String[0]) {
				HotReloadable other = components.get(dependency);
				if (other != null) {
					deps.add(other.name());
				}
			}
			dependencies.put(component.name(), deps);
		});
		return dependencies;
	}

	@Bean
	@ConditionalOnProperty(name = "btcfed.reload.watch", havingValue = "true")
	FileWatchTrigger fileWatchTrigger(NodeProperties properties, ReloadCoordinator coordinator) {
		return new FileWatchTrigger(properties.getConfigDir(), properties.getReload().getWatchDebounce(),
				() -> coordinator.submit(ReloadRequest.of(ReloadTrigger.FILE_WATCH)));
	}

	@Bean
	EngineContextRefresher engineContextRefresher(ConfigurableApplicationContext context, RefreshScope scope,
			RefreshAutoConfiguration.RefreshProperties refreshProperties, ObjectProvider<ReloadCoordinator> coordinator) {
		return new EngineContextRefresher(context, scope, refreshProperties, coordinator);
	}

}
