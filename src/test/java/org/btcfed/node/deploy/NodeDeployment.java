package org.btcfed.node.deploy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.btcfed.node.deploy.Manifests.Document;
import org.btcfed.node.security.AdminToken;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.btcfed.node.deploy.Manifests.asMap;
import static org.btcfed.node.deploy.Manifests.list;
import static org.btcfed.node.deploy.Manifests.map;

/**
 * The node's Deployment in {@code deploy/kubernetes/}: its pod, the one container that runs the
 * node image, and what that container declares (ports, environment, mounts, probes).
 *
 * @param deployment the Deployment document
 * @param pod its pod template's spec
 * @param node the container that runs the btcfed-node image
 */
record NodeDeployment(Document deployment, Map<String, Object> pod, Map<String, Object> node) {

	static NodeDeployment load() {
		Document deployment = Manifests.documents("kubernetes")
			.stream()
			.filter(document -> document.kind().equals("Deployment") && document.name().equals("btcfed-node"))
			.findFirst()
			.orElseThrow();
		Map<String, Object> pod = map(Manifests.template(deployment), "spec");
		List<Map<String, Object>> nodes = Manifests.containers(pod).stream().filter(NodeDeployment::isNode).toList();
		assertThat(nodes).as("containers running the node image").hasSize(1);
		return new NodeDeployment(deployment, pod, nodes.get(0));
	}

	static boolean isNode(Map<String, Object> container) {
		return String.valueOf(container.get("image")).startsWith("btcfed-node");
	}

	Map<String, Object> podLabels() {
		return map(map(Manifests.template(this.deployment), "metadata"), "labels");
	}

	Map<String, Object> podAnnotations() {
		return map(map(Manifests.template(this.deployment), "metadata"), "annotations");
	}

	/** The plain values of a container's environment. */
	static Map<String, String> env(Map<String, Object> container) {
		Map<String, String> values = new LinkedHashMap<>();
		for (Object env : list(container, "env")) {
			Object value = asMap(env).get("value");
			if (value != null) {
				values.put(String.valueOf(asMap(env).get("name")), String.valueOf(value));
			}
		}
		return values;
	}

	/** The {@code secretKeyRef} ({@code name}, {@code key}) that supplies the admin token. */
	Map<String, Object> tokenSecretRef() {
		Map<String, Object> env = list(this.node, "env").stream()
			.map(Manifests::asMap)
			.filter(entry -> AdminToken.ENV.equals(entry.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("the node gets no " + AdminToken.ENV));
		return map(map(env, "valueFrom"), "secretKeyRef");
	}

	Map<String, Object> mount(String path) {
		return mount(this.node, path);
	}

	static Map<String, Object> mount(Map<String, Object> container, String path) {
		return list(container, "volumeMounts").stream()
			.map(Manifests::asMap)
			.filter(mount -> path.equals(mount.get("mountPath")))
			.findFirst()
			.orElseThrow(() -> new AssertionError(container.get("name") + " mounts nothing at " + path));
	}

	/** The type of the volume a container may write at the path, or null when mounted read-only. */
	@Nullable String writableVolumeType(Map<String, Object> container, String path) {
		Map<String, Object> mount = mount(container, path);
		if (Boolean.TRUE.equals(mount.get("readOnly"))) {
			return null;
		}
		Map<String, Object> volume = list(this.pod, "volumes").stream()
			.map(Manifests::asMap)
			.filter(candidate -> mount.get("name").equals(candidate.get("name")))
			.findFirst()
			.orElseThrow();
		return volume.keySet().stream().filter(key -> !key.equals("name")).findFirst().orElseThrow();
	}

	/** @return the HTTP port of the node's packaged {@code application.yaml} */
	static int serverPort() {
		return (Integer) map(Manifests.load(Path.of("src/main/resources/application.yaml")), "server").get("port");
	}

	Map<String, Object> probe(String probe) {
		return map(map(this.node, probe), "httpGet");
	}

	/** The node's container port that a Service, probe or scrape port (number or name) means, or null. */
	@Nullable Integer containerPort(@Nullable Object port) {
		for (Object declared : list(this.node, "ports")) {
			Map<String, Object> entry = asMap(declared);
			if (port != null && (port.equals(entry.get("name")) || port.equals(entry.get("containerPort")))) {
				return (Integer) entry.get("containerPort");
			}
		}
		return null;
	}

}
