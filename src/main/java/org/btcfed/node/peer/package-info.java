/**
 * The federation's membership: peers.yaml as a reloadable component, with atomic, signal-masked
 * writes, and the {@code peers} actuator endpoint.
 */
@NullMarked
package org.btcfed.node.peer;

import org.jspecify.annotations.NullMarked;
