/**
 * The reload engine's HTTP face: the {@code hotreload} actuator endpoint, its health indicator
 * and metrics. Answers that are not reload reports (400, 401, 404, 412) are RFC 9457 problem
 * details ({@link org.btcfed.node.reload.actuator.Problems}).
 * <p>
 * Depends on {@code reload.engine} (the facade), {@code reload.report}, Spring Boot's actuator,
 * Spring Web and Micrometer.
 */
@NullMarked
package org.btcfed.node.reload.actuator;

import org.jspecify.annotations.NullMarked;
