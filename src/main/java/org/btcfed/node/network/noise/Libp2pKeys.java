package org.btcfed.node.network.noise;

import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.btcfed.node.config.PeerId;
import org.btcfed.node.network.noise.NoiseException.Kind;

/**
 * libp2p's {@code PublicKey} protobuf (peer-ids spec: {@code KeyType Type = 1; bytes Data = 2;}),
 * for Ed25519 keys only. The encoding is the deterministic one go-libp2p and js-libp2p produce,
 * {@code 08 01 12 20 <32-byte key>}: it is the Noise payload's {@code identity_key} and
 * identify's {@code publicKey}, and a peer id is the multihash of it.
 */
public final class Libp2pKeys {

	/** {@code KeyType.Ed25519}. */
	public static final int ED25519 = 1;

	private static final int ED25519_KEY_LENGTH = 32;

	private static final String[] KEY_TYPE_NAMES = { "RSA", "Ed25519", "Secp256k1", "ECDSA" };

	private Libp2pKeys() {
	}

	/**
	 * Encodes an Ed25519 public key.
	 * @param ed25519Raw32 the raw 32-byte public key
	 * @return {@code 08 01 12 20 || key} (36 bytes)
	 * @throws IllegalArgumentException when the key is not 32 bytes
	 */
	public static byte[] publicKeyProtobuf(byte[] ed25519Raw32) {
		return PeerId.publicKeyProtobuf(ed25519Raw32);
	}

	/**
	 * Decodes a {@code PublicKey} protobuf that must hold an Ed25519 key. Unknown fields are
	 * skipped, as protobuf requires.
	 * @param protobuf the encoded {@code PublicKey}
	 * @return the raw 32-byte Ed25519 public key
	 * @throws NoiseException {@link Kind#UNSUPPORTED_KEY} for another key type,
	 * {@link Kind#MALFORMED} for a broken protobuf, a missing field or a key that is not 32
	 * bytes
	 */
	public static byte[] ed25519FromProtobuf(byte[] protobuf) {
		Integer type = null;
		byte[] data = null;
		try {
			CodedInputStream in = CodedInputStream.newInstance(protobuf);
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				int field = WireFormat.getTagFieldNumber(tag);
				int wireType = WireFormat.getTagWireType(tag);
				if (field == 1 && wireType == WireFormat.WIRETYPE_VARINT) {
					type = in.readEnum();
				}
				else if (field == 2 && wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
					data = in.readByteArray();
				}
				else if (field <= 2 || !in.skipField(tag)) {
					throw new NoiseException(Kind.MALFORMED, "libp2p PublicKey has field " + field
							+ " with wire type " + wireType);
				}
			}
		}
		catch (IOException ex) {
			throw new NoiseException(Kind.MALFORMED, "libp2p PublicKey is not a valid protobuf", ex);
		}
		if (type == null || data == null) {
			throw new NoiseException(Kind.MALFORMED,
					"libp2p PublicKey lacks its " + ((type == null) ? "Type (field 1)" : "Data (field 2)"));
		}
		if (type != ED25519) {
			throw new NoiseException(Kind.UNSUPPORTED_KEY,
					"libp2p key type " + typeName(type) + " is not supported, only Ed25519");
		}
		if (data.length != ED25519_KEY_LENGTH) {
			throw new NoiseException(Kind.MALFORMED,
					"libp2p Ed25519 key is " + data.length + " bytes, not " + ED25519_KEY_LENGTH);
		}
		return data;
	}

	private static String typeName(int type) {
		return (type >= 0 && type < KEY_TYPE_NAMES.length) ? KEY_TYPE_NAMES[type] + " (" + type + ")"
				: String.valueOf(type);
	}

}
