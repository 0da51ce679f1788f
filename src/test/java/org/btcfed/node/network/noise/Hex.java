package org.btcfed.node.network.noise;

import java.util.HexFormat;

/**
 * Hex test data.
 */
final class Hex {

	private Hex() {
	}

	static byte[] bytes(String hex) {
		return HexFormat.of().parseHex(hex.replace(" ", ""));
	}

	static String of(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

}
