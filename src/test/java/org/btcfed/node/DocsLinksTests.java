package org.btcfed.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation travels with the project: an operator who clones the repository can follow
 * every link of its Markdown files (README.md, docs/, deploy/, examples/). Relative links resolve
 * inside the repository to files and headings that exist; anything else is https to a public
 * upstream project. The checker itself is tested on files in a temp dir.
 */
class DocsLinksTests {

	/** Public upstream projects the documentation may link to. */
	static final Set<String> PUBLIC_HOSTS = Set.of("www.rfc-editor.org", "datatracker.ietf.org", "github.com",
			"docs.spring.io", "prometheus.io");

	private static final List<String> REFERENCE = List.of("docs/http-api.md", "docs/reload.md",
			"docs/configuration.md", "docs/data-dir.md");

	@TempDir
	Path repo;

	@Test
	void repositoryMarkdownShouldLinkOnlyInsideTheRepositoryOrToPublicProjects() {
		MarkdownLinks links = new MarkdownLinks(Path.of(""), PUBLIC_HOSTS);
		assertThat(links.documents().stream().flatMap(document -> links.check(document).stream())).isEmpty();
	}

	@Test
	void documentsShouldIncludeTheReadmeAndTheReference() {
		List<String> documents = new MarkdownLinks(Path.of(""), PUBLIC_HOSTS).documents()
			.stream()
			.map(file -> Path.of("").toAbsolutePath().relativize(file).toString().replace('\\', '/'))
			.toList();
		assertThat(documents).contains("README.md").containsAll(REFERENCE).noneMatch(name -> name.startsWith("target/"));
	}

	@Test
	void readmeShouldLinkToEveryReferenceDocument() throws IOException {
		List<String> links = MarkdownLinks.prose(Files.readAllLines(Path.of("README.md")))
			.stream()
			.flatMap(line -> MarkdownLinks.links(line).stream())
			.map(link -> link.replaceAll("#.*", ""))
			.toList();
		assertThat(links).containsAll(REFERENCE);
	}

	@Test
	void checkWhenLinkNamesTheSharedDocsShouldReportIt() throws IOException {
		write("README.md", "The contract is in [DESIGN](../shared/docs/DESIGN.md).\n");
		assertThat(problems("README.md")).anySatisfy(p -> assertThat(p).contains("mentions '../shared'"))
			.anySatisfy(p -> assertThat(p).contains("resolves outside the repository"));
	}

	@Test
	void checkWhenRelativeLinkClimbsOutOfTheRepositoryShouldReportIt() throws IOException {
		write("docs/a.md", "See [the parent](../../outside.md) and [up](../../).\n");
		assertThat(problems("docs/a.md")).hasSize(2).allSatisfy(p -> assertThat(p).contains("outside the repository"));
	}

	@Test
	void checkWhenSymbolicLinkLeadsOutOfTheRepositoryShouldReportIt(@TempDir Path elsewhere) throws IOException {
		Files.writeString(elsewhere.resolve("secret.md"), "# Outside\n");
		Files.createSymbolicLink(this.repo.resolve("inside.md"), elsewhere.resolve("secret.md"));
		write("README.md", "[looks local](inside.md)\n");
		assertThat(problems("README.md")).singleElement().asString().contains("outside the repository");
	}

	@Test
	void checkWhenFileOrHeadingIsMissingShouldReportIt() throws IOException {
		write("docs/a.md", "# Title\n\n## The `If-Match` header\n");
		write("README.md", "[gone](docs/missing.md), [bad anchor](docs/a.md#nothing), [here](#nowhere),"
				+ " [good](docs/a.md#the-if-match-header)\n");
		assertThat(problems("README.md")).hasSize(3)
			.anySatisfy(p -> assertThat(p).contains("no such file docs/missing.md"))
			.anySatisfy(p -> assertThat(p).contains("no heading #nothing"))
			.anySatisfy(p -> assertThat(p).contains("no heading #nowhere"));
	}

	@Test
	void checkWhenLinkLeavesOverHttpOrToAnUnknownHostShouldReportIt() throws IOException {
		write("README.md", "[local](http://127.0.0.1:8080/actuator), <https://intranet.example/wiki>,"
				+ " see https://other.example/page. [abs](/etc/passwd) [proto](//host/x) [file](file:///etc)\n");
		assertThat(problems("README.md")).hasSize(6)
			.anySatisfy(p -> assertThat(p).contains("only https"))
			.anySatisfy(p -> assertThat(p).contains("host intranet.example"))
			.anySatisfy(p -> assertThat(p).contains("host other.example"))
			.anySatisfy(p -> assertThat(p).contains("absolute path"))
			.anySatisfy(p -> assertThat(p).contains("protocol-relative"));
	}

	@Test
	void checkWhenLinksAreGoodShouldReportNothing() throws IOException {
		write("docs/b.md", "# Reload\n\n## Phases\n\n## Phases\n\n<a id=\"explicit\"></a>\n");
		write("docs/a.md", """
				# Reference

				See [phases](b.md#phases), [again](b.md#phases-1), [explicit](b.md#explicit), [top](#reference),
				![diagram](img/d.txt "title"), [the folder](img/) and [RFC 9457][rfc].

				[rfc]: https://www.rfc-editor.org/rfc/rfc9457
				""");
		write("docs/img/d.txt", "x");
		assertThat(problems("docs/a.md")).isEmpty();
	}

	@Test
	void checkWhenLinkIsCodeShouldIgnoreIt() throws IOException {
		write("README.md", """
				Run `curl http://127.0.0.1:8080/actuator/health` or see `[x](missing.md)`.

				```sh
				curl -s http://127.0.0.1:8080/actuator/hotreload   # [not](a-link.md)
				```
				""");
		assertThat(problems("README.md")).isEmpty();
	}

	@Test
	void slugShouldFollowGitHub() {
		assertThat(MarkdownLinks.slug("`POST /actuator/hotreload`")).isEqualTo("post-actuatorhotreload");
		assertThat(MarkdownLinks.slug("Errors: RFC 9457 problem details")).isEqualTo("errors-rfc-9457-problem-details");
		assertThat(MarkdownLinks.slug("`network.max_connections` and [links](x.md)"))
			.isEqualTo("networkmax_connections-and-links");
	}

	@Test
	void documentsShouldSkipBuildOutputAndHiddenDirectories() throws IOException {
		write("README.md", "# x\n");
		write("target/classes/META-INF/x.md", "[broken](nothing.md)\n");
		write(".git/y.md", "[broken](nothing.md)\n");
		write("examples/two-nodes/NOTES.md", "# notes\n");
		assertThat(new MarkdownLinks(this.repo, PUBLIC_HOSTS).documents()).extracting(this.repo::relativize)
			.containsExactly(Path.of("README.md"), Path.of("examples/two-nodes/NOTES.md"));
	}

	private void write(String name, String content) throws IOException {
		Path file = this.repo.resolve(name);
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

	private List<String> problems(String name) {
		return new MarkdownLinks(this.repo, PUBLIC_HOSTS).check(this.repo.resolve(name));
	}

}
