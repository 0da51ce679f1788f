/**
 * What starts a reload from outside the HTTP API: the SIGHUP listener installed in {@code main}
 * before Spring starts, the file watch (in place, save-by-rename and Kubernetes' {@code ..data}
 * swap, debounced), and the public signal-masking API ({@link
 * org.btcfed.node.reload.trigger.SignalGate}) that writers of config or key files use to hold
 * reloads back until they are done.
 * <p>
 * Depends on {@code config} only (for {@code SelfWrites}); triggers reach the engine through a
 * callback, so that they can start before it exists.
 */
@NullMarked
package org.btcfed.node.reload.trigger;

import org.jspecify.annotations.NullMarked;
