package org.btcfed.node.reload.history;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import org.btcfed.node.DataDir;
import org.btcfed.node.reload.ConfigChange;
import org.btcfed.node.reload.report.ComponentResult;
import org.btcfed.node.reload.report.ErrorType;
import org.btcfed.node.reload.report.ReloadError;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ReloadHistoryTests {

	@TempDir
	Path dataDir;

	private static ReloadReport report(ReloadStatus status) {
		return new ReloadReport(0, ReloadTrigger.SIGNAL, false, status, "sha256:a", "sha256:b", "2026-11-24T10:00:00Z", 3.2,
				Map.of("validate", 1.1), List.of(new ConfigChange("logging.level", ConfigChange.Kind.MODIFIED, "info",
						"debug")),
				List.of(new ComponentResult("logging", ComponentResult.Action.UPDATED, 0.4)),
				List.of(new ReloadError(ErrorType.VALIDATION, null, "network.addresses[0]", "conf.yaml", 4, 7, "bad")));
	}

	@Test
	void appendShouldNumberReportsAndKeepNewestFirst() {
		ReloadHistory history = new ReloadHistory(this.dataDir, 10);
		ReloadReport first = history.append(report(ReloadStatus.SUCCEEDED));
		ReloadReport second = history.append(report(ReloadStatus.REJECTED));
		assertThat(first.id()).isEqualTo(1);
		assertThat(second.id()).isEqualTo(2);
		assertThat(history.recent(10)).containsExactly(second, first);
		assertThat(history.recent(1)).containsExactly(second);
		assertThat(history.find(1)).contains(first);
		assertThat(history.find(99)).isEmpty();
	}

	@Test
	void historyShouldSurviveRestartAndContinueIds() {
		ReloadHistory before = new ReloadHistory(this.dataDir, 10);
		ReloadReport kept = before.append(report(ReloadStatus.SUCCEEDED));
		ReloadHistory after = new ReloadHistory(this.dataDir, 10);
		assertThat(after.recent(10)).containsExactly(kept);
		assertThat(after.append(report(ReloadStatus.NO_CHANGE)).id()).isEqualTo(2);
	}

	@Test
	void historyShouldStayBoundedInMemoryAndOnDisk() throws Exception {
		ReloadHistory history = new ReloadHistory(this.dataDir, 5);
		for (int i = 0; i < 23; i++) {
			history.append(report(ReloadStatus.SUCCEEDED));
		}
		assertThat(history.recent(100)).hasSize(5).first().extracting(ReloadReport::id).isEqualTo(23L);
		long lines = Files.readAllLines(this.dataDir.resolve(DataDir.HISTORY_FILE)).size();
		assertThat(lines).isLessThanOrEqualTo(10);
		assertThat(new ReloadHistory(this.dataDir, 5).recent(100)).extracting(ReloadReport::id)
			.containsExactly(23L, 22L, 21L, 20L, 19L);
	}

	@Test
	void historyWhenFileHasCorruptLineShouldSkipItAndKeepTheRest() throws Exception {
		ReloadHistory history = new ReloadHistory(this.dataDir, 10);
		history.append(report(ReloadStatus.SUCCEEDED));
		Files.writeString(this.dataDir.resolve(DataDir.HISTORY_FILE), "{\"id\": 7, \"trig",
				StandardOpenOption.APPEND);
		ReloadHistory reloaded = new ReloadHistory(this.dataDir, 10);
		assertThat(reloaded.recent(10)).hasSize(1);
		assertThat(reloaded.append(report(ReloadStatus.SUCCEEDED)).id()).isEqualTo(2);
	}

	@Test
	void appendWhenFileCannotBeWrittenShouldStillKeepReportInMemory() throws Exception {
		Path blocked = this.dataDir.resolve("blocked");
		Files.writeString(blocked, "a file where the data dir should be");
		ReloadHistory history = new ReloadHistory(blocked, 10);
		ReloadReport report = history.append(report(ReloadStatus.SUCCEEDED));
		assertThat(history.recent(10)).containsExactly(report);
	}

	@Test
	void dryRunShouldBeRecordedAsSuchAndSurviveRestart() throws Exception {
		ReloadHistory history = new ReloadHistory(this.dataDir, 10);
		ReloadReport real = history.append(report(ReloadStatus.SUCCEEDED));
		ReloadReport dry = history.append(new ReloadReport(0, ReloadTrigger.HTTP, true, ReloadStatus.REJECTED, "sha256:a",
				"sha256:a", "2026-11-24T10:01:00Z", 1.0, Map.of(), List.of(), List.of(), List.of()));
		List<String> lines = Files.readAllLines(this.dataDir.resolve(DataDir.HISTORY_FILE));
		assertThat(lines.get(0)).contains("\"dryRun\":false");
		assertThat(lines.get(1)).contains("\"dryRun\":true");
		assertThat(new ReloadHistory(this.dataDir, 10).recent(10)).containsExactly(dry, real);
	}

	@Test
	void historyWrittenBeforeDryRunWasRecordedShouldReadAsReloads() throws Exception {
		Files.writeString(this.dataDir.resolve(DataDir.HISTORY_FILE), "{\"id\":3,\"trigger\":\"SIGNAL\","
				+ "\"status\":\"SUCCEEDED\",\"previousVersion\":\"sha256:a\",\"version\":\"sha256:b\","
				+ "\"startedAt\":\"2026-11-24T10:00:00Z\",\"durationMs\":3.2,\"phases\":{},\"changes\":[],"
				+ "\"components\":[],\"errors\":[]}\n");
		List<ReloadReport> reports = new ReloadHistory(this.dataDir, 10).recent(10);
		assertThat(reports).singleElement().satisfies(r -> {
			assertThat(r.id()).isEqualTo(3);
			assertThat(r.dryRun()).isFalse();
		});
	}

}
