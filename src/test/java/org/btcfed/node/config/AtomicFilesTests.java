package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link AtomicFiles}.
 */
class AtomicFilesTests {

	@TempDir
	Path dir;

	@Test
	void writeWhenFileExistsShouldReplaceContent() throws IOException {
		Path file = Files.writeString(this.dir.resolve("peers.yaml"), "a much longer old content\n");
		AtomicFiles.write(file, bytes("peers: []\n"));
		assertThat(file).hasContent("peers: []");
		assertThat(Files.readString(file)).isEqualTo("peers: []\n");
	}

	@Test
	void writeWhenFileExistsShouldKeepItsPermissions() throws IOException {
		Path file = Files.writeString(this.dir.resolve("peers.yaml"), "old\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
		AtomicFiles.write(file, bytes("new\n"));
		assertThat(permissions(file)).isEqualTo("rw-r-----");
	}

	@Test
	void writeWhenFileIsNewShouldCreateItOwnerOnly() throws IOException {
		Path file = this.dir.resolve("sub/dir/admin.token");
		AtomicFiles.write(file, bytes("token"));
		assertThat(file).hasContent("token");
		assertThat(permissions(file)).isEqualTo("rw-------");
	}

	@Test
	void writeOwnerOnlyShouldTightenPermissions() throws IOException {
		Path file = Files.writeString(this.dir.resolve("conf.yaml"), "old\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
		AtomicFiles.writeOwnerOnly(file, bytes("secret\n"));
		assertThat(file).hasContent("secret");
		assertThat(permissions(file)).isEqualTo("rw-------");
	}

	@Test
	void writeWhenEmptyContentShouldLeaveEmptyFile() throws IOException {
		Path file = Files.writeString(this.dir.resolve("conf.yaml"), "old\n");
		AtomicFiles.write(file, new byte[0]);
		assertThat(file).isEmptyFile();
	}

	@Test
	void writeShouldLeaveNoTempFiles() throws IOException {
		Path file = this.dir.resolve("conf.yaml");
		AtomicFiles.write(file, bytes("one\n"));
		AtomicFiles.writeOwnerOnly(file, bytes("two\n"));
		AtomicFiles.write(file, bytes("three\n"));
		try (Stream<Path> files = Files.list(this.dir)) {
			assertThat(files).containsExactly(file);
		}
	}

	@Test
	void writeWhenTargetIsADirectoryShouldFailAndLeaveNoTempFiles() throws IOException {
		Path target = Files.createDirectory(this.dir.resolve("conf.yaml"));
		Files.writeString(target.resolve("inside"), "x");
		assertThatIOException().isThrownBy(() -> AtomicFiles.write(target, bytes("x")));
		try (Stream<Path> files = Files.list(this.dir)) {
			assertThat(files).containsExactly(target);
		}
		assertThat(target.resolve("inside")).hasContent("x");
	}

	private static String permissions(Path file) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
