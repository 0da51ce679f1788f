/**
 * The node's configuration: immutable snapshots of {@code conf.yaml} and {@code peers.yaml},
 * read with a safely configured SnakeYAML and bound against a fixed schema, and the one
 * {@link org.btcfed.node.config.ValidationPipeline} that start-up, reload, dry run and the
 * {@code validate} command all use (with the rules parts of the node add through
 * {@link org.btcfed.node.config.ConfigRules}). Nothing here touches anything live.
 * <p>
 * Depends on no other part of the node, only on libraries: SnakeYAML, jnr-posix (file modes),
 * Spring's retry, {@code DataSize} and Boot's {@code DurationStyle}, commons-logging,
 * BouncyCastle (Ed25519). Every other package may depend on it.
 */
@NullMarked
package org.btcfed.node.config;

import org.jspecify.annotations.NullMarked;
