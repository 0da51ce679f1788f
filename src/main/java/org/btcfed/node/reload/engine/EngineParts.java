package org.btcfed.node.reload.engine;

import org.btcfed.node.NodeProperties;
import org.btcfed.node.config.ValidationPipeline;
import org.springframework.core.retry.RetryTemplate;

/**
 * What every reload runs with; fixed for the engine's life.
 *
 * @param pipeline validates the staged configuration
 * @param plan the components in update order
 * @param settings timeouts and retries
 * @param workers the threads component calls run on
 * @param applyRetry retries an apply that fails transiently
 */
record EngineParts(ValidationPipeline pipeline, ReloadPlan plan, NodeProperties.Reload settings, Workers workers,
		RetryTemplate applyRetry) {
}
