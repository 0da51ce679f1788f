package org.btcfed.node;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The data dir's lock on a real file system. A second process is shown by
 * {@code DropInIntegrationTests}; here a second taker in the same JVM is refused the same way.
 */
class DataDirTests {

	@TempDir
	Path dir;

	@Test
	void everyFileOfTheLayoutShouldBeTheOneDocsDataDirMdDocuments() throws Exception {
		String documented = Files.readString(Path.of("docs", "data-dir.md"));
		for (String name : List.of(DataDir.LOCK_FILE, DataDir.PID_FILE, DataDir.PORT_FILE, DataDir.TOKEN_FILE,
				DataDir.HISTORY_FILE, DataDir.VERSIONS_DIR + "/<time>", DataDir.VERSIONS_DIR + "/" + DataDir.LAST_KNOWN_GOOD_FILE)) {
			assertThat(documented).as("docs/data-dir.md names %s", name).contains("`" + name);
		}
	}

	@Test
	void lockShouldCreateTheDirAndWriteThisProcesssPid() throws Exception {
		Path data = this.dir.resolve("data");
		DataDir held = DataDir.lock(data);
		try {
			assertThat(Files.readString(data.resolve(DataDir.PID_FILE)).trim())
				.isEqualTo(Long.toString(ProcessHandle.current().pid()));
			assertThat(data.resolve(DataDir.LOCK_FILE)).exists();
		}
		finally {
			held.release();
		}
	}

	@Test
	void lockWhenHeldShouldRefuseNamingTheHoldersPidAndLeaveItsFilesAlone() throws Exception {
		DataDir held = DataDir.lock(this.dir);
		try {
			Files.writeString(this.dir.resolve(DataDir.PORT_FILE), "8080\n");
			assertThatExceptionOfType(DataDir.DataDirInUseException.class).isThrownBy(() -> DataDir.lock(this.dir))
				.withMessageContaining("is in use by another btcfed-node (pid " + ProcessHandle.current().pid() + ")")
				.satisfies(ex -> assertThat(ex.dir()).isEqualTo(this.dir));
			assertThat(this.dir.resolve(DataDir.PID_FILE)).exists();
			assertThat(Files.readString(this.dir.resolve(DataDir.PORT_FILE))).isEqualTo("8080\n");
		}
		finally {
			held.release();
		}
		assertThat(this.dir.resolve(DataDir.PID_FILE)).doesNotExist();
		assertThat(this.dir.resolve(DataDir.PORT_FILE)).doesNotExist();
	}

	@Test
	void releaseShouldLeaveAPidFileThatIsNoLongerThisProcesss() throws Exception {
		DataDir held = DataDir.lock(this.dir);
		Files.writeString(this.dir.resolve(DataDir.PID_FILE), "1\n");
		held.release();
		assertThat(Files.readString(this.dir.resolve(DataDir.PID_FILE))).isEqualTo("1\n");
		DataDir again = DataDir.lock(this.dir);
		again.release();
	}

	@Test
	void lockWhenTheDataDirIsAFileShouldSayWhichDir() throws Exception {
		Path file = Files.writeString(this.dir.resolve("data"), "not a dir");
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> DataDir.lock(file))
			.withMessageContaining("Cannot take the data dir " + file);
	}

}
