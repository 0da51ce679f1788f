/**
 * The libp2p Noise security layer ({@code /noise}): the handshake
 * {@code Noise_XX_25519_ChaChaPoly_SHA256} with the libp2p handshake payload, and the
 * transport encryption that follows it, as go-libp2p and js-libp2p speak them (see
 * {@code LIBP2P.md} section 3). {@link org.btcfed.node.network.noise.NoiseHandler} is the
 * Netty handler a connection's pipeline gets once multistream-select chose {@code /noise};
 * {@link org.btcfed.node.network.noise.NoiseHandshake} is the state machine under it and
 * {@link org.btcfed.node.network.noise.Libp2pKeys} the {@code PublicKey} protobuf.
 * <p>
 * Depends only on {@code config}'s {@code NodeKey} (the Ed25519 identity), Netty, protobuf-java's
 * coded streams, the JDK's ChaCha20-Poly1305 and HMAC, and BouncyCastle's X25519; nothing else of
 * the node.
 */
@NullMarked
package org.btcfed.node.network.noise;

import org.jspecify.annotations.NullMarked;
