/**
 * The engine in Spring: the configuration that builds the start-up snapshot (through the
 * validation pipeline), the coordinator with every {@code HotReloadable} bean in
 * {@code @DependsOn} order, history and versions; the bridge that shows conf.yaml's keys to
 * Spring's {@code Environment} as {@code btcfed.*}; and the routing of Spring Cloud's
 * {@code /actuator/refresh} and {@code RefreshScope} through the engine.
 * <p>
 * Depends on the root {@code NodeProperties}, {@code config}, {@code reload} and its
 * sub-packages, Spring Boot and Spring Cloud Context.
 */
@NullMarked
package org.btcfed.node.reload.spring;

import org.jspecify.annotations.NullMarked;
