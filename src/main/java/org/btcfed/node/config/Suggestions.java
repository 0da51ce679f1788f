package org.btcfed.node.config;

import java.util.Collection;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * "Did you mean" for unknown keys: the closest known key within a small edit distance, so that a
 * typo like {@code loging} is named rather than silently ignored.
 */
public final class Suggestions {

	private Suggestions() {
	}

	/**
	 * The known name closest to an unknown one, if it is close enough to be a typo.
	 * @param unknown what was written
	 * @param known the names it may have meant
	 * @return the closest known name, or {@code null} when none is within a small edit distance
	 */
	public static @Nullable String closest(String unknown, Collection<String> known) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : known) {
			int distance = distance(unknown.toLowerCase(Locale.ROOT), candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		int allowed = Math.max(1, Math.min(3, unknown.length() / 3));
		return (bestDistance <= allowed) ? best : null;
	}

	static String unknownKeyMessage(String unknown, Collection<String> known) {
		String suggestion = closest(unknown, known);
		if (suggestion != null) {
			return "unknown key '" + unknown + "', did you mean '" + suggestion + "'?";
		}
		return "unknown key '" + unknown + "'; known keys here: " + String.join(", ", known);
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		int[] beforePrevious = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
				current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
				if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
					// Two neighbouring letters swapped ("levle") is one slip, not two.
					current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
				}
			}
			int[] recycled = beforePrevious;
			beforePrevious = previous;
			previous = current;
			current = recycled;
		}
		return previous[b.length()];
	}

}
