/**
 * The federation's membership: peers.yaml as a reloadable component, with atomic, signal-masked
 * writes; the {@code peers} actuator endpoint, the {@code p2p} health indicator and the P2P
 * metrics over the network's connections.
 * <p>
 * Depends on the root {@code NodeProperties}, {@code config}, the {@code reload} contract,
 * {@code reload.trigger} (signal masking), {@code network}, Spring Boot's actuator and
 * Micrometer.
 */
@NullMarked
package org.btcfed.node.peer;

import org.jspecify.annotations.NullMarked;
