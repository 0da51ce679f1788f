package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the node's key when conf.yaml leaves {@code node.private_key} empty, and saves it
 * into conf.yaml in place: only the key's value changes, the operator's comments and layout stay.
 * The file is replaced atomically with owner-only permissions, since it now holds a secret.
 * <p>
 * Callers that run while reloads can be triggered hold a reload-signal mask around
 * {@link #provision}, so that no reload reads the file half-way through.
 */
public final class PrivateKeyProvisioner {

	private static final Pattern KEY_LINE = Pattern
		.compile("(?m)^(?<indent>[ \\t]+)private_key:[ \\t]*(?<value>\"\"|''|~|null)?[ \\t]*(?<comment>#.*)?$");

	private static final Pattern NODE_LINE = Pattern.compile("(?m)^node:[ \\t]*(#.*)?$");

	private PrivateKeyProvisioner() {
	}

	/**
	 * Writes a newly generated key into conf.yaml.
	 * @param confFile conf.yaml
	 * @param key the key to save
	 * @throws IOException when conf.yaml cannot be rewritten; it is then unchanged
	 */
	public static void provision(Path confFile, NodeKey key) throws IOException {
		String text = Files.exists(confFile) ? Files.readString(confFile, StandardCharsets.UTF_8) : "";
		String quoted = "\"" + key.encoded() + "\"";
		Matcher keyLine = KEY_LINE.matcher(text);
		String updated;
		if (keyLine.find()) {
			String comment = (keyLine.group("comment") != null) ? " " + keyLine.group("comment") : "";
			updated = text.substring(0, keyLine.start()) + keyLine.group("indent") + "private_key: " + quoted + comment
					+ text.substring(keyLine.end());
		}
		else {
			Matcher nodeLine = NODE_LINE.matcher(text);
			if (nodeLine.find()) {
				updated = text.substring(0, nodeLine.end()) + "\n  private_key: " + quoted
						+ text.substring(nodeLine.end());
			}
			else {
				String separator = (text.isEmpty() || text.endsWith("\n")) ? "" : "\n";
				updated = text + separator + "node:\n  private_key: " + quoted + "\n";
			}
		}
		AtomicFiles.writeOwnerOnly(confFile, updated.getBytes(StandardCharsets.UTF_8));
	}

}
