package org.btcfed.node.reload.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.DataDir;
import org.btcfed.node.config.AtomicFiles;
import org.springframework.util.FileSystemUtils;

/**
 * Keeps the files of the last committed configuration versions in
 * {@code <data-dir>/versions/<timestamp>-<version>/}, owner-only (conf.yaml holds the node key),
 * and a {@code last-known-good} pointer naming the newest one. An operator can diff or restore
 * them by hand; the newest {@code keep} are kept.
 */
public class ConfigVersionStore {

	private static final Log logger = LogFactory.getLog(ConfigVersionStore.class);

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final Path dir;

	private final int keep;

	/**
	 * @param dataDir the data dir
	 * @param keep how many versions to keep
	 */
	public ConfigVersionStore(Path dataDir, int keep) {
		this.dir = dataDir.resolve(DataDir.VERSIONS_DIR);
		this.keep = Math.max(1, keep);
	}

	/**
	 * Saves a committed version and points last-known-good at it. Failures are logged, not
	 * thrown: the backup must not undo a reload that has already been applied.
	 * @param version the version ({@code sha256:...})
	 * @param files the config files' content by file name
	 */
	public synchronized void save(String version, Map<String, byte[]> files) {
		try {
			String name = STAMP.format(Instant.now()) + "-" + version.substring(version.indexOf(':') + 1, 19);
			Path target = this.dir.resolve(name);
			Files.createDirectories(target);
			for (Map.Entry<String, byte[]> file : files.entrySet()) {
				AtomicFiles.writeOwnerOnly(target.resolve(file.getKey()), file.getValue());
			}
			AtomicFiles.write(this.dir.resolve(DataDir.LAST_KNOWN_GOOD_FILE), (name + "\n").getBytes(StandardCharsets.UTF_8));
			prune();
		}
		catch (IOException ex) {
			logger.warn("Cannot save config version " + version + " under " + this.dir + ": " + ex.getMessage());
		}
	}

	/**
	 * @return the directory last-known-good points at, if any
	 */
	public synchronized Optional<Path> lastKnownGood() {
		Path pointer = this.dir.resolve(DataDir.LAST_KNOWN_GOOD_FILE);
		try {
			return Files.exists(pointer) ? Optional.of(this.dir.resolve(Files.readString(pointer).trim()))
					: Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	/**
	 * @return the kept version directories, oldest first
	 */
	public synchronized List<Path> versions() {
		if (!Files.isDirectory(this.dir)) {
			return List.of();
		}
		try (Stream<Path> entries = Files.list(this.dir)) {
			return entries.filter(Files::isDirectory).sorted().toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	private void prune() throws IOException {
		List<Path> versions = versions();
		for (int i = 0; i < versions.size() - this.keep; i++) {
			FileSystemUtils.deleteRecursively(versions.get(i));
		}
	}

}
