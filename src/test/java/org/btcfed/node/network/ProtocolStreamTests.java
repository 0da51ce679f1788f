package org.btcfed.node.network;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import org.btcfed.node.network.LoopbackNodes.Node;
import org.btcfed.node.network.LoopbackNodes.Pair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.startPaired;
import static org.btcfed.node.network.PairChecks.assertUnaffected;

/**
 * Opening protocol streams on a real session between two network managers on loopback, from a
 * thread that is not the connection's event loop, as protocols and tests do.
 */
class ProtocolStreamTests {

	@TempDir
	Path dir;

	@RegisterExtension
	final LoopbackNodes nodes = new LoopbackNodes(() -> this.dir);

	@Test
	void openStreamWhenTheProtocolIdCannotBeProposedShouldThrowAndOpenNoStream() {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Pair pair = startPaired(a, b);
		assertThatIllegalArgumentException().isThrownBy(() -> pair.b().openStream("ls", (stream, data) -> {
		}));
		assertThat(pair.b().session().streamCount()).isZero();
		assertUnaffected(pair, a, b);
	}

	@Test
	void openStreamFromAnotherThreadShouldDeliverEveryMessage() {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		Pair pair = startPaired(a, b);
		List<String> sent = IntStream.range(0, 200).mapToObj(i -> "/test/msg " + i).toList();
		sent.forEach(message -> LoopbackNodes.send(pair.b(), "/test/msg", message.substring(10)));
		await().untilAsserted(() -> assertThat(a.dispatcher.messages).containsExactlyInAnyOrderElementsOf(sent));
		assertThat(pair.a().isOpen()).isTrue();
		assertThat(pair.b().isOpen()).isTrue();
	}

}
