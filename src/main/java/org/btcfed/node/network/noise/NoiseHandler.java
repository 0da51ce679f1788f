package org.btcfed.node.network.noise;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageCodec;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.util.ReferenceCountUtil;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.noise.NoiseException.Kind;
import org.jspecify.annotations.Nullable;

/**
 * libp2p's Noise security layer as a Netty handler: it goes into a connection's pipeline right
 * after multistream-select chose {@code /noise} (bytes that already arrived may follow as
 * {@code channelRead}), runs the XX handshake and then encrypts and decrypts the byte stream.
 * Every message, handshake or transport, is framed as {@code u16 big-endian length || message};
 * reading copes with any TCP chunking.
 * <ul>
 * <li>The initiator writes message 1 as soon as the channel is active (at once when added to an
 * active channel).</li>
 * <li>When the handshake is done it fires {@link Established} with the remote's verified
 * Ed25519 key through {@code fireUserEventTriggered}; only then may handlers after it write.
 * Comparing that key with the peer a dialer expected is the caller's job.</li>
 * <li>From then on each inbound frame is decrypted and its plaintext passed on as a
 * {@link ByteBuf} (empty frames are dropped), and each outbound {@link ByteBuf} is encrypted in
 * chunks of at most {@value #MAX_PLAINTEXT} plaintext bytes, one frame each; the write's promise
 * completes when all of them are written.</li>
 * <li>Writes issued before {@link Established} are not queued: their promise fails with an
 * {@link IllegalStateException} and the message is released. Messages that are not
 * {@link ByteBuf}s fail with an {@link UnsupportedMessageTypeException}.</li>
 * <li>Any handshake or transport failure is a {@link NoiseException} fired through
 * {@code exceptionCaught}; the handler then discards all further input. Closing the connection
 * is left to the handler that maps the exception's {@link NoiseException#kind() kind} to a close
 * reason. There is no timeout here: the owner of the connection bounds the whole upgrade.</li>
 * </ul>
 * One instance per connection; it runs on the channel's event loop only.
 */
public final class NoiseHandler extends ByteToMessageCodec<Object> {

	/** Largest plaintext in one transport message: 65535 minus the 16-byte tag. */
	public static final int MAX_PLAINTEXT = 65535 - CipherState.TAG_LENGTH;

	private static final int LENGTH_FIELD = 2;

	private static final byte[] NO_AD = new byte[0];

	private @Nullable NoiseHandshake handshake;

	private @Nullable CipherState sender;

	private @Nullable CipherState receiver;

	private boolean started;

	private boolean failed;

	/**
	 * Creates the handler for one connection, with a fresh static X25519 key.
	 * @param initiator whether this side dialled the connection (and so speaks first)
	 * @param identity the node's identity, which signs the static key
	 */
	public NoiseHandler(boolean initiator, NodeKey identity) {
		this(initiator ? NoiseHandshake.initiator(identity) : NoiseHandshake.responder(identity));
	}

	NoiseHandler(NoiseHandshake handshake) {
		super(false);
		this.handshake = handshake;
	}

	/**
	 * @return whether the handshake completed and {@link Established} was fired
	 */
	public boolean isEstablished() {
		return this.sender != null;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
		super.handlerAdded(ctx);
		if (ctx.channel().isActive()) {
			start(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		start(ctx);
		super.channelActive(ctx);
	}

	private void start(ChannelHandlerContext ctx) {
		NoiseHandshake current = this.handshake;
		if (!this.started && current != null) {
			this.started = true;
			if (current.isWriteTurn()) {
				writeFrame(ctx, current.writeMessage());
			}
		}
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.failed) {
			in.skipBytes(in.readableBytes());
			return;
		}
		if (in.readableBytes() < LENGTH_FIELD) {
			return;
		}
		int length = in.getUnsignedShort(in.readerIndex());
		if (in.readableBytes() < LENGTH_FIELD + length) {
			return;
		}
		in.skipBytes(LENGTH_FIELD);
		try {
			NoiseHandshake current = this.handshake;
			if (current != null) {
				byte[] message = new byte[length];
				in.readBytes(message);
				handshakeStep(ctx, current, message);
			}
			else {
				decrypt(ctx, in, length, out);
			}
		}
		catch (NoiseException ex) {
			this.failed = true;
			in.skipBytes(in.readableBytes());
			throw ex;
		}
	}

	private void handshakeStep(ChannelHandlerContext ctx, NoiseHandshake current, byte[] message) {
		current.readMessage(message);
		if (current.isWriteTurn()) {
			writeFrame(ctx, current.writeMessage());
		}
		if (current.isComplete()) {
			this.sender = current.sender();
			this.receiver = current.receiver();
			this.handshake = null;
			ctx.fireUserEventTriggered(new Established(current.remotePublicKey()));
		}
	}

	private static void writeFrame(ChannelHandlerContext ctx, byte[] message) {
		ByteBuf frame = ctx.alloc().buffer(LENGTH_FIELD + message.length);
		frame.writeShort(message.length).writeBytes(message);
		ctx.writeAndFlush(frame).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
	}

	private void decrypt(ChannelHandlerContext ctx, ByteBuf in, int length, List<Object> out) {
		CipherState state = established(this.receiver);
		if (length < CipherState.TAG_LENGTH) {
			throw new NoiseException(Kind.MALFORMED, "Noise transport message is " + length
					+ " bytes, shorter than its " + CipherState.TAG_LENGTH + "-byte tag");
		}
		int plainLength = length - CipherState.TAG_LENGTH;
		byte[] source;
		int offset;
		if (in.hasArray()) {
			source = in.array();
			offset = in.arrayOffset() + in.readerIndex();
		}
		else {
			source = new byte[length];
			in.getBytes(in.readerIndex(), source);
			offset = 0;
		}
		byte[] plain = new byte[plainLength];
		state.decrypt(NO_AD, source, offset, length, plain, 0);
		in.skipBytes(length);
		if (plainLength > 0) {
			out.add(ctx.alloc().heapBuffer(plainLength).writeBytes(plain));
		}
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (!(msg instanceof ByteBuf)) {
			ReferenceCountUtil.release(msg);
			promise.setFailure(new UnsupportedMessageTypeException(msg, ByteBuf.class));
		}
		else if (!isEstablished()) {
			ReferenceCountUtil.release(msg);
			promise.setFailure(new IllegalStateException("the Noise handshake is not complete; nothing can be sent yet"));
		}
		else {
			super.write(ctx, msg, promise);
		}
	}

	@Override
	protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
		CipherState state = established(this.sender);
		ByteBuf plain = (ByteBuf) msg;
		int frames = (plain.readableBytes() + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
		out.ensureWritable(plain.readableBytes() + frames * (LENGTH_FIELD + CipherState.TAG_LENGTH));
		while (plain.isReadable()) {
			int length = Math.min(plain.readableBytes(), MAX_PLAINTEXT);
			byte[] source;
			int offset;
			if (plain.hasArray()) {
				source = plain.array();
				offset = plain.arrayOffset() + plain.readerIndex();
			}
			else {
				source = new byte[length];
				plain.getBytes(plain.readerIndex(), source);
				offset = 0;
			}
			byte[] ciphertext = new byte[length + CipherState.TAG_LENGTH];
			state.encrypt(NO_AD, source, offset, length, ciphertext, 0);
			plain.skipBytes(length);
			out.writeShort(ciphertext.length).writeBytes(ciphertext);
		}
	}

	private static CipherState established(@Nullable CipherState state) {
		if (state == null) {
			throw new IllegalStateException("the Noise handshake is not complete");
		}
		return state;
	}

	/**
	 * The user event fired once the handshake completed: the connection is now encrypted and
	 * authenticated as the holder of this Ed25519 key.
	 * @param remoteEd25519PublicKey the remote's raw 32-byte identity key, its signature over the
	 * handshake's static key verified
	 */
	public record Established(byte[] remoteEd25519PublicKey) {

		/**
		 * Creates the event.
		 * @param remoteEd25519PublicKey the remote's raw 32-byte identity key
		 */
		public Established {
			remoteEd25519PublicKey = remoteEd25519PublicKey.clone();
		}

		/**
		 * @return a copy of the remote's raw 32-byte identity key
		 */
		@Override
		public byte[] remoteEd25519PublicKey() {
			return this.remoteEd25519PublicKey.clone();
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Established established
					&& Arrays.equals(this.remoteEd25519PublicKey, established.remoteEd25519PublicKey);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.remoteEd25519PublicKey);
		}

		@Override
		public String toString() {
			return "Established[remote=" + Base64.getEncoder().encodeToString(this.remoteEd25519PublicKey) + "]";
		}

	}

}
