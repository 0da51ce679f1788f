package org.btcfed.node.security;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.btcfed.node.DataDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AdminTokenTests {

	@TempDir
	Path dataDir;

	final List<String> warnings = new ArrayList<>();

	@Test
	void resolveWhenEnvironmentSetShouldUseItAndWriteNoFile() {
		AdminToken token = AdminToken.resolve("s3cret-from-env", this.dataDir, this.warnings::add);
		assertThat(token.matches("s3cret-from-env")).isTrue();
		assertThat(token.matches("other")).isFalse();
		assertThat(token.source()).contains(AdminToken.ENV);
		assertThat(this.dataDir.resolve(DataDir.TOKEN_FILE)).doesNotExist();
		assertThat(token.toString()).doesNotContain("s3cret-from-env");
		assertThat(this.warnings).isEmpty();
	}

	@Test
	void resolveWhenNoTokenShouldGenerateOwnerOnlyFileAndReuseIt() throws Exception {
		AdminToken first = AdminToken.resolve(null, this.dataDir, this.warnings::add);
		Path file = this.dataDir.resolve(DataDir.TOKEN_FILE);
		String stored = Files.readString(file).trim();
		assertThat(stored).hasSizeGreaterThanOrEqualTo(40);
		assertThat(first.matches(stored)).isTrue();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(first.source()).isEqualTo(file.toAbsolutePath().toString());
		AdminToken second = AdminToken.resolve("  ", this.dataDir, this.warnings::add);
		assertThat(second.matches(stored)).isTrue();
		assertThat(this.warnings).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "rw-r--r--", "rw-r-----" })
	void resolveWhenTokenFileReadableByOthersShouldUseItAndWarnWithoutTheToken(String mode) throws Exception {
		Path file = this.dataDir.resolve(DataDir.TOKEN_FILE);
		Files.writeString(file, "operator-provided-token-0123456789\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
		AdminToken token = AdminToken.resolve(null, this.dataDir, this.warnings::add);
		assertThat(token.matches("operator-provided-token-0123456789")).isTrue();
		assertThat(this.warnings).singleElement()
			.asString()
			.contains(DataDir.TOKEN_FILE, "readable by other users", "chmod 600 " + file)
			.doesNotContain("operator-provided-token");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo(mode);
	}

	@Test
	void resolveWhenTokenFileOwnerOnlyShouldNotWarn() throws Exception {
		Path file = this.dataDir.resolve(DataDir.TOKEN_FILE);
		Files.writeString(file, "operator-provided-token-0123456789\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		assertThat(AdminToken.resolve(null, this.dataDir, this.warnings::add).matches("operator-provided-token-0123456789"))
			.isTrue();
		assertThat(this.warnings).isEmpty();
	}

	@Test
	void resolveWhenDataDirUnusableShouldSayWhichFile() throws Exception {
		Path notADir = this.dataDir.resolve("file");
		Files.writeString(notADir, "x");
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> AdminToken.resolve(null, notADir, this.warnings::add))
			.withMessageContaining(DataDir.TOKEN_FILE)
			.withMessageContaining(AdminToken.ENV);
	}

}
