/**
 * The P2P transport: Netty listeners and dialer, a length-prefixed frame codec, the Ed25519
 * handshake, one authenticated connection per peer, and the {@link
 * org.btcfed.node.network.NetworkManager} that reloads listen addresses, limits and the node's
 * identity without dropping established connections.
 */
@NullMarked
package org.btcfed.node.network;

import org.jspecify.annotations.NullMarked;
