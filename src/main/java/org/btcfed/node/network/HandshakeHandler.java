package org.btcfed.node.network;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import org.btcfed.node.config.NodeKey;
import org.jspecify.annotations.Nullable;

/**
 * Both sides prove their Ed25519 identity: each sends HELLO (its key and a fresh nonce), then AUTH
 * (a signature over the other's nonce and both keys, see {@link Wire}). A peer not admitted, a
 * bad signature, a message out of order or no completion within the timeout rejects the
 * connection. On success the handler hands the channel to its {@link Listener} and leaves the
 * pipeline.
 */
final class HandshakeHandler extends SimpleChannelInboundHandler<ByteBuf> {

	private static final SecureRandom RANDOM = new SecureRandom();

	/** What the handshake needs from the node and tells it. */
	interface Listener {

		/** Whether a peer key (base64) may connect. */
		boolean admits(String peerKey);

		/** The handshake succeeded; the channel now belongs to the listener. */
		void authenticated(ChannelHandlerContext ctx, String peerKey);

		/**
		 * The handshake failed; the channel is being closed.
		 * @param peerKey the key the peer presented (base64), or null when it did not get that far
		 */
		void rejected(ChannelHandlerContext ctx, RejectReason reason, @Nullable String peerKey, String detail);

	}

	private final NodeKey key;

	private final long timeoutMillis;

	private final Listener listener;

	private final byte[] nonce = new byte[Wire.NONCE_LENGTH];

	private byte[] peerKey;

	private ScheduledFuture<?> timeout;

	HandshakeHandler(NodeKey key, long timeoutMillis, Listener listener) {
		super(true);
		this.key = key;
		this.timeoutMillis = timeoutMillis;
		this.listener = listener;
		RANDOM.nextBytes(this.nonce);
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		this.timeout = ctx.executor()
			.schedule(() -> reject(ctx, RejectReason.HANDSHAKE_TIMEOUT,
					"no handshake within " + this.timeoutMillis + " ms"), this.timeoutMillis, TimeUnit.MILLISECONDS);
		ByteBuf hello = ctx.alloc().buffer(4 + Wire.HELLO_LENGTH);
		hello.writeInt(Wire.HELLO_LENGTH).writeByte(Wire.HELLO).writeByte(Wire.VERSION);
		hello.writeBytes(this.key.publicKey()).writeBytes(this.nonce);
		ctx.writeAndFlush(hello);
		ctx.fireChannelActive();
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
		if (!ctx.channel().isActive()) {
			// Rejected earlier in this read: the frames that came with the bad one are not looked
			// at, or a valid AUTH right behind a bad frame would authenticate a closed channel.
			return;
		}
		byte type = frame.readableBytes() > 0 ? frame.readByte() : 0;
		if (type == Wire.HELLO && this.peerKey == null && frame.readableBytes() == Wire.HELLO_LENGTH - 1) {
			onHello(ctx, frame);
		}
		else if (type == Wire.AUTH && this.peerKey != null && frame.readableBytes() == Wire.SIGNATURE_LENGTH) {
			onAuth(ctx, frame);
		}
		else {
			reject(ctx, RejectReason.MALFORMED, "unexpected handshake message (type " + type + ", "
					+ (frame.readableBytes() + 1) + " bytes)");
		}
	}

	private void onHello(ChannelHandlerContext ctx, ByteBuf frame) {
		byte version = frame.readByte();
		if (version != Wire.VERSION) {
			reject(ctx, RejectReason.MALFORMED, "unsupported protocol version " + version);
			return;
		}
		byte[] key = new byte[Wire.KEY_LENGTH];
		byte[] peerNonce = new byte[Wire.NONCE_LENGTH];
		frame.readBytes(key).readBytes(peerNonce);
		String encoded = Base64.getEncoder().encodeToString(key);
		if (Arrays.equals(key, this.key.publicKey())) {
			reject(ctx, RejectReason.SELF, encoded, "the peer presented this node's own key");
			return;
		}
		if (!this.listener.admits(encoded)) {
			reject(ctx, RejectReason.UNKNOWN_PEER, encoded, "key " + encoded + " is not in peers.yaml");
			return;
		}
		this.peerKey = key;
		byte[] signature = this.key.sign(Wire.authTranscript(peerNonce, this.key.publicKey(), key));
		ByteBuf auth = ctx.alloc().buffer(4 + Wire.AUTH_LENGTH);
		auth.writeInt(Wire.AUTH_LENGTH).writeByte(Wire.AUTH).writeBytes(signature);
		ctx.writeAndFlush(auth);
	}

	private void onAuth(ChannelHandlerContext ctx, ByteBuf frame) {
		byte[] signature = new byte[Wire.SIGNATURE_LENGTH];
		frame.readBytes(signature);
		byte[] transcript = Wire.authTranscript(this.nonce, this.peerKey, this.key.publicKey());
		String encoded = Base64.getEncoder().encodeToString(this.peerKey);
		if (!NodeKey.verify(this.peerKey, transcript, signature)) {
			reject(ctx, RejectReason.BAD_SIGNATURE, encoded, "the signature of " + encoded + " does not verify");
			return;
		}
		this.timeout.cancel(false);
		ctx.pipeline().remove(this);
		this.listener.authenticated(ctx, encoded);
	}

	/**
	 * Bytes that are no frame (oversized, empty length) fail the handshake like a bad message:
	 * rejected, counted and logged once. Other failures (I/O) go on to the
	 * {@link ExceptionHandler}.
	 */
	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (cause instanceof DecoderException) {
			reject(ctx, ExceptionHandler.reasonOf(cause), String.valueOf(cause.getMessage()));
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
		reject(ctx, reason, null, detail);
	}

	private void reject(ChannelHandlerContext ctx, RejectReason reason, @Nullable String peerKey, String detail) {
		if (this.timeout != null) {
			this.timeout.cancel(false);
		}
		if (ctx.channel().attr(Connection.CLOSE_REASON).setIfAbsent(reason) == null) {
			this.listener.rejected(ctx, reason, peerKey, detail);
		}
		ctx.close();
	}

}
