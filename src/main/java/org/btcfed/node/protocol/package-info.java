/**
 * Protocol handlers over authenticated sessions, keyed by protocol id: keepalive {@code ping}
 * and the application message protocol {@code msg}. Their {@code protocol.*} settings change in
 * place: each message is handled with the settings current when it is read. Also libp2p's
 * identify message ({@link org.btcfed.node.protocol.IdentifyMessage}).
 * <p>
 * Depends on {@code config}, the {@code reload} contract, {@code network} (sessions), Netty and
 * protobuf-java's coded streams (identify, written by hand: no generated code);
 * the network never depends on it.
 */
@NullMarked
package org.btcfed.node.protocol;

import org.jspecify.annotations.NullMarked;
