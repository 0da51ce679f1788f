package org.btcfed.node.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Consumer;

import org.btcfed.node.DataDir;
import org.btcfed.node.config.AtomicFiles;
import org.btcfed.node.config.FilePermissions;
import org.jspecify.annotations.Nullable;

/**
 * The admin token that guards the actuator: taken from {@code BTCFED_ADMIN_TOKEN}, else read
 * from {@code <data-dir>/admin.token}, else generated there (owner-only). A token file that
 * other users may read is reported, like a group-readable key file, but still used. The token
 * itself is never logged or shown; {@link #source()} says where it is.
 */
public final class AdminToken {

	/** Environment variable that supplies the token. */
	public static final String ENV = "BTCFED_ADMIN_TOKEN";

	private final byte[] token;

	private final String source;

	private AdminToken(String token, String source) {
		this.token = token.getBytes(StandardCharsets.UTF_8);
		this.source = source;
	}

	/**
	 * Resolves the token.
	 * @param fromEnvironment the value of {@link #ENV}, or {@code null}
	 * @param dataDir the data dir
	 * @param warn receives what is wrong but does not stop the node: a token file that other
	 * users may read (never the token)
	 * @return the token
	 */
	public static AdminToken resolve(@Nullable String fromEnvironment, Path dataDir, Consumer<String> warn) {
		if (fromEnvironment != null && !fromEnvironment.isBlank()) {
			return new AdminToken(fromEnvironment.trim(), "environment variable " + ENV);
		}
		Path file = dataDir.resolve(DataDir.TOKEN_FILE).toAbsolutePath().normalize();
		try {
			if (Files.exists(file)) {
				String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
				if (!stored.isEmpty()) {
					FilePermissions.checkSecret(file).forEach(finding -> warn.accept(finding.message()));
					return new AdminToken(stored, file.toString());
				}
			}
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			AtomicFiles.writeOwnerOnly(file, (generated + "\n").getBytes(StandardCharsets.UTF_8));
			return new AdminToken(generated, file.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the admin token file " + file
					+ " (or set " + ENV + ")", ex);
		}
	}

	/**
	 * Compares in constant time.
	 * @param candidate a presented token
	 * @return whether it is the admin token
	 */
	public boolean matches(String candidate) {
		return MessageDigest.isEqual(this.token, candidate.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * @return where the token comes from, for the start-up log (never the token)
	 */
	public String source() {
		return this.source;
	}

	@Override
	public String toString() {
		return "AdminToken[" + this.source + ", ******]";
	}

}
