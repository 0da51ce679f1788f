package org.btcfed.node.reload.spring;

import java.util.LinkedHashSet;
import java.util.Set;

import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.autoconfigure.RefreshAutoConfiguration;
import org.springframework.cloud.context.refresh.ConfigDataContextRefresher;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring Cloud's refresh, routed through the reload engine, so that there is one way in: a
 * {@code RefreshEvent} (e.g. from Spring Cloud Bus) or any other caller of
 * {@code ContextRefresher.refresh()} runs a normal, validated, transactional reload (recorded
 * with trigger HTTP) instead of rebinding the live Environment directly.
 */
public class EngineContextRefresher extends ConfigDataContextRefresher {

	private final ObjectProvider<ReloadCoordinator> coordinator;

	/**
	 * @param context the application context
	 * @param scope the refresh scope
	 * @param properties Spring Cloud's refresh properties
	 * @param coordinator the reload engine (looked up lazily: it is created after this)
	 */
	public EngineContextRefresher(ConfigurableApplicationContext context, RefreshScope scope,
			RefreshAutoConfiguration.RefreshProperties properties, ObjectProvider<ReloadCoordinator> coordinator) {
		super(context, scope, properties);
		this.coordinator = coordinator;
	}

	@Override
	public synchronized Set<String> refresh() {
		return refreshEnvironment();
	}

	@Override
	public synchronized Set<String> refreshEnvironment() {
		ReloadReport report = this.coordinator.getObject().submit(ReloadRequest.of(ReloadTrigger.HTTP)).join();
		Set<String> keys = new LinkedHashSet<>();
		if (report.status() == ReloadStatus.SUCCEEDED) {
			report.changes().forEach(change -> keys.add(SpringEnvironmentBridge.PREFIX + change.key()));
		}
		return keys;
	}

}
