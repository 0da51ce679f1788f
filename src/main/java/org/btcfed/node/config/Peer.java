package org.btcfed.node.config;

import java.util.List;

/**
 * One federation member from {@code peers.yaml}.
 *
 * @param publicKey the member's Ed25519 public key, base64 (32 bytes)
 * @param addresses where it can be dialled; may be empty for a peer that only dials in
 */
public record Peer(String publicKey, List<Multiaddr> addresses) {

	public Peer {
		addresses = List.copyOf(addresses);
	}

}
