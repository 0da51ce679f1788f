/**
 * The libp2p protocols the node serves on yamux streams, by protocol id: identify and identify
 * push ({@code /ipfs/id/1.0.0}, {@code /ipfs/id/push/1.0.0}), ping ({@code /ipfs/ping/1.0.0},
 * also the keepalive) and the application message protocol ({@code /btcfed/msg/1.0.0}). Their
 * {@code protocol.*} settings change in place: each message is handled with the settings current
 * when it is read.
 * <p>
 * Depends on {@code config}, the {@code reload} contract, {@code network} (connections, streams,
 * varints), Netty and protobuf-java; the network never depends on it.
 */
@NullMarked
package org.btcfed.node.protocol;

import org.jspecify.annotations.NullMarked;
