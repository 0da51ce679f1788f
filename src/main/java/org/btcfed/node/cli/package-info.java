/**
 * The admin command line, in the same jar as the node: {@code validate} (like {@code nginx -t}),
 * {@code reload} (SIGHUP, then the resulting report), {@code status}, {@code history},
 * {@code keygen} (btc-federation's key format) and {@code help}. None of them starts Spring.
 */
@NullMarked
package org.btcfed.node.cli;

import org.jspecify.annotations.NullMarked;
