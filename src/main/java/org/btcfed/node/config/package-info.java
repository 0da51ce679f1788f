/**
 * The node's configuration: immutable snapshots of {@code conf.yaml} and {@code peers.yaml},
 * read with a safely configured SnakeYAML, bound against a fixed schema and validated without
 * touching anything live. The same code serves start-up, reload and the {@code validate} command.
 */
@NullMarked
package org.btcfed.node.config;

import org.jspecify.annotations.NullMarked;
