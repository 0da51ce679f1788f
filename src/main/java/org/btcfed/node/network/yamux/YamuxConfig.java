package org.btcfed.node.network.yamux;

/**
 * The limits of one yamux session, validated on construction.
 *
 * @param maxStreams the most streams open at once, both directions together; an inbound SYN
 * beyond it is refused with RST (the session goes on), an {@code open()} beyond it fails
 * @param maxUnacknowledgedInbound the most streams opened by the remote open at once, within
 * {@code maxStreams}; an inbound SYN beyond it is refused with RST. This is what bounds the
 * acceptor: inbound streams are accepted and acknowledged at once, so go's accept backlog of
 * streams the application has not taken yet cannot build up here
 * @param maxUnacknowledgedOutbound the most of our SYNs the remote has not acknowledged yet
 * (go-yamux stalls its own opens at 256); an {@code open()} beyond it fails
 * @param maxPendingBytes the most bytes of the whole session queued waiting for window; the
 * stream whose write goes beyond it is reset and its writes fail
 */
public record YamuxConfig(int maxStreams, int maxUnacknowledgedInbound, int maxUnacknowledgedOutbound,
		long maxPendingBytes) {

	/**
	 * Validates the limits.
	 * @throws IllegalArgumentException naming the limit and the rule when one is out of range
	 */
	public YamuxConfig {
		positive("maxStreams", maxStreams);
		positive("maxUnacknowledgedInbound", maxUnacknowledgedInbound);
		positive("maxUnacknowledgedOutbound", maxUnacknowledgedOutbound);
		positive("maxPendingBytes", maxPendingBytes);
	}

	/**
	 * The defaults: 1024 streams, 256 of them inbound, 256 SYNs unacknowledged (go-yamux's accept
	 * backlog), and
	 * 4 MiB queued per session.
	 * @return the default limits
	 */
	public static YamuxConfig defaults() {
		return new YamuxConfig(1024, 256, 256, 4L * 1024 * 1024);
	}

	private static void positive(String name, long value) {
		if (value < 1) {
			throw new IllegalArgumentException("yamux " + name + " must be at least 1, was " + value);
		}
	}

}
