/**
 * Byte-level building blocks of libp2p's wire formats, shared by the transport and the
 * protocols: unsigned varints and {@code uvarint(length) || payload} messages on Netty buffers
 * ({@link org.btcfed.node.network.wire.Varint}).
 * <p>
 * Depends only on Netty's buffers and codec exceptions; no other part of the node. Every package
 * that reads or writes libp2p messages may depend on it.
 */
@NullMarked
package org.btcfed.node.network.wire;

import org.jspecify.annotations.NullMarked;
