/**
 * multistream-select 1.0, libp2p's protocol negotiation: which security protocol runs on a TCP
 * connection, which muxer inside it, and which protocol on each stream. The negotiation itself
 * is a pure state machine ({@link org.btcfed.node.network.multistream.MultistreamSelect});
 * {@link org.btcfed.node.network.multistream.MultistreamHandler} runs it in a channel pipeline
 * and steps aside once a protocol is chosen.
 * <p>
 * Depends on {@code network.wire} (varints) and Netty; no other part of the node. The transport
 * and the protocols build on it.
 */
@NullMarked
package org.btcfed.node.network.multistream;

import org.jspecify.annotations.NullMarked;
