/**
 * The transactional reload engine: a {@link org.btcfed.node.reload.engine.ReloadCoordinator} stages and
 * validates a new configuration, diffs it against the running one, applies it to the affected
 * {@link org.btcfed.node.reload.HotReloadable} components in dependency order, and rolls every
 * applied component back when one fails. History, version backups and the Spring integration
 * live here too.
 * <p>
 * This package knows nothing of the network, peers, protocols or logging: those implement
 * {@code HotReloadable} and depend on this package, never the other way round.
 */
@NullMarked
package org.btcfed.node.reload;

import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.jspecify.annotations.NullMarked;
