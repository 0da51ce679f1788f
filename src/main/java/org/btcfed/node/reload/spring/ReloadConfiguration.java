package org.btcfed.node.reload.spring;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.StartupConfiguration;
import org.btcfed.node.reload.HotReloadable;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadListener;
import org.btcfed.node.reload.engine.ReloadPlan;
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

	@Bean
	ConfigLoader.Staged startupStaged(ConfigLoader loader, NodeProperties properties, SignalGate gate) {
		return StartupConfiguration.load(loader, properties, gate);
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
	ReloadCoordinator reloadCoordinator(ConfigurableListableBeanFactory beanFactory, ConfigLoader loader,
			ConfigLoader.Staged startupStaged, NodeProperties properties, ObjectProvider<ReloadListener> listeners) {
		ReloadPlan plan = plan(beanFactory);
		ReloadHistory history = new ReloadHistory(properties.getDataDir(), properties.getReload().getHistoryLimit());
		ConfigVersionStore versions = new ConfigVersionStore(properties.getDataDir(),
				properties.getReload().getKeepVersions());
		ReloadCoordinator coordinator = new ReloadCoordinator(loader, startupStaged, plan, history, versions,
				properties, listeners.orderedStream().toList());
		// Recorded before any trigger can run (the HTTP endpoint and the file watch are live before
		// the node reports ready): the start-up version is always the first of this run.
		coordinator.recordStartup(startupStaged);
		return coordinator;
	}

	/** Orders the components by {@code @DependsOn} on their beans and their own {@code dependsOn()}. */
	static ReloadPlan plan(ConfigurableListableBeanFactory beanFactory) {
		Map<String, HotReloadable> beans = beanFactory.getBeansOfType(HotReloadable.class);
		Map<String, Set<String>> dependencies = new HashMap<>();
		beans.forEach((beanName, component) -> {
			Set<String> deps = new LinkedHashSet<>();
			String[] dependsOn = beanFactory.getMergedBeanDefinition(beanName).getDependsOn();
			for (String dependency : (dependsOn != null) ? dependsOn : new String[0]) {
				HotReloadable other = beans.get(dependency);
				if (other != null) {
					deps.add(other.name());
				}
			}
			dependencies.put(component.name(), deps);
		});
		return ReloadPlan.of(List.copyOf(beans.values()), dependencies);
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
