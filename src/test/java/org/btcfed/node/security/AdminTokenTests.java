package org.btcfed.node.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.btcfed.node.DataDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AdminTokenTests {

	@TempDir
	Path dataDir;

	@Test
	void resolveWhenEnvironmentSetShouldUseItAndWriteNoFile() {
		AdminToken token = AdminToken.resolve("s3cret-from-env", this.dataDir);
		assertThat(token.matches("s3cret-from-env")).isTrue();
		assertThat(token.matches("other")).isFalse();
		assertThat(token.source()).contains(AdminToken.ENV);
		assertThat(this.dataDir.resolve(DataDir.TOKEN_FILE)).doesNotExist();
		assertThat(token.toString()).doesNotContain("s3cret-from-env");
	}

	@Test
	void resolveWhenNoTokenShouldGenerateOwnerOnlyFileAndReuseIt() throws Exception {
		AdminToken first = AdminToken.resolve(null, this.dataDir);
		Path file = this.dataDir.resolve(DataDir.TOKEN_FILE);
		String stored = Files.readString(file).trim();
		assertThat(stored).hasSizeGreaterThanOrEqualTo(40);
		assertThat(first.matches(stored)).isTrue();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(first.source()).isEqualTo(file.toAbsolutePath().toString());
		AdminToken second = AdminToken.resolve("  ", this.dataDir);
		assertThat(second.matches(stored)).isTrue();
	}

	@Test
	void resolveWhenDataDirUnusableShouldSayWhichFile() throws Exception {
		Path notADir = this.dataDir.resolve("file");
		Files.writeString(notADir, "x");
		assertThatExceptionOfType(java.io.UncheckedIOException.class)
			.isThrownBy(() -> AdminToken.resolve(null, notADir))
			.withMessageContaining(DataDir.TOKEN_FILE)
			.withMessageContaining(AdminToken.ENV);
	}

}
