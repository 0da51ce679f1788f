package org.btcfed.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.btcfed.node.config.AtomicFiles;

/**
 * The data dir's layout (every file name in it is defined here and nowhere else), and the lock that makes it one node's: an OS file lock on
 * {@value #LOCK_FILE}, held for the life of the process (the OS drops it when the process ends,
 * however it ends). The pid file is written only once the lock is held and removed only by the
 * process that holds it, so a second process started on the same data dir, a mistyped command or
 * a failed start, never harms the node that runs there.
 */
public final class DataDir {

	/** The lock file. */
	public static final String LOCK_FILE = "btcfed-node.lock";

	/** The running node's process id, for {@code kill -HUP "$(cat data/btcfed-node.pid)"}. */
	public static final String PID_FILE = "btcfed-node.pid";

	/** The running node's HTTP port, for the admin command line. */
	public static final String PORT_FILE = "btcfed-node.port";

	/** The admin token the node generates when {@code BTCFED_ADMIN_TOKEN} is not set. */
	public static final String TOKEN_FILE = "admin.token";

	/** The reload history: one JSON report per line. */
	public static final String HISTORY_FILE = "reload-history.jsonl";

	/** The directory of committed config versions, one directory per version. */
	public static final String VERSIONS_DIR = "versions";

	/** The file in {@value #VERSIONS_DIR} that names the newest version directory. */
	public static final String LAST_KNOWN_GOOD_FILE = "last-known-good";

	private final Path dir;

	private final FileChannel channel;

	private final FileLock lock;

	private DataDir(Path dir, FileChannel channel, FileLock lock) {
		this.dir = dir;
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Takes the data dir for this process: creates it if needed, locks it and writes the pid
	 * file. The pid file is removed when the JVM exits.
	 * @param dir the data dir
	 * @return the held data dir
	 * @throws DataDirInUseException when another process holds the lock
	 * @throws UncheckedIOException when the data dir cannot be created or written
	 */
	public static DataDir lock(Path dir) {
		FileChannel channel = null;
		try {
			Files.createDirectories(dir);
			channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock = tryLock(channel);
			if (lock == null) {
				channel.close();
				throw new DataDirInUseException(dir, readPid(dir));
			}
			DataDir held = new DataDir(dir, channel, lock);
			held.writePid();
			Runtime.getRuntime().addShutdownHook(new Thread(held::release, "btcfed-data-dir-release"));
			return held;
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new UncheckedIOException("Cannot take the data dir " + dir.toAbsolutePath().normalize(), ex);
		}
	}

	private static FileLock tryLock(FileChannel channel) throws IOException {
		try {
			return channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			// Held by this very JVM (another node started in-process on the same data dir).
			return null;
		}
	}

	/**
	 * @param dir a data dir
	 * @return the pid in its pid file, or {@code null} when there is none
	 */
	static String readPid(Path dir) {
		try {
			String pid = Files.readString(dir.resolve(PID_FILE), StandardCharsets.US_ASCII).trim();
			return pid.matches("\\d{1,10}") ? pid : null;
		}
		catch (IOException ex) {
			// No pid file (or none readable): the holder is named without it.
			return null;
		}
	}

	private void writePid() throws IOException {
		AtomicFiles.write(this.dir.resolve(PID_FILE),
				(ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * Removes the pid and port files when they are still this process's, and releases the lock.
	 */
	void release() {
		String own = String.valueOf(ProcessHandle.current().pid());
		try {
			if (this.lock.isValid() && own.equals(readPid(this.dir))) {
				Files.deleteIfExists(this.dir.resolve(PID_FILE));
				Files.deleteIfExists(this.dir.resolve(PORT_FILE));
			}
		}
		catch (IOException ex) {
			// The JVM is exiting; a pid file left behind is recognised as stale by the next owner.
		}
		closeQuietly(this.channel);
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// Nothing more to do: closing also releases the lock.
			}
		}
	}

	/**
	 * Another process holds the data dir.
	 */
	public static final class DataDirInUseException extends RuntimeException {

		private final transient Path dir;

		DataDirInUseException(Path dir, String pid) {
			super("The data dir " + dir.toAbsolutePath().normalize() + " is in use by another btcfed-node"
					+ ((pid != null) ? " (pid " + pid + ")" : ""));
			this.dir = dir;
		}

		/**
		 * @return the data dir
		 */
		public Path dir() {
			return this.dir;
		}

	}

}
