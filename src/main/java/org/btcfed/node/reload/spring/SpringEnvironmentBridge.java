package org.btcfed.node.reload.spring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.engine.ReloadListener;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Makes the active snapshot visible to the rest of Spring: as a property source named
 * {@value #SOURCE_NAME} with keys {@code btcfed.<key>} (secrets masked), replaced in one step at
 * each commit, followed by an {@link EnvironmentChangeEvent} naming the changed keys and a
 * refresh of {@code @RefreshScope} beans. Spring code that reads the Environment therefore sees
 * a new configuration only once every component has applied it.
 */
public class SpringEnvironmentBridge implements ReloadListener {

	/** Name of the property source holding the active snapshot. */
	public static final String SOURCE_NAME = "btcfed-config";

	/** Prefix of the snapshot's keys in the Environment. */
	public static final String PREFIX = "btcfed.";

	private final ConfigurableEnvironment environment;

	private final ApplicationEventPublisher publisher;

	private final @Nullable RefreshScope refreshScope;

	/**
	 * Publishes the start-up snapshot.
	 * @param environment the application's environment
	 * @param publisher publishes the change events
	 * @param refreshScope the refresh scope, if Spring Cloud's is active
	 * @param startup the start-up snapshot
	 */
	public SpringEnvironmentBridge(ConfigurableEnvironment environment, ApplicationEventPublisher publisher,
			@Nullable RefreshScope refreshScope, ConfigSnapshot startup) {
		this.environment = environment;
		this.publisher = publisher;
		this.refreshScope = refreshScope;
		this.environment.getPropertySources().addLast(toSource(startup));
	}

	@Override
	public void onCommit(ConfigSnapshot previous, ConfigSnapshot current, List<ConfigChange> changes) {
		this.environment.getPropertySources().replace(SOURCE_NAME, toSource(current));
		Set<String> keys = new LinkedHashSet<>();
		changes.forEach(change -> keys.add(PREFIX + change.key()));
		this.publisher.publishEvent(new EnvironmentChangeEvent(this.environment, keys));
		if (this.refreshScope != null) {
			this.refreshScope.refreshAll();
		}
	}

	private static PropertySource<ConfigSnapshot> toSource(ConfigSnapshot snapshot) {
		return new SnapshotPropertySource(snapshot);
	}

	/**
	 * The snapshot as a property source, built in constant time (a commit must not copy a
	 * thousand peers' entries): names are prefixed on demand, values masked on read.
	 */
	static final class SnapshotPropertySource extends EnumerablePropertySource<ConfigSnapshot> {

		private volatile String @Nullable [] names;

		SnapshotPropertySource(ConfigSnapshot snapshot) {
			super(SOURCE_NAME, snapshot);
		}

		@Override
		public String[] getPropertyNames() {
			String[] result = this.names;
			if (result == null) {
				List<String> all = new ArrayList<>(getSource().properties().size() + 1);
				getSource().properties().keySet().forEach(key -> all.add(PREFIX + key));
				all.add(PREFIX + "version");
				result = all.toArray(String[]::new);
				this.names = result;
			}
			return result;
		}

		@Override
		public @Nullable Object getProperty(String name) {
			if (!name.startsWith(PREFIX)) {
				return null;
			}
			String key = name.substring(PREFIX.length());
			return "version".equals(key) ? getSource().version() : getSource().maskedValue(key);
		}

		@Override
		public boolean containsProperty(String name) {
			return getProperty(name) != null;
		}

	}
}
