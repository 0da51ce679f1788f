package org.btcfed.node.reload.spring;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.logging.LoggingRebinder;

/**
 * Spring Cloud's logging rebinder, but only when a {@code logging.level.*} Spring property
 * changed. The stock one re-binds every {@code logging.level.*} property on every
 * {@link EnvironmentChangeEvent}, whatever changed, which walks every property name of every
 * property source: with a thousand peers, most of a reload's commit. The node's own log level is
 * {@code btcfed.logging.level}, applied by the logging component.
 */
public class ChangedKeysLoggingRebinder extends LoggingRebinder {

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		if (event.getKeys().stream().anyMatch(key -> key.startsWith("logging.level."))) {
			super.onApplicationEvent(event);
		}
	}

}
