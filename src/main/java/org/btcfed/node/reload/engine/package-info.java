/**
 * The reload engine, behind one public facade, {@link
 * org.btcfed.node.reload.engine.ReloadCoordinator}: it runs reloads one at a time, coalesces
 * triggers, and is the sole owner of the engine's state. A run (package-private) validates
 * through the {@code config} pipeline, diffs, updates the affected components in plan order, each
 * under a timeout on a worker, and rolls back on failure; it returns an outcome that the
 * coordinator commits, degrades or settles. Also public: the {@link
 * org.btcfed.node.reload.engine.ReloadRequest} to submit, the {@link
 * org.btcfed.node.reload.engine.ReloadListener} to hear commits and reports, and {@link
 * org.btcfed.node.reload.engine.VersionMismatchException}.
 * <p>
 * Depends on the root {@code NodeProperties}, {@code config}, {@code reload},
 * {@code reload.report} and {@code reload.history}; never on network, peer, protocol or logging,
 * nor on Spring beyond its utilities.
 */
@NullMarked
package org.btcfed.node.reload.engine;

import org.jspecify.annotations.NullMarked;
