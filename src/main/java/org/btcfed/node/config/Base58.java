package org.btcfed.node.config;

import java.util.Arrays;

/**
 * base58btc, the Bitcoin alphabet that libp2p uses for peer ids: each leading zero byte is a
 * leading {@code 1}, the rest is the number in base 58. Stateless and thread-safe.
 */
public final class Base58 {

	private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();

	private static final int[] INDEX = new int[128];

	static {
		Arrays.fill(INDEX, -1);
		for (int i = 0; i < ALPHABET.length; i++) {
			INDEX[ALPHABET[i]] = i;
		}
	}

	private Base58() {
	}

	/**
	 * Encodes bytes.
	 * @param bytes the bytes
	 * @return the base58btc text, empty for no bytes
	 */
	public static String encode(byte[] bytes) {
		int zeros = 0;
		while (zeros < bytes.length && bytes[zeros] == 0) {
			zeros++;
		}
		// log(256) / log(58) < 1.37: enough digits for the number, least significant last.
		byte[] digits = new byte[(bytes.length - zeros) * 138 / 100 + 1];
		int length = 0;
		for (int i = zeros; i < bytes.length; i++) {
			int carry = bytes[i] & 0xFF;
			int j = 0;
			for (int k = digits.length - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
				carry += 256 * (digits[k] & 0xFF);
				digits[k] = (byte) (carry % 58);
				carry /= 58;
			}
			length = j;
		}
		StringBuilder text = new StringBuilder(zeros + length);
		text.append("1".repeat(zeros));
		for (int k = digits.length - length; k < digits.length; k++) {
			text.append(ALPHABET[digits[k]]);
		}
		return text.toString();
	}

	/**
	 * Decodes base58btc text.
	 * @param text the text
	 * @return the bytes
	 * @throws IllegalArgumentException when a character is not in the alphabet (the message
	 * names its position, not the text)
	 */
	public static byte[] decode(String text) {
		int zeros = 0;
		while (zeros < text.length() && text.charAt(zeros) == '1') {
			zeros++;
		}
		// log(58) / log(256) < 0.74
		byte[] number = new byte[(text.length() - zeros) * 733 / 1000 + 1];
		int length = 0;
		for (int i = zeros; i < text.length(); i++) {
			char c = text.charAt(i);
			int carry = (c < 128) ? INDEX[c] : -1;
			if (carry < 0) {
				throw new IllegalArgumentException("is not base58btc: character " + (i + 1) + " is not in its alphabet");
			}
			int j = 0;
			for (int k = number.length - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
				carry += 58 * (number[k] & 0xFF);
				number[k] = (byte) carry;
				carry >>>= 8;
			}
			length = j;
		}
		byte[] out = new byte[zeros + length];
		System.arraycopy(number, number.length - length, out, zeros, length);
		return out;
	}

}
