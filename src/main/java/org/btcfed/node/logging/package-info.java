/**
 * The node's logging as {@code logging.*} in conf.yaml describes it, reloadable in place: the
 * level changes at once, and a format or output change opens the new outputs before it closes
 * the old ones, so that no line is lost. Built on Logback, Spring Boot's default, which the rest
 * of the node logs to through Spring's commons-logging bridge.
 * <p>
 * Depends on the root {@code NodeProperties}, {@code config}, the {@code reload} contract,
 * Logback and Spring Boot's logging support; nothing depends on it but the wiring.
 */
@NullMarked
package org.btcfed.node.logging;

import org.jspecify.annotations.NullMarked;
