package org.btcfed.node.config;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * A libp2p peer id: the multihash of a peer's {@code PublicKey} protobuf (peer-ids spec). For
 * an Ed25519 key the protobuf is 36 bytes, short enough to be inlined as an identity multihash
 * ({@code 00 24 08 01 12 20 <key>}), so the id carries the key and prints as 52 base58btc
 * characters starting {@code 12D3KooW}. Ids of longer keys are sha256 multihashes
 * ({@code Qm...}); they parse, but carry no key.
 * <p>
 * Immutable; equal when the multihash bytes are.
 */
public final class PeerId {

	/** The identity multihash code: the digest is the data itself. */
	private static final int IDENTITY = 0x00;

	private static final int SHA2_256 = 0x12;

	/** Longest key protobuf that go and js inline rather than hash. */
	private static final int MAX_INLINE_LENGTH = 42;

	private static final byte[] ED25519_PROTOBUF_PREFIX = { 0x08, 0x01, 0x12, 0x20 };

	private static final int SHOWN_LENGTH = 64;

	private final byte[] multihash;

	private PeerId(byte[] multihash) {
		this.multihash = multihash;
	}

	/**
	 * The peer id of an Ed25519 public key.
	 * @param ed25519Raw32 the raw 32-byte public key
	 * @return the peer id
	 * @throws IllegalArgumentException when the key is not 32 bytes
	 */
	public static PeerId of(byte[] ed25519Raw32) {
		byte[] protobuf = publicKeyProtobuf(ed25519Raw32);
		byte[] multihash = new byte[2 + protobuf.length];
		multihash[0] = IDENTITY;
		multihash[1] = (byte) protobuf.length;
		System.arraycopy(protobuf, 0, multihash, 2, protobuf.length);
		return new PeerId(multihash);
	}

	/**
	 * The {@code PublicKey} protobuf of an Ed25519 key as libp2p writes it (deterministic):
	 * {@code 08 01 12 20 <key>}, KeyType Ed25519 and the key. It is Noise's identity key and
	 * identify's {@code publicKey}.
	 * @param raw32 the raw 32-byte public key
	 * @return the 36-byte protobuf
	 * @throws IllegalArgumentException when the key is not 32 bytes
	 */
	public static byte[] publicKeyProtobuf(byte[] raw32) {
		if (raw32.length != NodeKey.PUBLIC_KEY_LENGTH) {
			throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, was " + raw32.length);
		}
		byte[] protobuf = Arrays.copyOf(ED25519_PROTOBUF_PREFIX, ED25519_PROTOBUF_PREFIX.length + raw32.length);
		System.arraycopy(raw32, 0, protobuf, ED25519_PROTOBUF_PREFIX.length, raw32.length);
		return protobuf;
	}

	/**
	 * Parses the text form, base58btc of the multihash.
	 * @param text e.g. {@code 12D3KooW...}
	 * @return the peer id
	 * @throws IllegalArgumentException when the text is not a base58btc identity or sha256
	 * multihash; the message quotes the text only when it is short
	 */
	public static PeerId parse(String text) {
		byte[] bytes;
		try {
			bytes = Base58.decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(text, ex.getMessage());
		}
		return fromBytes(bytes, text);
	}

	/**
	 * Reads the binary form, the multihash, e.g. from a multiaddr's {@code /p2p} component.
	 * @param multihash the bytes
	 * @return the peer id
	 * @throws IllegalArgumentException when the bytes are not an identity or sha256 multihash
	 */
	public static PeerId fromBytes(byte[] multihash) {
		return fromBytes(multihash.clone(), null);
	}

	private static PeerId fromBytes(byte[] bytes, @Nullable String text) {
		if (bytes.length < 2 || bytes[0] < 0 || bytes[1] < 0) {
			throw invalid(text, "is not a multihash libp2p uses for peer ids");
		}
		int code = bytes[0];
		int length = bytes[1];
		if (bytes.length - 2 != length) {
			throw invalid(text, "is not a multihash: it says " + length + " digest bytes, has " + (bytes.length - 2));
		}
		if (!(code == IDENTITY && length <= MAX_INLINE_LENGTH && length > 0) && !(code == SHA2_256 && length == 32)) {
			throw invalid(text, "is neither an identity multihash of a key nor a sha2-256 one (code 0x"
					+ Integer.toHexString(code) + ", " + length + " bytes)");
		}
		return new PeerId(bytes);
	}

	private static IllegalArgumentException invalid(@Nullable String text, String why) {
		String shown = (text == null) ? "peer id"
				: (text.length() <= SHOWN_LENGTH) ? "'" + text + "'" : "peer id (" + text.length() + " characters)";
		return new IllegalArgumentException(shown + " " + why + "; a peer id looks like 12D3KooW...");
	}

	/**
	 * @return the multihash bytes, as a multiaddr's {@code /p2p} component carries them
	 */
	public byte[] bytes() {
		return this.multihash.clone();
	}

	/**
	 * The Ed25519 key this id inlines.
	 * @return the raw 32-byte public key, or {@code null} when this id does not inline an
	 * Ed25519 {@code PublicKey} protobuf (e.g. a sha256 id)
	 */
	public byte @Nullable [] ed25519PublicKey() {
		int prefix = 2 + ED25519_PROTOBUF_PREFIX.length;
		if (this.multihash.length != prefix + NodeKey.PUBLIC_KEY_LENGTH || this.multihash[0] != IDENTITY
				|| !Arrays.equals(this.multihash, 2, prefix, ED25519_PROTOBUF_PREFIX, 0, ED25519_PROTOBUF_PREFIX.length)) {
			return null;
		}
		return Arrays.copyOfRange(this.multihash, prefix, this.multihash.length);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof PeerId id && Arrays.equals(this.multihash, id.multihash);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.multihash);
	}

	/**
	 * @return base58btc of the multihash, as go and js print it
	 */
	@Override
	public String toString() {
		return Base58.encode(this.multihash);
	}

}
