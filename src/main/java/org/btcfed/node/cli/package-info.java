/**
 * The admin command line, in the same jar as the node: {@code validate} (like {@code nginx -t},
 * through the same validation pipeline as start-up and reload), {@code reload} (SIGHUP, then the
 * resulting report), {@code status}, {@code history}, {@code keygen} (btc-federation's key
 * format) and {@code help}. None of them starts Spring.
 * <p>
 * Depends on the root {@code NodeProperties} and {@code DataDir}, {@code config},
 * {@code reload} and {@code reload.report} (the report it prints), jnr-posix (signals, the pid)
 * and Jackson; never on the engine, the network or Spring's context.
 */
@NullMarked
package org.btcfed.node.cli;

import org.jspecify.annotations.NullMarked;
