package org.btcfed.node.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that a reader sees either the old or the new content, never a mix: a temp file
 * in the same directory, fsync, rename over the target, fsync of the directory.
 */
public final class AtomicFiles {

	private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private AtomicFiles() {
	}

	/**
	 * Atomically replaces a file with owner-only permissions (0600 where POSIX permissions
	 * exist), for files that hold secrets.
	 * @param target the file to write
	 * @param content the new content
	 * @throws IOException when the file cannot be written; the old content is then untouched
	 */
	public static void writeOwnerOnly(Path target, byte[] content) throws IOException {
		write(target, content, true);
	}

	/**
	 * Atomically replaces a file, keeping the permissions of an existing one.
	 * @param target the file to write
	 * @param content the new content
	 * @throws IOException when the file cannot be written; the old content is then untouched
	 */
	public static void write(Path target, byte[] content) throws IOException {
		write(target, content, false);
	}

	private static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
		Path dir = target.toAbsolutePath().getParent();
		Files.createDirectories(dir);
		Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
		try {
			if (POSIX) {
				Files.setPosixFilePermissions(temp, (ownerOnly || !Files.exists(target)) ? OWNER_ONLY
						: Files.getPosixFilePermissions(target));
			}
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
			syncDirectory(dir);
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	private static void syncDirectory(Path dir) {
		try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// Not every platform can open a directory for fsync; the rename itself is still atomic.
		}
	}

}
