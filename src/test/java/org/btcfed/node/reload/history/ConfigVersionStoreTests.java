package org.btcfed.node.reload.history;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigVersionStoreTests {

	@TempDir
	Path dataDir;

	private static String version(int i) {
		return "sha256:" + String.format("%064x", i);
	}

	@Test
	void saveShouldKeepNewestVersionsAndPointLastKnownGoodAtNewest() throws Exception {
		ConfigVersionStore store = new ConfigVersionStore(this.dataDir, 3);
		for (int i = 1; i <= 5; i++) {
			store.save(version(i), Map.of("conf.yaml", ("v" + i).getBytes(StandardCharsets.UTF_8)));
		}
		assertThat(store.versions()).hasSize(3);
		Path newest = store.lastKnownGood().orElseThrow();
		assertThat(newest).isEqualTo(store.versions().get(2));
		assertThat(newest.getFileName().toString()).endsWith(version(5).substring(7, 19));
		Path conf = newest.resolve("conf.yaml");
		assertThat(Files.readString(conf)).isEqualTo("v5");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-------");
	}

	@Test
	void lastKnownGoodWhenNothingSavedShouldBeEmpty() {
		ConfigVersionStore store = new ConfigVersionStore(this.dataDir, 3);
		assertThat(store.lastKnownGood()).isEmpty();
		assertThat(store.versions()).isEmpty();
	}

	@Test
	void saveWhenDataDirUnusableShouldNotThrow() throws Exception {
		Path file = this.dataDir.resolve("file");
		Files.writeString(file, "x");
		ConfigVersionStore store = new ConfigVersionStore(file, 3);
		store.save(version(1), Map.of("conf.yaml", new byte[] { 1 }));
		assertThat(store.versions()).isEmpty();
	}

}
