package org.btcfed.node.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
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

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the files under {@code deploy/} the way their consumers do: every YAML document of every
 * manifest (duplicate keys rejected, as {@code kubectl} does), the pod specs inside workloads,
 * the Secrets they reference, the {@code kubectl create secret} commands in comments, and the
 * metric names in PromQL expressions.
 */
final class Manifests {

	static final Path DEPLOY = Path.of("deploy");

	/** A metric of the node's own; the JVM, Tomcat and process ones are Micrometer's. */
	static final String NODE_METRIC = "(?:hotreload|btcfed)_[a-zA-Z0-9_]+";

	/** A node metric in PromQL, with its label selector if it has one. */
	static final Pattern METRIC = Pattern.compile("\\b(" + NODE_METRIC + ")(\\{[^}]*})?");

	private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
			"Job");

	private static final Pattern CREATE_SECRET = Pattern
		.compile("kubectl (?:-n \\S+ )?create secret generic (\\S+)((?:[ \\t]+--\\S+)*)");

	private static final Pattern FROM = Pattern.compile("--from-(file|literal)=(?:([^=\\s]+)=)?(\\S+)");

	private Manifests() {
	}

	/** One YAML document of a file. */
	record Document(Path file, Map<String, Object> content) {

		String kind() {
			return String.valueOf(this.content.get("kind"));
		}

		String name() {
			return String.valueOf(map(this.content, "metadata").get("name"));
		}

		@Override
		public String toString() {
			return this.file + ": " + kind() + " " + name();
		}

	}

	/** A Secret's key, as referenced or created. */
	record SecretKey(String secret, String key) {
	}

	static List<Document> documents(String directory) {
		try (Stream<Path> files = Files.list(DEPLOY.resolve(directory))) {
			List<Document> documents = new ArrayList<>();
			for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml")).sorted().toList()) {
				for (Object content : yaml().loadAll(Files.readString(file))) {
					if (content != null) {
						documents.add(new Document(file, asMap(content)));
					}
				}
			}
			return documents;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Map<String, Object> load(Path file) {
		try {
			return asMap(yaml().load(Files.readString(file)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Map<String, Object> load(String text) {
		return asMap(yaml().load(text));
	}

	private static Yaml yaml() {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		return new Yaml(new SafeConstructor(options));
	}

	/** The pod specs of every workload (and bare pod) in the documents. */
	static Map<Document, Map<String, Object>> podSpecs(List<Document> documents) {
		Map<Document, Map<String, Object>> specs = new LinkedHashMap<>();
		for (Document document : documents) {
			if (WORKLOADS.contains(document.kind())) {
				specs.put(document, map(template(document), "spec"));
			}
			else if (document.kind().equals("CronJob")) {
				specs.put(document, map(map(map(map(document.content(), "spec"), "jobTemplate"), "spec"), "template"));
			}
			else if (document.kind().equals("Pod")) {
				specs.put(document, map(document.content(), "spec"));
			}
		}
		return specs;
	}

	static Map<String, Object> template(Document workload) {
		return map(map(workload.content(), "spec"), "template");
	}

	/** Every container of a pod spec: init, regular and ephemeral ones. */
	static List<Map<String, Object>> containers(Map<String, Object> podSpec) {
		List<Map<String, Object>> all = new ArrayList<>();
		for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
			list(podSpec, field).forEach(container -> all.add(asMap(container)));
		}
		return all;
	}

	/** The Secret keys a pod spec reads: env, envFrom (whole Secret: key "*"), volumes. */
	static Set<SecretKey> secretReferences(Map<String, Object> podSpec) {
		Set<SecretKey> references = new LinkedHashSet<>();
		for (Map<String, Object> container : containers(podSpec)) {
			for (Object env : list(container, "env")) {
				Map<String, Object> ref = map(map(asMap(env), "valueFrom"), "secretKeyRef");
				if (!ref.isEmpty()) {
					references.add(new SecretKey(String.valueOf(ref.get("name")), String.valueOf(ref.get("key"))));
				}
			}
			for (Object envFrom : list(container, "envFrom")) {
				Map<String, Object> ref = map(asMap(envFrom), "secretRef");
				if (!ref.isEmpty()) {
					references.add(new SecretKey(String.valueOf(ref.get("name")), "*"));
				}
			}
		}
		for (Object volume : list(podSpec, "volumes")) {
			Map<String, Object> secret = map(asMap(volume), "secret");
			if (!secret.isEmpty()) {
				addItems(references, String.valueOf(secret.get("secretName")), secret);
			}
			for (Object source : list(map(asMap(volume), "projected"), "sources")) {
				Map<String, Object> projected = map(asMap(source), "secret");
				if (!projected.isEmpty()) {
					addItems(references, String.valueOf(projected.get("name")), projected);
				}
			}
		}
		return references;
	}

	private static void addItems(Set<SecretKey> references, String secret, Map<String, Object> source) {
		List<Object> items = list(source, "items");
		if (items.isEmpty()) {
			references.add(new SecretKey(secret, "*"));
		}
		items.forEach(item -> references.add(new SecretKey(secret, String.valueOf(asMap(item).get("key")))));
	}

	/** The file's comments as shell text: {@code #} removed, continuation lines joined. */
	static String commentText(Path file) {
		try {
			StringBuilder text = new StringBuilder();
			for (String line : Files.readAllLines(file)) {
				if (line.startsWith("#")) {
					text.append(line.replaceFirst("^# ?", "")).append('\n');
				}
			}
			return text.toString().replaceAll("\\\\\\n\\s*", " ");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The Secret keys that {@code kubectl create secret generic} commands in the text create. */
	static Set<SecretKey> createdSecrets(String shell) {
		Set<SecretKey> created = new LinkedHashSet<>();
		Matcher command = CREATE_SECRET.matcher(shell);
		while (command.find()) {
			Matcher from = FROM.matcher(command.group(2));
			while (from.find()) {
				String key = (from.group(2) != null) ? from.group(2)
						: from.group(1).equals("file") ? Path.of(from.group(3)).getFileName().toString() : null;
				created.add(new SecretKey(command.group(1), key));
			}
		}
		return created;
	}

	/** The text between a shell here-document's {@code <<'END'} line and its {@code END} line. */
	static String hereDocument(String shell, String delimiter) {
		Matcher heredoc = Pattern.compile("<<'" + delimiter + "'\\n(.*?)\\n\\s*" + delimiter + "\\n", Pattern.DOTALL)
			.matcher(shell);
		if (!heredoc.find()) {
			throw new AssertionError("no here-document " + delimiter);
		}
		return heredoc.group(1).stripIndent();
	}

	/** Every metric reference in a PromQL expression: the name, and its selector or "". */
	static Map<String, List<String>> metricReferences(String expression) {
		Map<String, List<String>> references = new LinkedHashMap<>();
		Matcher metric = METRIC.matcher(expression);
		while (metric.find()) {
			references.computeIfAbsent(metric.group(1), name -> new ArrayList<>())
				.add((metric.group(2) != null) ? metric.group(2) : "");
		}
		return references;
	}

	/**
	 * The node's metric families in a Prometheus text scrape ({@code # TYPE} lines), each with the
	 * sample names it exports (a histogram's {@code _bucket}, {@code _sum}, {@code _count}).
	 */
	static Map<String, Set<String>> metricFamilies(String scrape) {
		Map<String, Set<String>> families = new LinkedHashMap<>();
		Matcher type = Pattern.compile("(?m)^# TYPE (" + NODE_METRIC + ") \\w+$").matcher(scrape);
		while (type.find()) {
			families.put(type.group(1), new TreeSet<>());
		}
		Matcher sample = Pattern.compile("(?m)^(" + NODE_METRIC + ")[{ ]").matcher(scrape);
		while (sample.find()) {
			String name = sample.group(1);
			String family = families.keySet()
				.stream()
				.filter(candidate -> name.equals(candidate)
						|| name.matches(Pattern.quote(candidate) + "_(total|bucket|sum|count|created)"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no # TYPE line for " + name));
			families.get(family).add(name);
		}
		return families;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> asMap(Object value) {
		return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	static Map<String, Object> map(Map<String, Object> parent, String field) {
		return asMap(parent.get(field));
	}

	@SuppressWarnings("unchecked")
	static List<Object> list(Map<String, Object> parent, String field) {
		return (parent.get(field) instanceof List<?> list) ? (List<Object>) list : List.of();
	}

}
