package org.btcfed.node.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.btcfed.node.config.AtomicFiles;
import org.btcfed.node.config.ConfigException;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.Multiaddr;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.deploy.Manifests.Document;
import org.btcfed.node.deploy.Manifests.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.btcfed.node.deploy.Manifests.asMap;
import static org.btcfed.node.deploy.Manifests.containers;
import static org.btcfed.node.deploy.Manifests.list;
import static org.btcfed.node.deploy.Manifests.map;

/**
 * The files under {@code deploy/} checked against each other and against the image: Pod Security
 * "restricted" for every pod and container, one reload path, Secrets that are created by command
 * (never committed) and match what the pods read, a documented conf.yaml that is valid, and ports
 * that line up. {@link DeployedNodeTests} checks them against a running node.
 */
class DeployManifestsTests {

	/** Volume types that Pod Security "restricted" allows. */
	static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
			"persistentVolumeClaim", "projected", "secret");

	@TempDir
	Path temp;

	final NodeDeployment deployment = NodeDeployment.load();

	@Test
	void everyPodAndContainerShouldPassPodSecurityRestricted() {
		Map<Document, Map<String, Object>> pods = Manifests.podSpecs(Manifests.documents("kubernetes"));
		assertThat(pods).isNotEmpty();
		pods.forEach((workload, pod) -> {
			assertThat(pod).as(workload + ": host namespaces")
				.doesNotContainKeys("hostNetwork", "hostPID", "hostIPC", "hostUsers");
			for (Object volume : list(pod, "volumes")) {
				Set<String> types = new TreeSet<>(asMap(volume).keySet());
				types.remove("name");
				assertThat(RESTRICTED_VOLUMES).as(workload + ": volume " + volume).containsAll(types);
			}
			assertThat(containers(pod)).as(workload.toString()).isNotEmpty();
			for (Map<String, Object> container : containers(pod)) {
				assertRestricted(workload + ", container " + container.get("name"), map(pod, "securityContext"),
						container);
			}
		});
	}

	private void assertRestricted(String where, Map<String, Object> podContext, Map<String, Object> container) {
		Map<String, Object> context = map(container, "securityContext");
		// What the container runs with: its own settings over the pod's.
		Map<String, Object> effective = new LinkedHashMap<>(podContext);
		effective.putAll(context);
		assertThat(effective.get("runAsNonRoot")).as(where + ": runAsNonRoot").isEqualTo(true);
		assertThat(effective.get("runAsUser")).as(where + ": runAsUser").isEqualTo(10001);
		assertThat(map(effective, "seccompProfile").get("type")).as(where + ": seccompProfile")
			.isIn("RuntimeDefault", "Localhost");
		assertThat(context.get("allowPrivilegeEscalation")).as(where + ": allowPrivilegeEscalation").isEqualTo(false);
		assertThat(context.get("privileged")).as(where + ": privileged").isNotEqualTo(true);
		Map<String, Object> capabilities = map(context, "capabilities");
		assertThat(list(capabilities, "drop")).as(where + ": capabilities.drop").contains("ALL");
		assertThat(list(capabilities, "add")).as(where + ": capabilities.add").isSubsetOf("NET_BIND_SERVICE");
		assertThat(context.get("readOnlyRootFilesystem")).as(where + ": readOnlyRootFilesystem").isEqualTo(true);
		for (Object port : list(container, "ports")) {
			assertThat(asMap(port)).as(where + ": hostPort").doesNotContainKey("hostPort");
		}
		// The JVM and Tomcat need a writable /tmp once the root filesystem is read-only.
		assertThat(this.deployment.writableVolumeType(container, "/tmp")).as(where + ": /tmp").isEqualTo("emptyDir");
	}

	@Test
	void nodeShouldWriteItsDataDirAndReadItsConfigDirWhereTheImageHasThem() throws IOException {
		String dockerfile = Files.readString(Path.of("Dockerfile"));
		assertThat(this.deployment.writableVolumeType(this.deployment.node(), dockerEnv(dockerfile, "BTCFED_DATA_DIR")))
			.isIn("persistentVolumeClaim", "emptyDir");
		// A subPath mount never sees a ConfigMap or Secret update: the file watch would wait forever.
		assertThat(this.deployment.mount(dockerEnv(dockerfile, "BTCFED_CONFIG_DIR"))).containsEntry("readOnly", true)
			.doesNotContainKeys("subPath", "subPathExpr");
	}

	@Test
	void deploymentShouldReloadByExactlyOnePath() {
		for (Map<String, Object> pod : Manifests.podSpecs(Manifests.documents("kubernetes")).values()) {
			List<String> paths = new ArrayList<>();
			for (Map<String, Object> container : containers(pod)) {
				String script = String.valueOf(container.get("command")) + container.get("args");
				if (NodeDeployment.isNode(container)
						&& (NodeDeployment.env(container).getOrDefault("BTCFED_RELOAD_WATCH", "").equals("true")
								|| script.contains("--btcfed.reload.watch=true"))) {
					paths.add("file watch in " + container.get("name"));
				}
				if (!NodeDeployment.isNode(container) && (script.contains("/actuator/hotreload") || script.contains("HUP"))) {
					paths.add("reloader " + container.get("name"));
				}
			}
			assertThat(paths).as("reload paths").hasSize(1);
		}
	}

	@Test
	void secretsShouldBeCreatedByTheDocumentedCommandsAndMatchWhatThePodsRead() {
		List<Document> all = Stream.of("kubernetes", "prometheus")
			.flatMap(directory -> Manifests.documents(directory).stream())
			.toList();
		assertThat(all).filteredOn(document -> document.kind().equals("Secret"))
			.as("no Secret with inline values is committed")
			.allSatisfy(secret -> assertThat(secret.content()).doesNotContainKeys("data", "stringData"));
		Set<SecretKey> read = new LinkedHashSet<>(Manifests.secretReferences(this.deployment.pod()));
		for (Document document : Manifests.documents("prometheus")) {
			for (Object endpoint : list(map(document.content(), "spec"), "podMetricsEndpoints")) {
				Map<String, Object> credentials = map(map(asMap(endpoint), "authorization"), "credentials");
				read.add(new SecretKey(String.valueOf(credentials.get("name")), String.valueOf(credentials.get("key"))));
			}
		}
		Map<String, Object> token = this.deployment.tokenSecretRef();
		assertThat(read).extracting(SecretKey::key).contains("conf.yaml", String.valueOf(token.get("key")));

		Set<SecretKey> created = Manifests
			.createdSecrets(Manifests.commentText(Manifests.DEPLOY.resolve("kubernetes/secret.yaml")));
		assertThat(created).containsAll(read);
		// Prometheus is given the token's Secret: it must not hold the node key as well.
		assertThat(created).filteredOn(key -> key.secret().equals(token.get("name"))).hasSize(1);
	}

	@Test
	void documentedConfShouldBeValidOnceTheKeygenKeyIsFilledInAndListenOnTheP2pPort() throws IOException {
		String shell = Manifests.commentText(Manifests.DEPLOY.resolve("kubernetes/secret.yaml"));
		assertThat(shell).contains("docker run --rm btcfed-node keygen");
		String template = Manifests.hereDocument(shell, "CONF");
		Matcher placeholder = Pattern.compile("private_key: \"(<[^>]+>)\"").matcher(template);
		assertThat(placeholder.find()).as("private_key placeholder").isTrue();
		Files.writeString(this.temp.resolve("peers.yaml"), peersYaml());
		ConfigLoader loader = new ConfigLoader(this.temp);

		AtomicFiles.writeOwnerOnly(this.temp.resolve("conf.yaml"), template.getBytes(StandardCharsets.UTF_8));
		// The placeholder itself can never run as a well-known key.
		assertThatExceptionOfType(ConfigException.class).isThrownBy(loader::load)
			.satisfies(ex -> assertThat(ex.getErrors())
				.anySatisfy(error -> assertThat(error.key()).isEqualTo("node.private_key")));

		String generated = NodeKey.generate().encoded();
		AtomicFiles.writeOwnerOnly(this.temp.resolve("conf.yaml"),
				template.replace(placeholder.group(1), generated).getBytes(StandardCharsets.UTF_8));
		ConfigSnapshot snapshot = loader.load();
		assertThat(snapshot.config().node().key().encoded()).isEqualTo(generated);
		assertThat(snapshot.config().network().addresses()).extracting(Multiaddr::port)
			.containsOnly(this.deployment.containerPort("p2p"));
	}

	@Test
	void servicesShouldTargetPortsThePodDeclaresAndKeepTheActuatorInside() {
		List<Document> services = Manifests.documents("kubernetes")
			.stream()
			.filter(document -> document.kind().equals("Service"))
			.toList();
		assertThat(services).isNotEmpty();
		for (Document service : services) {
			Map<String, Object> spec = map(service.content(), "spec");
			assertThat(this.deployment.podLabels()).as(service + " selects the node")
				.containsAllEntriesOf(map(spec, "selector"));
			for (Object declared : list(spec, "ports")) {
				Map<String, Object> port = asMap(declared);
				Integer target = this.deployment.containerPort(port.getOrDefault("targetPort", port.get("port")));
				assertThat(target).as(service + " " + port).isNotNull().isNotEqualTo(NodeDeployment.serverPort());
			}
		}
	}

	private static String dockerEnv(String dockerfile, String name) {
		Matcher value = Pattern.compile("\\b" + name + "=(\\S+)").matcher(dockerfile);
		assertThat(value.find()).as(name + " in the Dockerfile").isTrue();
		return value.group(1);
	}

	private static String peersYaml() {
		Document configMap = Manifests.documents("kubernetes")
			.stream()
			.filter(document -> document.kind().equals("ConfigMap"))
			.findFirst()
			.orElseThrow();
		return String.valueOf(map(configMap.content(), "data").get("peers.yaml"));
	}

}
