package org.btcfed.node.deploy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.btcfed.node.DataDir;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.btcfed.node.deploy.Manifests.asMap;
import static org.btcfed.node.deploy.Manifests.containers;
import static org.btcfed.node.deploy.Manifests.list;
import static org.btcfed.node.deploy.Manifests.map;

/**
 * The files under {@code deploy/} checked against each other and against a real node in one
 * Spring context on a random loopback port: Pod Security "restricted" for every pod and
 * container, one reload path, probes on health groups that include {@code hotreload} and
 * {@code p2p} and are open without the token, scrape configs that send the token, Secrets that
 * are created by command (never committed) and match what the pods read, ports that line up, and
 * a dashboard and alert rules that use exactly the metrics the node exports.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeployManifestsTests {

	static final String KEY = NodeKey.generate().encoded();

	static final Path ROOT = createRoot();

	static final Path CONFIG = ROOT.resolve("config");

	static final Path DATA = ROOT.resolve("data");

	/** Volume types that Pod Security "restricted" allows. */
	static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
			"persistentVolumeClaim", "projected", "secret");

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	@TempDir
	Path temp;

	final HttpClient http = HttpClient.newHttpClient();

	final NodeDeployment deployment = NodeDeployment.load();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("btcfed.config-dir", CONFIG::toString);
		registry.add("btcfed.data-dir", DATA::toString);
		registry.add("server.address", () -> "127.0.0.1");
	}

	private static Path createRoot() {
		try {
			Path root = Files.createTempDirectory("deploy-manifests");
			Files.createDirectories(root.resolve("config"));
			writeConf(root.resolve("config"), "info");
			return root;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void writeConf(Path config, String level) throws IOException {
		String conf = "node:\n  private_key: \"" + KEY + "\"\nnetwork:\n  addresses: [/ip4/127.0.0.1/tcp/0]\n"
				+ "logging:\n  level: " + level + "\n  format: text\n";
		AtomicFiles.writeOwnerOnly(config.resolve("conf.yaml"), conf.getBytes(StandardCharsets.UTF_8));
	}

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
	void probesShouldUseHealthGroupsOpenWithoutTokenAndReadinessShouldIncludeHotreloadAndP2p() throws Exception {
		String readiness = String.valueOf(this.deployment.probe("readinessProbe").get("path"));
		String liveness = String.valueOf(this.deployment.probe("livenessProbe").get("path"));
		assertThat(readiness).isEqualTo("/actuator/health/readiness");
		assertThat(liveness).isEqualTo("/actuator/health/liveness");
		assertThat(this.deployment.probe("startupProbe").get("path")).isEqualTo(liveness);
		for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
			assertThat(this.deployment.containerPort(this.deployment.probe(probe).get("port"))).as(probe + " port")
				.isEqualTo(serverPort());
		}

		HttpResponse<String> ready = get(readiness, null);
		assertThat(ready.statusCode()).isEqualTo(200);
		assertThat(json(ready.body())).containsEntry("status", "UP").doesNotContainKey("components");
		Map<String, Object> components = map(json(get(readiness, token()).body()), "components");
		assertThat(components).containsOnlyKeys("readinessState", "hotreload", "p2p");
		assertThat(map(components, "hotreload")).containsEntry("status", "UP");
		assertThat(map(components, "p2p")).containsEntry("status", "UP");

		HttpResponse<String> alive = get(liveness, null);
		assertThat(alive.statusCode()).isEqualTo(200);
		assertThat(json(alive.body())).containsEntry("status", "UP");
		assertThat(map(json(get(liveness, token()).body()), "components")).containsOnlyKeys("livenessState");
	}

	@Test
	void scrapeConfigsShouldSendTheAdminTokenTheNodeChecks() throws Exception {
		Map<String, Object> token = this.deployment.tokenSecretRef();
		assertThat(this.deployment.podAnnotations()).as("prometheus.io/scrape sends no token: a scrape gets 401")
			.doesNotContainEntry("prometheus.io/scrape", "true");

		Map<String, Object> job = asMap(
				list(Manifests.load(Manifests.DEPLOY.resolve("prometheus/prometheus.yml")), "scrape_configs").get(0));
		String path = String.valueOf(job.get("metrics_path"));
		assertThat(map(job, "authorization")).containsEntry("type", "Bearer");
		assertThat(String.valueOf(map(job, "authorization").get("credentials_file")))
			.as("the token Secret mounted as a volume: one file per key")
			.endsWith("/" + token.get("key"));
		Map<String, String> kept = new LinkedHashMap<>();
		for (Object relabel : list(job, "relabel_configs")) {
			Map<String, Object> rule = asMap(relabel);
			if ("keep".equals(rule.get("action"))) {
				kept.put(String.valueOf(list(rule, "source_labels").get(0)), String.valueOf(rule.get("regex")));
			}
		}
		assertThat(kept).containsEntry("__meta_kubernetes_pod_label_app",
				String.valueOf(this.deployment.podLabels().get("app")));
		assertThat(this.deployment.containerPort(kept.get("__meta_kubernetes_pod_container_port_name")))
			.isEqualTo(serverPort());

		Map<String, Object> podMonitor = Manifests.documents("prometheus")
			.stream()
			.filter(document -> document.kind().equals("PodMonitor"))
			.findFirst()
			.orElseThrow()
			.content();
		Map<String, Object> spec = map(podMonitor, "spec");
		assertThat(this.deployment.podLabels()).containsAllEntriesOf(map(map(spec, "selector"), "matchLabels"));
		Map<String, Object> endpoint = asMap(list(spec, "podMetricsEndpoints").get(0));
		assertThat(endpoint).containsEntry("path", path);
		assertThat(this.deployment.containerPort(endpoint.get("port"))).isEqualTo(serverPort());
		assertThat(map(endpoint, "authorization")).containsEntry("type", "Bearer");
		assertThat(map(map(endpoint, "authorization"), "credentials")).isEqualTo(token);

		assertThat(get(path, null).statusCode()).isEqualTo(401);
		HttpResponse<String> scrape = get(path, token());
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.body()).contains("hotreload_config_last_reload_successful");
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
				assertThat(target).as(service + " " + port).isNotNull().isNotEqualTo(serverPort());
			}
		}
	}

	@Test
	void dashboardShouldChartEveryExportedMetricForTheSelectedInstance() throws Exception {
		Map<String, Set<String>> exported = exportedMetrics();
		Set<String> samples = new TreeSet<>();
		exported.values().forEach(samples::addAll);
		Map<String, Object> dashboard = json(
				Files.readString(Manifests.DEPLOY.resolve("grafana/btcfed-node-dashboard.json")));
		Map<String, Object> instance = list(map(dashboard, "templating"), "list").stream()
			.map(Manifests::asMap)
			.filter(variable -> "instance".equals(variable.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no template variable 'instance'"));
		assertThat(instance).containsEntry("type", "query");
		Matcher values = Pattern.compile("label_values\\((\\w+), instance\\)")
			.matcher(String.valueOf(instance.get("definition")));
		assertThat(values.matches()).as("instance variable query").isTrue();
		assertThat(samples).contains(values.group(1));

		Set<String> charted = new TreeSet<>();
		for (Object panel : list(dashboard, "panels")) {
			for (Object target : list(asMap(panel), "targets")) {
				String expression = String.valueOf(asMap(target).get("expr"));
				Map<String, List<String>> references = Manifests.metricReferences(expression);
				assertThat(references).as(expression).isNotEmpty();
				references.forEach((name, selectors) -> assertThat(selectors).as(expression)
					.allSatisfy(selector -> assertThat(selector).contains("instance=~\"$instance\"")));
				charted.addAll(references.keySet());
			}
		}
		assertThat(samples).as("exported sample names").containsAll(charted);
		exported.forEach((family, names) -> assertThat(names).as("a panel charts " + family)
			.containsAnyElementsOf(charted));
	}

	@Test
	void alertRulesShouldUseExportedMetrics() throws Exception {
		Set<String> samples = new TreeSet<>();
		exportedMetrics().values().forEach(samples::addAll);
		List<Object> rules = new ArrayList<>();
		for (Object group : list(Manifests.load(Manifests.DEPLOY.resolve("prometheus/alerts.yaml")), "groups")) {
			rules.addAll(list(asMap(group), "rules"));
		}
		assertThat(rules).isNotEmpty();
		for (Object rule : rules) {
			String expression = String.valueOf(asMap(rule).get("expr"));
			assertThat(Manifests.metricReferences(expression).keySet()).as(asMap(rule).get("alert") + ": " + expression)
				.isNotEmpty()
				.allSatisfy(name -> assertThat(samples).contains(name));
		}
	}

	/**
	 * Every node metric family the running node exports, with its sample names, after two reloads
	 * that changed something and a dry run (their meters exist only once one ran). Every meter the sources
	 * declare must be registered by then, so none is missed because this node did not create it.
	 */
	private Map<String, Set<String>> exportedMetrics() throws Exception {
		for (String level : List.of("warn", "info")) {
			writeConf(CONFIG, level);
			assertThat(post("/actuator/hotreload").body()).contains("\"status\":\"SUCCEEDED\"");
		}
		writeConf(CONFIG, "warn");
		assertThat(post("/actuator/hotreload?dryRun=true").body()).contains("\"status\":\"VALIDATED\"");
		writeConf(CONFIG, "info");
		Set<String> registered = new TreeSet<>();
		for (Meter meter : this.registry.getMeters()) {
			registered.add(meter.getId().getName());
		}
		assertThat(registered).containsAll(declaredMeterNames());
		Map<String, Set<String>> families = Manifests.metricFamilies(get("/actuator/prometheus", token()).body());
		assertThat(families).containsKeys("hotreload_reloads_total", "hotreload_component_duration_seconds",
				"btcfed_p2p_closed_total", "btcfed_p2p_peers_connected");
		return families;
	}

	/** Meter names in {@code Counter.builder("...")} and the like under src/main/java. */
	private static Set<String> declaredMeterNames() throws IOException {
		Pattern builder = Pattern
			.compile("\\b(?:Function)?(?:Counter|Gauge|Timer|DistributionSummary|LongTaskTimer)\\.builder\\(\"([^\"]+)\"");
		Set<String> names = new TreeSet<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : sources.filter(file -> file.toString().endsWith(".java")).toList()) {
				Matcher matcher = builder.matcher(Files.readString(source));
				while (matcher.find()) {
					names.add(matcher.group(1));
				}
			}
		}
		assertThat(names).contains("btcfed.p2p.admitted", "btcfed.p2p.peers.configured", "hotreload.reloads");
		return names;
	}

	private static int serverPort() {
		return (Integer) map(Manifests.load(Path.of("src/main/resources/application.yaml")), "server").get("port");
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

	private static Map<String, Object> json(String body) {
		return asMap(JSON.readValue(body, Map.class));
	}

	private static String token() throws IOException {
		return Files.readString(DATA.resolve(DataDir.TOKEN_FILE)).trim();
	}

	private HttpRequest.Builder request(String path, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	private HttpResponse<String> post(String path) throws Exception {
		return this.http.send(request(path, token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path, String token) throws Exception {
		return this.http.send(request(path, token).build(), HttpResponse.BodyHandlers.ofString());
	}

}
