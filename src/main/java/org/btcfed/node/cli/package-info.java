/**
 * The admin command line, in the same jar as the node: {@code validate} (like {@code nginx -t}),
 * {@code reload} (SIGHUP, then the resulting report), {@code status} and {@code history}. None of
 * them starts Spring.
 */
@NullMarked
package org.btcfed.node.cli;

import org.jspecify.annotations.NullMarked;
