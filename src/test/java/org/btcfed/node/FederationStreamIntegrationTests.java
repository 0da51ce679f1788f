package org.btcfed.node;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.awaitility.core.ConditionFactory;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.btcfed.node.Federation.actions;
import static org.btcfed.node.Federation.listenAddresses;

/**
 * B streams 10,000 numbered messages to A over one connection while A is reloaded again and
 * again (log level, protocol settings, listen addresses): every message must arrive once and in
 * order, on that same connection, also those sent while a reload holds A's reads paused. The
 * federation is {@linkplain Federation started} for this test alone.
 */
class FederationStreamIntegrationTests {

	private static final int MESSAGES = 10_000;

	private static final int CHUNK = 1_000;

	/** How far the stream may run ahead of what A has received. */
	private static final int WINDOW = 200;

	@RegisterExtension
	final Federation federation = new Federation();

	@Test
	void reloadsWhileAPeerStreamsShouldDeliverEveryMessageOnceAndInOrder() throws Exception {
		FederationNode a = this.federation.a;
		FederationNode b = this.federation.b;
		Map<String, Map<String, String>> before = this.federation.connectionIds();
		String streamId = before.get("A").get(b.publicKey());
		String listenAddress = a.addresses().get(0);
		a.inbox().clear();
		MessageStream stream = new MessageStream();
		ExecutorService sender = Executors.newSingleThreadExecutor();
		List<ReloadReport> reports = new ArrayList<>();
		try {
			Future<?> sending = sender.submit(stream::send);
			reports.addAll(reloadRoundsWhile(sending, stream, listenAddress));
			sending.get(60, TimeUnit.SECONDS);
		}
		finally {
			sender.shutdownNow();
			a.level("info").pingInterval("5s").maxMessageSize("1MB").addresses(List.of(listenAddress)).writeConf();
			reports.add(a.reload());
		}
		await("every message at A").atMost(Duration.ofSeconds(30)).until(() -> a.inbox().size() >= MESSAGES);
		assertThat(a.inbox()).extracting(FederationNode.Received::number)
			.containsExactlyElementsOf(IntStream.range(0, MESSAGES).boxed().toList());
		assertThat(a.inbox()).allSatisfy(received -> {
			assertThat(received.connectionId()).isEqualTo(streamId);
			assertThat(received.peerKey()).isEqualTo(b.publicKey());
		});
		assertThat(stream.failedWrites).hasValue(0);
		assertThat(stream.sentWhilePaused).as("messages sent while A's reads were paused").hasPositiveValue();
		assertThat(reports.subList(0, reports.size() - 1))
			.allSatisfy(report -> assertThat(report.status()).as("%s", report).isEqualTo(ReloadStatus.SUCCEEDED));
		assertThat(reports.get(reports.size() - 1).status()).isIn(ReloadStatus.SUCCEEDED, ReloadStatus.NO_CHANGE);
		assertThat(reportsChanging(reports, "logging.level", "logging:UPDATED")).isGreaterThanOrEqualTo(3);
		assertThat(reportsChanging(reports, "protocol.ping_interval", "protocol:UPDATED")).isGreaterThanOrEqualTo(3);
		assertThat(reportsChanging(reports, "protocol.max_message_size", "protocol:UPDATED")).isGreaterThanOrEqualTo(3);
		assertThat(reportsChanging(reports, "network.addresses[1]", "network:UPDATED")).isGreaterThanOrEqualTo(3);
		assertThat(listenAddresses(a)).containsExactly(listenAddress);
		assertThat(this.federation.connectionIds()).isEqualTo(before);
		System.out.println("Streamed " + MESSAGES + " messages from B to A across " + stream.reloads
				+ " reloads of A; " + stream.sentWhilePaused + " were sent while A's reads were paused");
	}

	/**
	 * Reloads A round after round, at least three rounds and until the stream is out; each round
	 * changes the log level, then the protocol settings, then the listen addresses (an extra
	 * listener opened in one round is closed in the next).
	 */
	private List<ReloadReport> reloadRoundsWhile(Future<?> sending, MessageStream stream, String listenAddress) {
		FederationNode a = this.federation.a;
		List<ReloadReport> reports = new ArrayList<>();
		String extraAddress = null;
		for (int round = 0; round < 3 || !sending.isDone(); round++) {
			assertThat(round).as("reload rounds while streaming").isLessThan(200);
			boolean odd = round % 2 == 1;
			a.level(odd ? "info" : "warn").writeConf();
			reports.add(stream.reloaded(a.reload()));
			a.pingInterval(odd ? "5s" : "4s").maxMessageSize(odd ? "1MB" : "512KB").writeConf();
			reports.add(stream.reloaded(a.reload()));
			extraAddress = (extraAddress != null) ? null : FreePorts.loopbackAddress();
			a.addresses((extraAddress != null) ? List.of(listenAddress, extraAddress) : List.of(listenAddress))
				.writeConf();
			reports.add(stream.reloaded(a.reload()));
		}
		return reports;
	}

	/**
	 * B's side of the stream to A: 4-byte big-endian numbers, sent with
	 * {@link org.btcfed.node.protocol.MessageProtocol#send} from one thread, so in order. The
	 * stream spans A's reloads: chunk k goes out once A has finished k reloads, preferably while
	 * the next one has A's reads paused. Within a chunk it keeps at most {@code WINDOW} messages
	 * ahead of what A has received, so that it flows on through a reload instead of going out in
	 * one burst between two.
	 */
	private final class MessageStream {

		final AtomicInteger reloads = new AtomicInteger();

		final AtomicInteger failedWrites = new AtomicInteger();

		/** How many messages went out while a reload of A held its reads paused. */
		final AtomicInteger sentWhilePaused = new AtomicInteger();

		ReloadReport reloaded(ReloadReport report) {
			this.reloads.incrementAndGet();
			return report;
		}

		void send() {
			FederationNode target = FederationStreamIntegrationTests.this.federation.a;
			FederationNode source = FederationStreamIntegrationTests.this.federation.b;
			ReadGate gate = target.bean(ReadGate.class);
			String key = target.publicKey();
			for (int i = 0; i < MESSAGES; i++) {
				int chunk = i / CHUNK;
				int sent = i;
				if (i % CHUNK == 0) {
					// Best met while the next reload holds A's reads paused; if that is missed,
					// once it is over.
					awaitQuickly().until(() -> this.reloads.get() >= chunk
							&& (gate.isPaused() || this.reloads.get() > chunk));
				}
				if (target.inbox().size() < sent - WINDOW) {
					awaitQuickly().until(() -> target.inbox().size() >= sent - WINDOW);
				}
				if (gate.isPaused()) {
					this.sentWhilePaused.incrementAndGet();
				}
				source.messages()
					.send(key, ByteBuffer.allocate(4).putInt(i).array())
					.addListener(write -> {
						if (!write.isSuccess()) {
							this.failedWrites.incrementAndGet();
						}
					});
			}
		}

		private ConditionFactory awaitQuickly() {
			return await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
		}

	}

	private static long reportsChanging(List<ReloadReport> reports, String key, String action) {
		return reports.stream()
			.filter(report -> report.changes().stream().anyMatch(change -> change.key().equals(key)))
			.filter(report -> actions(report).contains(action))
			.count();
	}

}
