/**
 * The node's logging as {@code logging.*} in conf.yaml describes it, reloadable in place: the
 * level changes at once, and a format or output change opens the new outputs before it closes
 * the old ones, so that no line is lost. Built on Logback, Spring Boot's default; the rest of the
 * node just logs through SLF4J.
 */
@NullMarked
package org.btcfed.node.logging;

import org.jspecify.annotations.NullMarked;
