package org.btcfed.node.network;

import java.util.Map;

/**
 * Connection counters.
 *
 * @param admitted connections authenticated and registered
 * @param rejected refused connections by reason
 * @param closed closed registered connections by reason
 */
public record NetworkCounters(long admitted, Map<String, Long> rejected, Map<String, Long> closed) {
}
