/**
 * Reload signals: the SIGHUP listener installed in {@code main} before Spring starts, and the
 * public signal-masking API that critical sections (e.g. writers of config or key files) use to
 * hold reloads back until they are done.
 */
@NullMarked
package org.btcfed.node.reload.trigger;

import org.jspecify.annotations.NullMarked;
