/**
 * What the data dir keeps of reloads: the history of reports (JSON lines, bounded, kept across
 * restarts) and the committed config versions with the {@code last-known-good} pointer. File
 * names come from {@link org.btcfed.node.DataDir}.
 * <p>
 * Depends on the root {@code DataDir}, {@code config} and {@code reload.report}.
 */
@NullMarked
package org.btcfed.node.reload.history;

import org.jspecify.annotations.NullMarked;
