package org.btcfed.node.network;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.multistream.MultistreamHandler;
import org.btcfed.node.network.multistream.MultistreamSelect;
import org.btcfed.node.network.noise.NoiseHandler;
import org.jspecify.annotations.Nullable;

/**
 * Upgrades a raw TCP connection to an authenticated libp2p session, the steps of LIBP2P.md in
 * order: multistream-select agrees on {@value #NOISE}; the Noise XX handshake proves the remote's
 * identity key; a key that is not admitted (or, as dialer, not the one dialled) is refused here,
 * before any stream can open; inside Noise, multistream-select agrees on {@value #YAMUX}; then the
 * {@link Listener} takes the connection and starts its yamux session. The whole upgrade must end
 * within the connection timeout. On success the upgrader leaves the pipeline.
 */
final class Upgrader extends ChannelInboundHandlerAdapter {

	static final String NOISE = "/noise";

	static final String YAMUX = "/yamux/1.0.0";

	/** What the upgrade needs from the node and tells it. */
	interface Listener {

		/** Whether a peer key (base64) may connect. */
		boolean admits(String peerKey);

		/**
		 * Whether an admitted peer would be refused for the connection limit.
		 * @return why, or null when there is room
		 */
		@Nullable String overLimit(String peerKey);

		/**
		 * The connection is authenticated and yamux was agreed on: the listener adds the session
		 * to the pipeline (before {@link ChannelSetup#EXCEPTIONS}) or closes the channel.
		 */
		void authenticated(ChannelHandlerContext ctx, String peerKey);

		/**
		 * The upgrade failed; the channel is being closed.
		 * @param peerKey the key the peer proved (base64), or null when it did not get that far
		 */
		void rejected(ChannelHandlerContext ctx, RejectReason reason, @Nullable String peerKey, String detail);

	}

	private final NodeKey identity;

	private final boolean initiator;

	private final long timeoutMillis;

	private final Listener listener;

	private @Nullable ScheduledFuture<?> timeout;

	private @Nullable String peerKey;

	Upgrader(NodeKey identity, boolean initiator, long timeoutMillis, Listener listener) {
		this.identity = identity;
		this.initiator = initiator;
		this.timeoutMillis = timeoutMillis;
		this.listener = listener;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		ctx.pipeline().addBefore(ctx.name(), "mss", new MultistreamHandler(this.initiator
				? MultistreamSelect.initiator(List.of(NOISE)) : MultistreamSelect.responder(NOISE::equals),
				(mss, protocol) -> mss.pipeline().addAfter(mss.name(), "noise",
						new NoiseHandler(this.initiator, this.identity))));
		if (ctx.channel().isActive()) {
			startTimer(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		startTimer(ctx);
		ctx.fireChannelActive();
	}

	private void startTimer(ChannelHandlerContext ctx) {
		if (this.timeout == null) {
			this.timeout = ctx.executor()
				.schedule(() -> reject(ctx, RejectReason.HANDSHAKE_TIMEOUT,
						"no libp2p handshake within " + this.timeoutMillis + " ms"), this.timeoutMillis,
						TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (!(event instanceof NoiseHandler.Established established)) {
			ctx.fireUserEventTriggered(event);
			return;
		}
		byte[] remote = established.remoteEd25519PublicKey();
		String key = Base64.getEncoder().encodeToString(remote);
		if (Arrays.equals(remote, this.identity.publicKey())) {
			reject(ctx, RejectReason.SELF, key, "the peer proved this node's own key");
			return;
		}
		String expected = ctx.channel().attr(ChannelSetup.EXPECTED_PEER).get();
		if (expected != null && !expected.equals(key)) {
			reject(ctx, RejectReason.PEER_ID_MISMATCH, key, "dialled " + expected + " but the remote proved " + key);
			return;
		}
		if (!this.listener.admits(key)) {
			reject(ctx, RejectReason.UNKNOWN_PEER, key, "key " + key + " is not in peers.yaml");
			return;
		}
		String full = this.listener.overLimit(key);
		if (full != null) {
			reject(ctx, RejectReason.CONNECTION_LIMIT, key, full);
			return;
		}
		this.peerKey = key;
		ctx.pipeline().addBefore(ctx.name(), "mss-muxer", new MultistreamHandler(this.initiator
				? MultistreamSelect.initiator(List.of(YAMUX)) : MultistreamSelect.responder(YAMUX::equals),
				(mss, protocol) -> muxerAgreed(ctx)));
	}

	private void muxerAgreed(ChannelHandlerContext ctx) {
		if (this.timeout != null) {
			this.timeout.cancel(false);
		}
		ctx.pipeline().remove(this);
		this.listener.authenticated(ctx, this.peerKey);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		// Nothing reaches the upgrader but bytes after a refusal: the channel is closing.
		ReferenceCountUtil.release(msg);
	}

	/**
	 * A layer that cannot make sense of the bytes (multistream, Noise) fails the upgrade like a
	 * refused key: counted and logged once. Other failures (I/O) go on to the
	 * {@link ExceptionHandler}.
	 */
	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof DecoderException) {
			reject(ctx, ExceptionHandler.reasonOf(cause), this.peerKey, String.valueOf(cause.getMessage()));
		}
		else {
			ctx.fireExceptionCaught(cause);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (this.timeout != null) {
			this.timeout.cancel(false);
		}
		ctx.fireChannelInactive();
	}

	private void reject(ChannelHandlerContext ctx, RejectReason reason, String detail) {
		reject(ctx, reason, this.peerKey, detail);
	}

	private void reject(ChannelHandlerContext ctx, RejectReason reason, @Nullable String key, String detail) {
		if (this.timeout != null) {
			this.timeout.cancel(false);
		}
		if (ctx.channel().attr(Connection.CLOSE_REASON).setIfAbsent(reason) == null) {
			this.listener.rejected(ctx, reason, key, detail);
		}
		ctx.close();
	}

}
