/**
 * The reload engine's HTTP face: the {@code hotreload} actuator endpoint, its health indicator
 * and metrics, and the bearer-token security in front of the actuator.
 */
@NullMarked
package org.btcfed.node.reload.actuator;

import org.jspecify.annotations.NullMarked;
