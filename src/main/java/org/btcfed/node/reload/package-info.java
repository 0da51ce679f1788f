/**
 * The reload contract, what a reloadable part of the node implements: {@link
 * org.btcfed.node.reload.HotReloadable} (the keys it owns, validate, apply, rollback, restore,
 * isolation), the {@link org.btcfed.node.reload.ComponentUpdate} it is given, the
 * {@link org.btcfed.node.reload.ConfigChange}s in it, the {@link
 * org.btcfed.node.reload.ReloadStrategy} of each key, and {@link
 * org.btcfed.node.reload.TransientReloadException} for a failure worth retrying. The engine that
 * calls it is in {@code reload.engine}.
 * <p>
 * Depends only on {@code config}. This package and its sub-packages know nothing of the network,
 * peers, protocols or logging: those implement {@code HotReloadable} and depend on it, never the
 * other way round.
 */
@NullMarked
package org.btcfed.node.reload;

import org.jspecify.annotations.NullMarked;
