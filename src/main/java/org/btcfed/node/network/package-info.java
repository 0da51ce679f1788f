/**
 * The P2P transport: who the node talks to and over what. The
 * {@link org.btcfed.node.network.NetworkManager} runs it (Netty listeners and dialer, bound in
 * its {@code SmartLifecycle.start}) and is its reload component (listen addresses, limits and
 * the node's identity change without dropping established connections); {@code Admission}
 * decides who may connect and stay connected. Below them: a length-prefixed frame codec, the
 * Ed25519 handshake, one authenticated connection per peer, and the
 * {@link org.btcfed.node.network.ProtocolDispatcher} sessions are handed to.
 * <p>
 * Dependencies: {@code config} (snapshots, keys, multiaddrs) and the reload contract in
 * {@code reload} ({@code HotReloadable} and its types, never {@code reload}'s sub-packages).
 * {@code peer} and {@code protocol} build on this package (the peer store feeds
 * {@code updatePeers}, the protocols implement {@code ProtocolDispatcher}), never the other way
 * round; the reload engine ({@code reload}'s sub-packages) never imports it.
 */
@NullMarked
package org.btcfed.node.network;

import org.jspecify.annotations.NullMarked;
