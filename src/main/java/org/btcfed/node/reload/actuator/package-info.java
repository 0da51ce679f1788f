/**
 * The reload engine's HTTP face: the {@code hotreload} actuator endpoint, its health indicator
 * and metrics, and the bearer-token security in front of the actuator. Answers that are not
 * reload reports (400, 401, 404, 412) are RFC 9457 problem details ({@code Problems}).
 */
@NullMarked
package org.btcfed.node.reload.actuator;

import org.jspecify.annotations.NullMarked;
