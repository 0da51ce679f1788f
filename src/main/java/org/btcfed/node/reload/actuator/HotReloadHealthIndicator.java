package org.btcfed.node.reload.actuator;

import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.report.ReloadState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code hotreload} health: DOWN while the engine is FAILED (a rollback failed), with the
 * reason; UP otherwise, with the state and running version.
 */
public class HotReloadHealthIndicator implements HealthIndicator {

	private final ReloadCoordinator coordinator;

	/**
	 * @param coordinator the reload engine
	 */
	public HotReloadHealthIndicator(ReloadCoordinator coordinator) {
		this.coordinator = coordinator;
	}

	@Override
	public Health health() {
		ReloadState state = this.coordinator.state();
		Health.Builder builder = (state == ReloadState.FAILED) ? Health.down() : Health.up();
		builder.withDetail("state", state.name())
			.withDetail("version", this.coordinator.active().version());
		String reason = this.coordinator.failureReason();
		if (state == ReloadState.FAILED && reason != null) {
			builder.withDetail("reason", reason);
		}
		return builder.build();
	}

}
