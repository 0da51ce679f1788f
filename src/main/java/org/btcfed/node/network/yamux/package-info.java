/**
 * The yamux 1.0.0 stream multiplexer of libp2p ({@code /yamux/1.0.0}), wire compatible with
 * go-yamux v4 and js-libp2p-yamux: many independent, flow-controlled byte streams over one
 * secured connection. {@link org.btcfed.node.network.yamux.YamuxSession} is the Netty handler
 * placed after the Noise handler; protocols see {@link org.btcfed.node.network.yamux.YamuxStream}s
 * and supply a {@link org.btcfed.node.network.yamux.YamuxStreamHandler} for each. Every frame is
 * read and written on the connection's event loop; the stream and session methods hop there.
 * <p>
 * Dependencies: Netty and JSpecify only, nothing else of the node, so that the transport can
 * build on it without a cycle.
 */
@NullMarked
package org.btcfed.node.network.yamux;

import org.jspecify.annotations.NullMarked;
