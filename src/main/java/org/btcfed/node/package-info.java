/**
 * The node's entry point and what belongs to the process as a whole: {@code main} (the admin
 * command line, or SIGHUP first and then Spring), the node's own {@code btcfed.*} settings
 * ({@link org.btcfed.node.NodeProperties}), the data dir's layout and lock
 * ({@link org.btcfed.node.DataDir}: every file name in it is defined there), the ready line, and
 * the failure analyzers that turn start-up errors into one clear message.
 * <p>
 * May depend on every package of the node; no package depends on this one except for
 * {@code NodeProperties} and {@code DataDir}.
 */
@NullMarked
package org.btcfed.node;

import org.jspecify.annotations.NullMarked;
