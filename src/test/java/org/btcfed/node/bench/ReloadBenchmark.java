package org.btcfed.node.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.btcfed.node.SpringBootTestNode;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reload latency of the whole node (real Spring context, real files, the real logging
 * component): an in-place change of {@code logging.level}, alternated, measured from the
 * reports' own {@code durationMs} (read, parse, validate, diff, apply, commit, history write).
 * Not part of {@code verify}: timing targets live here, not in tests. Run with
 * <pre>./mvnw -q test -Dtest=ReloadBenchmark -Djacoco.skip=true -Dbench.iterations=1000</pre>
 * It prints p50, p90, p99 and max, and fails only if a reload does not succeed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class ReloadBenchmark {

	static final SpringBootTestNode NODE = SpringBootTestNode.create("btcfed-bench", NodeKey.generate().encoded());

	@Autowired
	ReloadCoordinator coordinator;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		NODE.register(registry);
	}

	@Test
	void inPlaceReloadLatency() throws Exception {
		int iterations = Integer.getInteger("bench.iterations", 500);
		int warmup = Math.max(20, iterations / 10);
		double[] durations = new double[iterations];
		Map<String, double[]> phases = new TreeMap<>();
		for (int i = 0; i < warmup + iterations; i++) {
			NODE.writeConf((i % 2 == 0) ? "error" : "warn");
			ReloadReport report = this.coordinator.submit(ReloadRequest.of(ReloadTrigger.HTTP)).join();
			assertThat(report.status()).isEqualTo(ReloadStatus.SUCCEEDED);
			if (i >= warmup) {
				durations[i - warmup] = report.durationMs();
				int index = i - warmup;
				report.phases().forEach((phase, ms) -> phases.computeIfAbsent(phase, k -> new double[iterations])[index] = ms);
			}
		}
		Arrays.sort(durations);
		System.out.printf(Locale.ROOT,
				"%nreload latency (logging.level in place, %d reloads): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n%n",
				iterations, percentile(durations, 50), percentile(durations, 90), percentile(durations, 99),
				durations[durations.length - 1]);
		phases.forEach((phase, values) -> {
			Arrays.sort(values);
			System.out.printf(Locale.ROOT, "  phase %-8s p50 %.2f ms, p99 %.2f ms%n", phase, percentile(values, 50),
					percentile(values, 99));
		});
	}

	private static double percentile(double[] sorted, int p) {
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
	}

}
