package org.btcfed.node.network.yamux;

/**
 * The user event a {@link YamuxSession} fires when the remote sent {@code GO_AWAY}: it accepts no
 * new streams (our opens from then on fail), the open ones continue.
 *
 * @param code the remote's code: 0 normal, 1 protocol error, 2 internal error
 */
public record YamuxGoAway(int code) {
}
