/**
 * What a reload reports: the {@link org.btcfed.node.reload.report.ReloadReport} with its
 * {@link org.btcfed.node.reload.report.ReloadStatus}, errors ({@link
 * org.btcfed.node.reload.report.ReloadError}, {@link org.btcfed.node.reload.report.ErrorType}),
 * component results and {@link org.btcfed.node.reload.report.ReloadTrigger}, and the engine's
 * {@link org.btcfed.node.reload.report.ReloadState}. Immutable values, serialised as the
 * {@code hotreload} endpoint and the history file show them.
 * <p>
 * Depends only on {@code config} and {@code reload}.
 */
@NullMarked
package org.btcfed.node.reload.report;

import org.jspecify.annotations.NullMarked;
