/**
 * Protocol handlers over authenticated sessions, keyed by protocol id: keepalive {@code ping}
 * and the application message protocol {@code msg}. Their {@code protocol.*} settings change in
 * place: each message is handled with the settings current when it is read.
 * <p>
 * Depends on {@code config}, the {@code reload} contract, {@code network} (sessions) and Netty;
 * the network never depends on it.
 */
@NullMarked
package org.btcfed.node.protocol;

import org.jspecify.annotations.NullMarked;
