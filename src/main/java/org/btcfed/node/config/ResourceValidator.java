package org.btcfed.node.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Checks that what a snapshot asks for can be had, without keeping anything: each listen address
 * can be bound (unless this node already holds it), and the log file's directory is writable.
 * Runs on the staged snapshot before anything live changes.
 */
public final class ResourceValidator {

	private ResourceValidator() {
	}

	/**
	 * @param snapshot the staged snapshot
	 * @param held listen addresses this node already holds (not probed: they are ours)
	 * @param dataDir the data dir, against which a relative log file name is resolved
	 * @return the problems found, empty when all is well
	 */
	public static List<ConfigError> validate(ConfigSnapshot snapshot, Set<Multiaddr> held, Path dataDir) {
		List<ConfigError> errors = new ArrayList<>();
		List<Multiaddr> addresses = snapshot.config().network().addresses();
		for (int i = 0; i < addresses.size(); i++) {
			Multiaddr address = addresses.get(i);
			// A port the node already listens on (say 0.0.0.0:9000 held, [::]:9000 added) cannot be
			// probed with the JDK's dual-stack sockets; the real bind decides, keeping the old
			// listeners when it fails.
			if (address.port() != 0 && !held.contains(address) && !holdsPort(held, address.port())) {
				String problem = probe(address);
				if (problem != null) {
					errors.add(snapshot.errorAt("network.addresses[" + i + "]", problem));
				}
			}
		}
		NodeConfig.LoggingSettings logging = snapshot.config().logging();
		if (logging.fileOutput()) {
			Path file = logFile(dataDir, logging.fileName());
			String problem = rotationProblem(file);
			if (problem == null) {
				problem = checkWritable(file);
			}
			if (problem != null) {
				errors.add(snapshot.errorAt("logging.file_name", problem));
			}
		}
		return errors;
	}

	/**
	 * Why a log file name cannot be rotated: Logback reads the names of rotated files as a
	 * pattern, so a {@code '%'} in the name would be taken for a conversion word.
	 * @param file the log file
	 * @return the problem, or {@code null} when the name is fine
	 */
	public static @Nullable String rotationProblem(Path file) {
		return (file.toString().indexOf('%') >= 0) ? "log file " + file
				+ " must not contain '%': Logback reads the names of rotated files as a pattern" : null;
	}

	private static boolean holdsPort(Set<Multiaddr> held, int port) {
		return held.stream().anyMatch(address -> address.port() == port);
	}

	/**
	 * Resolves the log file name of conf.yaml.
	 * @param dataDir the data dir
	 * @param fileName {@code logging.file_name}
	 * @return the log file's path
	 */
	public static Path logFile(Path dataDir, String fileName) {
		return dataDir.resolve(fileName).toAbsolutePath().normalize();
	}

	private static String probe(Multiaddr address) {
		InetSocketAddress socketAddress;
		try {
			socketAddress = address.toSocketAddress();
		}
		catch (UnknownHostException ex) {
			return "cannot listen on " + address + ": host name does not resolve";
		}
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(socketAddress);
			return null;
		}
		catch (IOException ex) {
			return "cannot listen on " + address + ": " + bindFailure(ex.getMessage());
		}
	}

	/**
	 * Why a socket could not be bound, in an operator's words: the probe here and the node's
	 * listeners say it alike.
	 * @param systemMessage the operating system's message, e.g. {@code Address already in use}
	 * @return the reason
	 */
	public static String bindFailure(String systemMessage) {
		String text = String.valueOf(systemMessage).toLowerCase(Locale.ROOT);
		if (text.contains("already in use")) {
			return "the address is already in use (another process listens on it)";
		}
		if (text.contains("cannot assign requested address")) {
			return "the address is not one of this machine's";
		}
		if (text.contains("permission denied")) {
			return "permission denied (ports below 1024 need privileges)";
		}
		return String.valueOf(systemMessage);
	}

	private static String checkWritable(Path file) {
		if (Files.isDirectory(file)) {
			return "log file " + file + " is a directory";
		}
		if (Files.exists(file)) {
			return Files.isWritable(file) ? null : "log file " + file + " exists but is not writable";
		}
		Path dir = file.getParent();
		while (dir != null && !Files.exists(dir)) {
			dir = dir.getParent();
		}
		if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
			return "cannot create log file " + file + ": " + ((dir == null) ? "no existing parent directory"
					: dir + " is not a writable directory");
		}
		return null;
	}

}
