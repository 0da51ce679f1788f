package org.btcfed.node.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Checks who may read and write the node's files, with the real {@code stat(2)} (jnr-posix):
 * a config file writable by other users could be turned into anything; a file holding a secret
 * (conf.yaml with the node key, the admin token) readable by them gives the secret away. Only a
 * key file readable by every user is refused: the node does not start or reload with it, and
 * {@code validate} rejects it. Everything else found is a warning. Where jnr-posix has no native
 * {@code stat} (its pure-Java fallback), nothing is checked and nothing is reported.
 */
public final class FilePermissions {

	private static final int GROUP_OTHER_READ = 0044;

	private static final int OTHER_READ = 0004;

	private static final int GROUP_OTHER_WRITE = 0022;

	private static final POSIX POSIX_API = POSIXFactory.getPOSIX();

	private FilePermissions() {
	}

	/**
	 * A finding.
	 * @param file the file
	 * @param refused whether the node refuses to run with it (a key file every user may read)
	 * @param message what is wrong and how to fix it
	 */
	public record Finding(Path file, boolean refused, String message) {
	}

	/**
	 * Checks the config dir's files.
	 * @param configDir the config dir
	 * @param holdsKey whether conf.yaml holds a private key
	 * @return the findings, empty when all is well
	 */
	private static List<Finding> checkConfig(Path configDir, boolean holdsKey) {
		List<Finding> findings = new ArrayList<>();
		for (String name : List.of(ConfigLoader.CONF_FILE, ConfigLoader.PEERS_FILE)) {
			Path file = configDir.resolve(name);
			Integer mode = mode(file);
			if (mode == null) {
				continue;
			}
			if ((mode & GROUP_OTHER_WRITE) != 0) {
				findings.add(new Finding(file, false, name + " is writable by other users (mode " + octal(mode)
						+ "); anyone who can write it controls this node: chmod go-w " + file));
			}
			if (holdsKey && name.equals(ConfigLoader.CONF_FILE) && (mode & GROUP_OTHER_READ) != 0) {
				// World-readable is refused; group-readable is only reported, because that is how
				// Kubernetes hands a Secret to a non-root container (root-owned, group fsGroup).
				boolean world = (mode & OTHER_READ) != 0;
				findings.add(new Finding(file, world, name + " holds the node's private key and is readable by "
						+ (world ? "every user" : "its group") + " (mode " + octal(mode) + "): chmod 600 " + file));
			}
		}
		return findings;
	}

	/**
	 * The config dir's findings as the node acts on them: refusals become errors, the rest are
	 * handed to {@code warn}. Start-up, reload and the {@code validate} command all use this.
	 * @param configDir the config dir
	 * @param holdsKey whether conf.yaml holds a private key
	 * @param warn receives the findings that are only reported
	 * @return the refusals as configuration errors
	 */
	public static List<ConfigError> configErrors(Path configDir, boolean holdsKey, Consumer<String> warn) {
		List<ConfigError> errors = new ArrayList<>();
		for (Finding finding : checkConfig(configDir, holdsKey)) {
			if (finding.refused()) {
				errors.add(new ConfigError(null, finding.file().getFileName().toString(), null, null, finding.message()));
			}
			else {
				warn.accept(finding.message());
			}
		}
		return errors;
	}

	/**
	 * Checks a file that holds a secret, such as the admin token.
	 * @param file the file
	 * @return a finding (never a refusal) when its group or other users may read it
	 */
	public static List<Finding> checkSecret(Path file) {
		Integer mode = mode(file);
		if (mode == null || (mode & GROUP_OTHER_READ) == 0) {
			return List.of();
		}
		return List.of(new Finding(file, false, file.getFileName() + " holds a secret and is readable by other users"
				+ " (mode " + octal(mode) + "): chmod 600 " + file));
	}

	private static Integer mode(Path file) {
		if (!Files.exists(file) || !POSIX_API.isNative()) {
			return null;
		}
		FileStat stat = POSIX_API.stat(file.toAbsolutePath().toString());
		return stat.mode() & 0777;
	}

	private static String octal(int mode) {
		return String.format("%04o", mode);
	}

}
