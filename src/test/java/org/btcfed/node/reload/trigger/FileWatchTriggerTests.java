package org.btcfed.node.reload.trigger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.awaitility.Awaitility;
import org.btcfed.node.config.AtomicFiles;
import org.btcfed.node.reload.TestComponent;
import org.btcfed.node.reload.engine.ReloadCoordinator;
import org.btcfed.node.reload.engine.ReloadFixture;
import org.btcfed.node.reload.engine.ReloadRequest;
import org.btcfed.node.reload.report.ReloadReport;
import org.btcfed.node.reload.report.ReloadStatus;
import org.btcfed.node.reload.report.ReloadTrigger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file-watch trigger on a real directory with the engine behind it: edits in place, saves
 * by rename, and Kubernetes' atomic {@code ..data} symlink swap each make one FILE_WATCH reload.
 */
class FileWatchTriggerTests {

	@TempDir
	Path root;

	ReloadFixture fixture;

	FileWatchTrigger trigger;

	TestComponent logging = new TestComponent("logging", "logging.level");

	@BeforeEach
	void setUp() {
		this.fixture = new ReloadFixture(this.root);
	}

	@AfterEach
	void tearDown() {
		if (this.trigger != null) {
			this.trigger.stop();
		}
		this.fixture.close();
	}

	private void startWatching() {
		ReloadCoordinator coordinator = this.fixture.start(this.logging);
		this.trigger = new FileWatchTrigger(this.fixture.configDir, Duration.ofMillis(100),
				() -> coordinator.submit(ReloadRequest.of(ReloadTrigger.FILE_WATCH)));
		this.trigger.start();
		assertThat(this.trigger.isRunning()).isTrue();
	}

	private void awaitFileWatchReloadTo(String level) {
		Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			ReloadReport latest = this.fixture.coordinator.history().recent(1).get(0);
			assertThat(latest.trigger()).isEqualTo(ReloadTrigger.FILE_WATCH);
			assertThat(latest.status()).isEqualTo(ReloadStatus.SUCCEEDED);
			assertThat(this.logging.value).isEqualTo(level);
		});
	}

	/** conf.yaml holds the node key: the node refuses it readable by every user. */
	private static void writeOwnerOnly(Path file, String content) throws IOException {
		AtomicFiles.writeOwnerOnly(file, content.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void editInPlaceShouldReload() {
		startWatching();
		this.fixture.writeConf(Map.of("level", "debug"));
		awaitFileWatchReloadTo("debug");
	}

	@Test
	void saveByRenameShouldReload() throws Exception {
		startWatching();
		Path conf = this.fixture.configDir.resolve("conf.yaml");
		Path temp = this.fixture.configDir.resolve(".conf.yaml.swp");
		writeOwnerOnly(temp, Files.readString(conf).replace("level: info", "level: warn"));
		Files.move(temp, conf, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		awaitFileWatchReloadTo("warn");
	}

	@Test
	void kubernetesDataSymlinkSwapShouldReload() throws Exception {
		// The layout a ConfigMap volume has: files are symlinks through ..data, which points at a
		// timestamped directory and is replaced atomically by renaming a new symlink over it.
		Path dir = this.fixture.configDir;
		String conf = Files.readString(dir.resolve("conf.yaml"));
		Path first = Files.createDirectory(dir.resolve("..2026_11_24_10_00_00.1"));
		writeOwnerOnly(first.resolve("conf.yaml"), conf);
		Files.delete(dir.resolve("conf.yaml"));
		Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
		Files.createSymbolicLink(dir.resolve("conf.yaml"), Path.of("..data/conf.yaml"));
		startWatching();
		Path second = Files.createDirectory(dir.resolve("..2026_11_24_10_05_00.2"));
		writeOwnerOnly(second.resolve("conf.yaml"), conf.replace("level: info", "level: error"));
		Path staging = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
		Files.move(staging, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		awaitFileWatchReloadTo("error");
	}

	@Test
	void burstOfWritesShouldMakeOneReload() {
		startWatching();
		for (int i = 0; i < 20; i++) {
			this.fixture.writeConf(Map.of("level", (i % 2 == 0) ? "debug" : "warn", "max_connections", "1" + i));
		}
		this.fixture.writeConf(Map.of("level", "debug"));
		awaitFileWatchReloadTo("debug");
		assertThat(this.fixture.coordinator.history().recent(100))
			.filteredOn(r -> r.trigger() == ReloadTrigger.FILE_WATCH)
			.hasSizeLessThanOrEqualTo(2);
	}

	@Test
	void otherFilesShouldNotTriggerAReload() throws Exception {
		startWatching();
		Files.writeString(this.fixture.configDir.resolve("notes.txt"), "not config");
		// Four debounce periods without a FILE_WATCH reload after an unrelated file changed.
		Awaitility.await()
			.during(Duration.ofMillis(400))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.fixture.coordinator.history()
				.recent(100)
				.stream()
				.noneMatch(r -> r.trigger() == ReloadTrigger.FILE_WATCH));
		this.fixture.writeConf(Map.of("level", "warn"));
		awaitFileWatchReloadTo("warn");
		assertThat(this.fixture.coordinator.history().recent(100))
			.filteredOn(r -> r.trigger() == ReloadTrigger.FILE_WATCH)
			.hasSize(1);
	}

	@Test
	void startWhenDirectoryMissingShouldWarnAndNotRun() {
		this.trigger = new FileWatchTrigger(this.root.resolve("missing"), Duration.ofMillis(100), () -> {
		});
		this.trigger.start();
		assertThat(this.trigger.isRunning()).isFalse();
	}

}
