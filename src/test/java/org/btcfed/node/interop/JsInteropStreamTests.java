package org.btcfed.node.interop;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.awaitility.core.ConditionFactory;
import org.btcfed.node.FreePorts;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.Connection;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.protocol.MessageProtocol;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node streams 10,000 numbered messages to a js-libp2p peer in echo mode while it is reloaded
 * 50 times (log level, {@code protocol.ping_interval} and {@code network.addresses}, between one
 * and two listeners): js must get every message once and in order, the node every echo, all on
 * one connection that no reload closes.
 */
class JsInteropStreamTests {

	private static final int MESSAGES = 10_000;

	private static final int RELOADS = 50;

	/** Messages sent between two reloads. */
	private static final int CHUNK = MESSAGES / RELOADS;

	/** How far the stream may run ahead of the echoes. */
	private static final int WINDOW = 500;

	@TempDir
	Path root;

	private final NodeKey jsKey = NodeKey.generate();

	@Test
	void sendWhenReloadedFiftyTimesShouldGetEveryEchoOnceInOrderOnOneConnection() throws Exception {
		String listen = FreePorts.loopbackAddress();
		try (InteropNode node = new InteropNode(this.root).addPeer(this.jsKey.publicKeyBase64())
			.addresses(List.of(listen))
			.start();
				JsPeer js = JsPeer.start("sendWhenReloadedFiftyTimes-js", this.jsKey, null, true)) {
			String nodeId = node.network().peerId().toString();
			js.dial(node.dialAddress());
			await().atMost(JsInteropTests.WAIT).until(() -> node.connection(this.jsKey) != null);
			Connection connection = node.connection(this.jsKey);
			AtomicInteger reloads = new AtomicInteger();
			AtomicInteger failedWrites = new AtomicInteger();
			AtomicInteger sentWhilePaused = new AtomicInteger();
			List<ReloadReport> reports = new ArrayList<>();
			ExecutorService sender = Executors.newSingleThreadExecutor();
			long started = System.nanoTime();
			try {
				Future<?> sending = sender.submit(() -> send(node, reloads, failedWrites, sentWhilePaused));
				for (int i = 0; i < RELOADS; i++) {
					boolean odd = i % 2 == 1;
					node.level(odd ? "info" : "warn")
						.pingInterval(odd ? "5s" : "4s")
						.addresses(odd ? List.of(listen) : List.of(listen, FreePorts.loopbackAddress()))
						.writeConf();
					reports.add(node.reload());
					reloads.incrementAndGet();
				}
				sending.get(60, TimeUnit.SECONDS);
				await("every echo").atMost(Duration.ofSeconds(30)).until(() -> node.received() >= MESSAGES);
			}
			finally {
				sender.shutdownNow();
			}
			long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

			List<Long> expected = LongStream.range(0, MESSAGES).boxed().toList();
			assertThat(reports).hasSize(RELOADS)
				.allSatisfy(report -> assertThat(report.status()).as("%s", report).isEqualTo(ReloadStatus.SUCCEEDED))
				.allSatisfy(report -> assertThat(report.changes()).extracting(ConfigChange::key)
					.contains("logging.level", "protocol.ping_interval")
					.anyMatch(key -> key.startsWith("network.addresses")));
			assertThat(failedWrites).hasValue(0);
			assertThat(js.messagesFrom(nodeId)).isEqualTo(expected);
			assertThat(node.sequences()).isEqualTo(expected);
			assertThat(node.connectionIds()).containsExactly(connection.id());
			assertThat(node.connection(this.jsKey)).isSameAs(connection);
			assertThat(connection.isOpen()).isTrue();
			assertThat(node.network().counters().closed()).isEmpty();
			assertThat(node.network().counters().admitted()).isEqualTo(1);
			assertThat(node.network().listenAddresses()).hasSize(1);
			assertThat(js.events()).noneMatch(JsPeer.event("disconnected"));
			// Listener changes were pushed (/ipfs/id/push/1.0.0; one made while a push is open is
			// pushed after it): js knows where the node listens now.
			List<String> listening = node.network().listenAddresses().stream().map(Object::toString).toList();
			await("js's view of the node's listen addresses").atMost(JsInteropTests.WAIT).untilAsserted(() -> {
				List<JsonNode> identified = js.events().stream().filter(JsPeer.event("peerIdentified", nodeId)).toList();
				assertThat(identified).as("js's identify, then the node's pushes").hasSizeGreaterThan(2);
				assertThat(identified.get(identified.size() - 1).path("listenAddrs").values())
					.extracting(JsonNode::asString).isEqualTo(listening);
			});
			assertThat(js.errors()).isEmpty();
			System.out.println("Echoed " + MESSAGES + " messages through js-libp2p in " + millis + " ms across "
					+ RELOADS + " reloads; " + sentWhilePaused + " were sent while the node's reads were paused");
		}
	}

	/**
	 * The node's side of the stream, sent with {@link MessageProtocol#send} from one thread, so
	 * in order: chunk k goes out once k reloads are done, at most {@code WINDOW} messages ahead of
	 * the echoes, so that the stream flows on through the reloads.
	 */
	private void send(InteropNode node, AtomicInteger reloads, AtomicInteger failedWrites,
			AtomicInteger sentWhilePaused) {
		ReadGate gate = node.bean(ReadGate.class);
		MessageProtocol messages = node.bean(MessageProtocol.class);
		String key = this.jsKey.publicKeyBase64();
		for (int i = 0; i < MESSAGES; i++) {
			int chunk = i / CHUNK;
			int sent = i;
			if (i % CHUNK == 0) {
				awaitQuickly().until(() -> reloads.get() >= chunk);
			}
			if (node.received() < sent - WINDOW) {
				awaitQuickly().until(() -> node.received() >= sent - WINDOW);
			}
			if (gate.isPaused()) {
				sentWhilePaused.incrementAndGet();
			}
			messages.send(key, JsPeer.numberedPayload(i)).addListener(write -> {
				if (!write.isSuccess()) {
					failedWrites.incrementAndGet();
				}
			});
		}
	}

	private static ConditionFactory awaitQuickly() {
		return await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
	}

}
