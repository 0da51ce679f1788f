/**
 * The P2P transport, libp2p over TCP as go-libp2p and js-libp2p speak it (LIBP2P.md): who the
 * node talks to and over what. The {@link org.btcfed.node.network.NetworkManager} runs it (Netty
 * listeners and dialer, bound in its {@code SmartLifecycle.start}) and is its reload component
 * (listen addresses, limits and the node's identity change without dropping established
 * connections); {@code Admission} decides who may connect and stay connected. Each connection is
 * upgraded by the {@code Upgrader} (multistream-select, Noise, multistream-select, yamux: the
 * layers in the sub-packages {@code multistream}, {@code noise} and {@code yamux}, with
 * {@code wire}'s varints); an authenticated {@link org.btcfed.node.network.Connection} carries
 * {@link org.btcfed.node.network.ProtocolStream}s, which the
 * {@link org.btcfed.node.network.ProtocolDispatcher} serves.
 * <p>
 * Dependencies: {@code config} (snapshots, keys, peer ids, multiaddrs), the reload contract in
 * {@code reload} ({@code HotReloadable} and its types, never {@code reload}'s sub-packages),
 * Netty and protobuf-java. {@code peer} and {@code protocol} build on this package (the peer
 * store feeds {@code updatePeers}, the protocols implement {@code ProtocolDispatcher}), never
 * the other way round; the reload engine ({@code reload}'s sub-packages) never imports it.
 */
@NullMarked
package org.btcfed.node.network;

import org.jspecify.annotations.NullMarked;
