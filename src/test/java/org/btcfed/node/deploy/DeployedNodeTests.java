package org.btcfed.node.deploy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.btcfed.node.SpringBootTestNode;
import org.btcfed.node.config.NodeKey;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btcfed.node.deploy.Manifests.asMap;
import static org.btcfed.node.deploy.Manifests.list;
import static org.btcfed.node.deploy.Manifests.map;

/**
 * The files under {@code deploy/} checked against a real node in one Spring context on a random
 * loopback port: probes on health groups that include {@code hotreload} and {@code p2p} and are
 * open without the token, scrape configs that send the token, and a dashboard and alert rules
 * that use exactly the metrics the node exports. {@link DeployManifestsTests} checks the files
 * against each other.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DeployedNodeTests {

	static final SpringBootTestNode NODE = SpringBootTestNode.create("deploy-manifests", NodeKey.generate().encoded());

	static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry registry;

	final NodeDeployment deployment = NodeDeployment.load();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		NODE.register(registry);
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
				.isEqualTo(NodeDeployment.serverPort());
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
			.isEqualTo(NodeDeployment.serverPort());

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
		assertThat(this.deployment.containerPort(endpoint.get("port"))).isEqualTo(NodeDeployment.serverPort());
		assertThat(map(endpoint, "authorization")).containsEntry("type", "Bearer");
		assertThat(map(map(endpoint, "authorization"), "credentials")).isEqualTo(token);

		assertThat(get(path, null).statusCode()).isEqualTo(401);
		HttpResponse<String> scrape = get(path, token());
		assertThat(scrape.statusCode()).isEqualTo(200);
		assertThat(scrape.body()).contains("hotreload_config_last_reload_successful");
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
			NODE.writeConf(level);
			assertThat(post("/actuator/hotreload").body()).contains("\"status\":\"SUCCEEDED\"");
		}
		NODE.writeConf("warn");
		assertThat(post("/actuator/hotreload?dryRun=true").body()).contains("\"status\":\"VALIDATED\"");
		NODE.writeConf("info");
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

	private static Map<String, Object> json(String body) {
		return asMap(JSON.readValue(body, Map.class));
	}

	private static String token() {
		return NODE.token();
	}

	private HttpResponse<String> post(String path) {
		return NODE.actuator(this.port).post(path);
	}

	private HttpResponse<String> get(String path, String token) {
		return NODE.actuator(this.port).get(path, token);
	}

}
