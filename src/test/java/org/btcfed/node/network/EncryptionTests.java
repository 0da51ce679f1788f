package org.btcfed.node.network;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.btcfed.node.FreePorts;
import org.btcfed.node.config.Peer;
import org.btcfed.node.network.LoopbackNodes.Node;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.network.LoopbackNodes.address;
import static org.btcfed.node.network.LoopbackNodes.awaitConnection;

/**
 * What the wire shows and what it may change: node A reaches node B only through a
 * {@link TcpRelay} (A's peers.yaml gives the relay's port for B; B dials A where nothing listens),
 * which records every byte and can flip a bit.
 */
class EncryptionTests {

	private static final String SECRET = "attack at dawn 0123456789";

	private static final String REPLY = "retreat at dusk 9876543210";

	@TempDir
	Path dir;

	@RegisterExtension
	final LoopbackNodes nodes = new LoopbackNodes(() -> this.dir);

	@Test
	void messagesShouldCrossTheWireOnlyEncryptedAndAFlippedBitShouldCloseTheSessionUndelivered() throws Exception {
		Node a = this.nodes.node("a");
		Node b = this.nodes.node("b");
		try (TcpRelay relay = new TcpRelay(b.port)) {
			b.start(16, List.of(new Peer(a.key.publicKeyBase64(), List.of(address(FreePorts.pick())))));
			a.start(16, List.of(new Peer(b.key.publicKeyBase64(), List.of(address(relay.port())))));
			Connection fromA = awaitConnection(a, b.key);
			Connection fromB = awaitConnection(b, a.key);
			assertThat(fromA.direction()).isEqualTo(Direction.OUTBOUND);
			assertThat(fromA.remoteAddress().port()).isEqualTo(relay.port());

			LoopbackNodes.send(fromA, "/test/msg", SECRET);
			LoopbackNodes.send(fromB, "/test/msg", REPLY);
			await().untilAsserted(() -> {
				assertThat(b.dispatcher.messages).containsExactly("/test/msg " + SECRET);
				assertThat(a.dispatcher.messages).containsExactly("/test/msg " + REPLY);
			});
			for (byte[] wire : List.of(relay.fromDialler(), relay.toDialler())) {
				assertThat(wire).hasSizeGreaterThan(300);
				assertThat(indexOf(wire, SECRET)).isEqualTo(-1);
				assertThat(indexOf(wire, REPLY)).isEqualTo(-1);
				assertThat(indexOf(wire, "/test/msg")).isEqualTo(-1);
				// The recording sees plaintext where there is any: multistream-select before Noise.
				assertThat(indexOf(wire, "/noise\n")).isPositive();
			}

			relay.flipNextMessage();
			LoopbackNodes.send(fromA, "/test/msg", "hold the line 42");
			await().untilAsserted(() -> {
				assertThat(b.network.counters().closed()).containsEntry("DECRYPTION_FAILED", 1L);
				assertThat(fromB.isOpen()).isFalse();
				assertThat(fromA.isOpen()).isFalse();
			});
			assertThat(relay.flipped()).isEqualTo(1);
			assertThat(b.dispatcher.messages).containsExactly("/test/msg " + SECRET);

			// A dials B again through the relay, which no longer tampers: a fresh session works.
			Connection again = await().until(() -> a.network.connection(b.key.publicKeyBase64()),
					connection -> connection != null && connection != fromA && connection.isOpen());
			LoopbackNodes.send(again, "/test/msg", "fresh session 777");
			await().untilAsserted(() -> assertThat(b.dispatcher.messages)
				.containsExactly("/test/msg " + SECRET, "/test/msg fresh session 777"));
			assertThat(relay.flipped()).isEqualTo(1);
			assertThat(b.network.counters().closed()).containsEntry("DECRYPTION_FAILED", 1L);
			assertThat(a.network.counters().rejected()).isEmpty();
			assertThat(b.network.counters().rejected()).isEmpty();
		}
	}

	private static int indexOf(byte[] haystack, String text) {
		byte[] needle = text.getBytes(StandardCharsets.UTF_8);
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
