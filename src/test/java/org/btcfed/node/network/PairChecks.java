package org.btcfed.node.network;

import java.util.Map;
import java.util.TreeMap;

import org.btcfed.node.network.LoopbackNodes.Node;
import org.btcfed.node.network.LoopbackNodes.Pair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Checks that a connection which failed its upgrade or its session touched nothing else: the
 * node's session with a paired node, and its counters but for the one reason.
 */
final class PairChecks {

	private PairChecks() {
	}

	/**
	 * Asserts that a failed connection left a paired node alone: the same connection objects,
	 * still open, still carrying messages.
	 */
	static void assertUnaffected(Pair before, Node a, Node b) {
		assertThat(a.network.connections()).containsExactly(before.a());
		assertThat(b.network.connections()).containsExactly(before.b());
		assertThat(before.a().isOpen()).isTrue();
		assertThat(before.b().isOpen()).isTrue();
		int received = a.dispatcher.messages.size();
		LoopbackNodes.send(before.b(), "/test/msg", "unaffected");
		await().untilAsserted(() -> assertThat(a.dispatcher.messages).hasSize(received + 1)
			.endsWith("/test/msg unaffected"));
	}

	/**
	 * Counters without what pairing two nodes may still add while a test runs: a late duplicate
	 * dial is refused or closed ({@code DUPLICATE}), and its other end sees {@code CLOSED_BY_PEER}.
	 */
	static Map<String, Long> ignoringPairing(Map<String, Long> counters) {
		Map<String, Long> kept = new TreeMap<>(counters);
		kept.remove(RejectReason.DUPLICATE.name());
		kept.remove(RejectReason.CLOSED_BY_PEER.name());
		return kept;
	}

	/** Counters as they should read after one more of a reason, {@link #ignoringPairing}. */
	static Map<String, Long> plusOne(Map<String, Long> counters, RejectReason reason) {
		Map<String, Long> next = ignoringPairing(counters);
		next.merge(reason.name(), 1L, Long::sum);
		return next;
	}

}
