package org.btcfed.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the links of a repository's Markdown files and says which of them lead somewhere a
 * reader who cloned the repository cannot follow: out of the repository (by a relative path or a
 * symbolic link), to a file or heading that does not exist, over plain http, or to a host that is
 * not a known public project. Links are read as GitHub renders them: inline links and images,
 * reference definitions, autolinks, bare URLs and HTML {@code href}/{@code src}; code blocks and
 * code spans are not links.
 */
final class MarkdownLinks {

	/** Texts that name the sibling checkout of shared docs, which a clone never has. */
	static final List<String> FORBIDDEN_TEXT = List.of("../shared", "shared/docs/");

	private static final Pattern FENCE = Pattern.compile("^\\s{0,3}(```|~~~)");

	private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");

	private static final Pattern INLINE = Pattern
		.compile("!?\\[(?:[^\\]\\\\]|\\\\.)*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+(?:\"[^\"]*\"|'[^']*'))?\\s*\\)");

	private static final Pattern REFERENCE = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");

	private static final Pattern AUTOLINK = Pattern.compile("<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\\s]+)>");

	private static final Pattern BARE_URL = Pattern.compile("(?<![(<\"'=\\w])((?:https?|ftp)://[^\\s<>)\\]]+)");

	private static final Pattern HTML_ATTRIBUTE = Pattern.compile("\\b(?:href|src)\\s*=\\s*[\"']([^\"']*)[\"']");

	private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");

	private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:id|name)\\s*=\\s*[\"']([^\"']+)[\"']");

	private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

	private final Path root;

	private final Set<String> publicHosts;

	private final Map<Path, Set<String>> anchors = new HashMap<>();

	/**
	 * @param root the repository's root
	 * @param publicHosts hosts of public upstream projects that may be linked over https
	 */
	MarkdownLinks(Path root, Set<String> publicHosts) {
		this.root = root.toAbsolutePath().normalize();
		this.publicHosts = publicHosts;
	}

	/**
	 * @return every Markdown file under the root, build output and hidden directories left out
	 */
	List<Path> documents() {
		List<Path> documents = new ArrayList<>();
		try {
			Files.walkFileTree(this.root, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
					String name = dir.getFileName().toString();
					boolean skipped = !dir.equals(MarkdownLinks.this.root)
							&& (name.equals("target") || name.startsWith("."));
					return skipped ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
					if (file.getFileName().toString().endsWith(".md")) {
						documents.add(file);
					}
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		documents.sort(null);
		return documents;
	}

	/**
	 * @param document a Markdown file under the root
	 * @return its problems, each as {@code file:line: link: what is wrong}
	 */
	List<String> check(Path document) {
		List<String> problems = new ArrayList<>();
		List<String> lines = read(document);
		String name = this.root.relativize(document.toAbsolutePath().normalize()).toString();
		for (int i = 0; i < lines.size(); i++) {
			for (String forbidden : FORBIDDEN_TEXT) {
				if (lines.get(i).contains(forbidden)) {
					problems.add(name + ":" + (i + 1) + ": mentions '" + forbidden + "', which a clone does not have");
				}
			}
		}
		List<String> prose = prose(lines);
		for (int i = 0; i < prose.size(); i++) {
			for (String link : links(prose.get(i))) {
				String problem = problem(document, link);
				if (problem != null) {
					problems.add(name + ":" + (i + 1) + ": " + link + ": " + problem);
				}
			}
		}
		return problems;
	}

	/** The lines with code blocks blanked and code spans removed: what GitHub may turn into links. */
	static List<String> prose(List<String> lines) {
		List<String> result = new ArrayList<>();
		boolean inCode = false;
		for (String line : lines) {
			if (FENCE.matcher(line).find()) {
				inCode = !inCode;
				result.add("");
			}
			else {
				result.add(inCode ? "" : CODE_SPAN.matcher(line).replaceAll(" "));
			}
		}
		return result;
	}

	static List<String> links(String line) {
		Set<String> links = new LinkedHashSet<>();
		for (Pattern pattern : List.of(INLINE, REFERENCE, AUTOLINK, HTML_ATTRIBUTE)) {
			Matcher matcher = pattern.matcher(line);
			while (matcher.find()) {
				links.add(matcher.group(1));
			}
		}
		Matcher bare = BARE_URL.matcher(line);
		while (bare.find()) {
			String url = bare.group(1).replaceAll("[.,;:!?]+$", "");
			if (links.stream().noneMatch(link -> link.startsWith(url) || url.startsWith(link))) {
				links.add(url);
			}
		}
		return List.copyOf(links);
	}

	private String problem(Path document, String link) {
		if (link.isEmpty()) {
			return "empty link";
		}
		if (link.startsWith("//")) {
			return "protocol-relative links leave the repository";
		}
		if (SCHEME.matcher(link).find()) {
			return external(link);
		}
		if (link.startsWith("/")) {
			return "absolute path; write it relative to " + this.root.relativize(document.toAbsolutePath().normalize());
		}
		int hash = link.indexOf('#');
		String path = (hash < 0) ? link : link.substring(0, hash);
		String anchor = (hash < 0) ? "" : link.substring(hash + 1);
		Path target = document.toAbsolutePath().normalize();
		if (!path.isEmpty()) {
			target = target.getParent().resolve(URLDecoder.decode(path, StandardCharsets.UTF_8)).normalize();
			if (!target.startsWith(this.root)) {
				return "resolves outside the repository, to " + target;
			}
			if (!Files.exists(target)) {
				return "no such file " + this.root.relativize(target);
			}
			try {
				if (!target.toRealPath().startsWith(this.root.toRealPath())) {
					return "is a link to " + target.toRealPath() + ", outside the repository";
				}
			}
			catch (IOException ex) {
				return "cannot be resolved: " + ex.getMessage();
			}
		}
		if (!anchor.isEmpty()) {
			if (!target.getFileName().toString().endsWith(".md") || Files.isDirectory(target)) {
				return "anchor #" + anchor + " on a file that is not Markdown";
			}
			if (!anchorsOf(target).contains(URLDecoder.decode(anchor, StandardCharsets.UTF_8))) {
				return "no heading #" + anchor + " in " + this.root.relativize(target) + " (it has "
						+ anchorsOf(target) + ")";
			}
		}
		return null;
	}

	private String external(String link) {
		URI uri;
		try {
			uri = new URI(link);
		}
		catch (URISyntaxException ex) {
			return "not a valid URI: " + ex.getMessage();
		}
		if (!"https".equalsIgnoreCase(uri.getScheme())) {
			return "only https links to public projects may leave the repository";
		}
		if (uri.getHost() == null || !this.publicHosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
			return "host " + uri.getHost() + " is not a known public project " + this.publicHosts;
		}
		return null;
	}

	/** The anchors GitHub gives a Markdown file's headings (and explicit {@code <a id>}s). */
	Set<String> anchorsOf(Path document) {
		return this.anchors.computeIfAbsent(document, file -> {
			Set<String> result = new LinkedHashSet<>();
			Map<String, Integer> seen = new HashMap<>();
			List<String> lines = read(file);
			List<String> prose = prose(lines);
			for (int i = 0; i < lines.size(); i++) {
				if (prose.get(i).isEmpty()) {
					continue;
				}
				Matcher heading = HEADING.matcher(lines.get(i));
				if (heading.matches()) {
					String slug = slug(heading.group(1));
					int count = seen.merge(slug, 1, Integer::sum);
					result.add((count == 1) ? slug : slug + "-" + (count - 1));
				}
				Matcher explicit = HTML_ANCHOR.matcher(prose.get(i));
				while (explicit.find()) {
					result.add(explicit.group(1));
				}
			}
			return result;
		});
	}

	/** GitHub's heading slug: link texts kept, lower case, punctuation dropped, spaces to hyphens. */
	static String slug(String heading) {
		String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "");
		return text.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
	}

	private static List<String> read(Path file) {
		try {
			return Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
