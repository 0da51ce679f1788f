package org.btcfed.node;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starting and restarting a real node from the packaged jar: configuration errors at start-up,
 * the generated node key and what must never show it, and history across a restart.
 */
class StartupIntegrationTests {

	private static final Pattern PRIVATE_KEY = Pattern.compile("(?m)^  private_key: \"([^\"]*)\"");

	private static final String FAILED = "APPLICATION FAILED TO START";

	@TempDir
	private Path root;

	@Test
	void startWhenConfigHasTwoErrorsShouldExitWithStatusOneAndListBothWithoutStackTrace() {
		try (NodeProcess node = NodeProcess.create(this.root, "startup-invalid")) {
			String conf = node.readConf()
				.replace("  max_connections: 128", "  max_connections: 0")
				.replace("logging:", "loging:");
			node.writeConf(conf);
			int maxLine = lineOf(conf, "  max_connections: 0");
			int maxColumn = "  max_connections: ".length() + 1;
			int typoLine = lineOf(conf, "loging:");

			int status = node.launch().awaitExit(NodeProcess.START_TIMEOUT);

			String output = node.output();
			assertThat(status).as(output).isEqualTo(1);
			assertThat(output).contains(FAILED)
				.contains("conf.yaml:" + maxLine + ":" + maxColumn + ": network.max_connections: must be between 1 and 65535")
				.contains("conf.yaml:" + typoLine + ":1: loging: unknown key 'loging', did you mean 'logging'?")
				.doesNotContain("\tat ");
			assertThat(output.substring(output.indexOf(FAILED))).doesNotContain("Exception");
		}
	}

	@Test
	void startWhenPrivateKeyEmptyShouldSaveOwnerOnlyKeyAndNeverShowSecrets() throws Exception {
		try (NodeProcess node = NodeProcess.create(this.root, "startup-key").start()) {
			String key = privateKey(node.readConf());
			String token = node.token();
			assertThat(Base64.getDecoder().decode(key)).hasSize(64);
			assertThat(Files.getPosixFilePermissions(node.confFile()))
				.isEqualTo(PosixFilePermissions.fromString("rw-------"));
			assertThat(Files.getPosixFilePermissions(node.dataDir().resolve(DataDir.TOKEN_FILE)))
				.isEqualTo(PosixFilePermissions.fromString("rw-------"));
			String rotated = newPrivateKey();
			node.editConf(text -> text.replace(key, rotated));

			HttpResponse<String> reload = node.actuator().post("/actuator/hotreload");
			HttpResponse<String> status = node.actuator().get("/actuator/hotreload");

			assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
			JsonNode change = changeOf(ActuatorClient.json(reload.body()), "node.private_key");
			assertThat(change.path("from").asString()).isEqualTo("******");
			assertThat(change.path("to").asString()).isEqualTo("******");
			List<String> exposed = List.of(node.output(), reload.body(), status.body(),
					Files.readString(node.dataDir().resolve(DataDir.HISTORY_FILE)));
			for (String secret : List.of(key, rotated, token)) {
				assertThat(exposed).noneMatch(text -> text.contains(secret));
			}
			assertThat(status.body()).contains("SUCCEEDED");
		}
	}

	@Test
	void restartShouldKeepHistoryAndNumberNewStartupReportHigher() {
		try (NodeProcess node = NodeProcess.create(this.root, "startup-restart").start()) {
			assertThat(node.actuator().post("/actuator/hotreload").statusCode()).isEqualTo(200);
			JsonNode before = node.actuator().hotreload();
			List<JsonNode> oldReports = reports(before);
			long newestOld = oldReports.get(0).path("id").asLong();

			node.stop();
			assertThat(node.isAlive()).isFalse();
			node.start();

			JsonNode after = node.actuator().hotreload();
			List<JsonNode> reports = reports(after);
			assertThat(reports.get(0).path("trigger").asString()).isEqualTo("STARTUP");
			assertThat(reports.get(0).path("id").asLong()).isGreaterThan(newestOld);
			assertThat(reports.subList(1, reports.size())).containsExactlyElementsOf(oldReports);
			assertThat(oldReports).extracting(r -> r.path("trigger").asString()).containsExactly("HTTP", "STARTUP");
			assertThat(after.path("version").asString()).isEqualTo(before.path("version").asString());
		}
	}

	private static List<JsonNode> reports(JsonNode status) {
		List<JsonNode> result = new ArrayList<>();
		status.path("history").forEach(result::add);
		return result;
	}

	private static JsonNode changeOf(JsonNode report, String key) {
		for (JsonNode change : report.path("changes")) {
			if (key.equals(change.path("key").asString())) {
				return change;
			}
		}
		throw new AssertionError("no change of " + key + " in " + report);
	}

	private static String privateKey(String conf) {
		Matcher matcher = PRIVATE_KEY.matcher(conf);
		assertThat(matcher.find()).as("node.private_key in%n%s", conf).isTrue();
		assertThat(matcher.group(1)).as("the generated key").isNotEmpty();
		return matcher.group(1);
	}

	/** A fresh key in btc-federation's format: base64 of the 32-byte seed followed by the public key. */
	private static String newPrivateKey() throws Exception {
		KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		byte[] pkcs8 = pair.getPrivate().getEncoded();
		byte[] x509 = pair.getPublic().getEncoded();
		byte[] key = Arrays.copyOf(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length), 64);
		System.arraycopy(x509, x509.length - 32, key, 32, 32);
		return Base64.getEncoder().encodeToString(key);
	}

	private static int lineOf(String text, String line) {
		int index = text.lines().toList().indexOf(line);
		assertThat(index).as("'%s' in%n%s", line, text).isNotNegative();
		return index + 1;
	}

}
