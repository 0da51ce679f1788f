package org.btcfed.node.network.noise;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.noise.NoiseException.Kind;

/**
 * The libp2p Noise handshake payload (noise spec "The libp2p Handshake Payload"):
 * {@code NoiseHandshakePayload { optional bytes identity_key = 1; optional bytes identity_sig = 2;
 * optional NoiseExtensions extensions = 4; }}, where {@code identity_sig} is the identity key's
 * Ed25519 signature over {@code "noise-libp2p-static-key:" || static X25519 public key}. This
 * node sends no extensions and skips the remote's, so muxer negotiation always follows the
 * handshake through multistream-select.
 */
final class HandshakePayload {

	private static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);

	private HandshakePayload() {
	}

	/**
	 * @param identity the node's identity
	 * @param staticKey this handshake's static X25519 public key
	 * @return the payload: {@code 0a 24 <PublicKey> 12 40 <signature>} (104 bytes)
	 */
	static byte[] encode(NodeKey identity, byte[] staticKey) {
		return encode(Libp2pKeys.publicKeyProtobuf(identity.publicKey()),
				identity.sign(signedBytes(staticKey)));
	}

	static byte[] encode(byte[] identityKey, byte[] identitySig) {
		byte[] out = new byte[CodedOutputStream.computeByteArraySize(1, identityKey)
				+ CodedOutputStream.computeByteArraySize(2, identitySig)];
		CodedOutputStream stream = CodedOutputStream.newInstance(out);
		try {
			stream.writeByteArray(1, identityKey);
			stream.writeByteArray(2, identitySig);
			stream.checkNoSpaceLeft();
		}
		catch (IOException ex) {
			throw new IllegalStateException("protobuf sizing is wrong", ex);
		}
		return out;
	}

	static byte[] signedBytes(byte[] staticKey) {
		return X25519.concat(SIGNATURE_PREFIX, staticKey);
	}

	/**
	 * Parses a remote's payload and checks its signature over the remote's static key.
	 * @param payload the decrypted payload
	 * @param remoteStatic the static X25519 key the remote used in this handshake
	 * @return the remote's raw Ed25519 identity key
	 * @throws NoiseException when the payload is broken or incomplete
	 * ({@link Kind#MALFORMED}), its key is not Ed25519 ({@link Kind#UNSUPPORTED_KEY}) or its
	 * signature does not verify ({@link Kind#BAD_SIGNATURE})
	 */
	static byte[] verify(byte[] payload, byte[] remoteStatic) {
		byte[] identityKey = null;
		byte[] identitySig = null;
		try {
			CodedInputStream in = CodedInputStream.newInstance(payload);
			for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
				int field = WireFormat.getTagFieldNumber(tag);
				boolean bytes = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
				if (field == 1 && bytes) {
					identityKey = in.readByteArray();
				}
				else if (field == 2 && bytes) {
					identitySig = in.readByteArray();
				}
				else if (field <= 2 || !in.skipField(tag)) {
					throw new NoiseException(Kind.MALFORMED,
							"Noise handshake payload has field " + field + " with the wrong wire type");
				}
			}
		}
		catch (IOException ex) {
			throw new NoiseException(Kind.MALFORMED, "Noise handshake payload is not a valid protobuf", ex);
		}
		if (identityKey == null || identitySig == null) {
			throw new NoiseException(Kind.MALFORMED, "Noise handshake payload lacks its "
					+ ((identityKey == null) ? "identity_key (field 1)" : "identity_sig (field 2)"));
		}
		byte[] remoteIdentity = Libp2pKeys.ed25519FromProtobuf(identityKey);
		if (!NodeKey.verify(remoteIdentity, signedBytes(remoteStatic), identitySig)) {
			throw new NoiseException(Kind.BAD_SIGNATURE,
					"Noise handshake payload's signature over the static key does not verify with its identity key");
		}
		return remoteIdentity;
	}

}
