package org.btcfed.node.reload.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.btcfed.node.DataDir;
import org.btcfed.node.config.AtomicFiles;
import org.btcfed.node.reload.report.ReloadReport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every reload attempt, newest first: kept in memory and appended to a JSON-lines file in the
 * data dir, so that it survives restarts. Bounded: the file is compacted to the newest
 * {@code limit} reports once it holds twice as many. Ids keep increasing across restarts.
 * Thread-safe.
 */
public class ReloadHistory {

	private static final Log logger = LogFactory.getLog(ReloadHistory.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path file;

	private final int limit;

	private final Deque<ReloadReport> reports = new ArrayDeque<>();

	private long lastId;

	private int linesInFile;

	/**
	 * Opens the history, reading what earlier runs left. Lines that cannot be read (e.g. a
	 * line cut short by a crash) are skipped with one warning.
	 * @param dataDir the data dir
	 * @param limit how many reports to keep
	 */
	public ReloadHistory(Path dataDir, int limit) {
		this.file = dataDir.resolve(DataDir.HISTORY_FILE);
		this.limit = Math.max(1, limit);
		load();
	}

	private void load() {
		if (!Files.exists(this.file)) {
			return;
		}
		int skipped = 0;
		try {
			for (String line : Files.readAllLines(this.file, StandardCharsets.UTF_8)) {
				if (line.isBlank()) {
					continue;
				}
				this.linesInFile++;
				try {
					ReloadReport report = JSON.readValue(line, ReloadReport.class);
					this.lastId = Math.max(this.lastId, report.id());
					this.reports.addFirst(report);
					if (this.reports.size() > this.limit) {
						this.reports.removeLast();
					}
				}
				catch (JacksonException ex) {
					skipped++;
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the reload history " + this.file, ex);
		}
		if (skipped > 0) {
			logger.warn("Skipped " + skipped + " unreadable line(s) in " + this.file);
		}
	}

	/**
	 * Numbers a report and records it.
	 * @param report the report, its id ignored
	 * @return the report with its id
	 */
	public synchronized ReloadReport append(ReloadReport report) {
		ReloadReport numbered = report.withId(++this.lastId);
		this.reports.addFirst(numbered);
		if (this.reports.size() > this.limit) {
			this.reports.removeLast();
		}
		try {
			if (this.linesInFile + 1 > 2 * this.limit) {
				rewrite();
			}
			else {
				Files.createDirectories(this.file.getParent());
				Files.writeString(this.file, JSON.writeValueAsString(numbered) + "\n", StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
				this.linesInFile++;
			}
		}
		catch (IOException ex) {
			// The report is still served from memory; losing the file copy must not fail a reload.
			logger.warn("Cannot write the reload history to " + this.file + ": " + ex.getMessage());
		}
		return numbered;
	}

	private void rewrite() throws IOException {
		StringBuilder content = new StringBuilder();
		Iterator<ReloadReport> oldestFirst = this.reports.descendingIterator();
		while (oldestFirst.hasNext()) {
			content.append(JSON.writeValueAsString(oldestFirst.next())).append('\n');
		}
		AtomicFiles.write(this.file, content.toString().getBytes(StandardCharsets.UTF_8));
		this.linesInFile = this.reports.size();
	}

	/**
	 * @param max the most reports to return
	 * @return the newest reports, newest first
	 */
	public synchronized List<ReloadReport> recent(int max) {
		List<ReloadReport> result = new ArrayList<>(Math.min(max, this.reports.size()));
		for (ReloadReport report : this.reports) {
			if (result.size() >= max) {
				break;
			}
			result.add(report);
		}
		return result;
	}

	/**
	 * @param id a report id
	 * @return the report, if it is still kept
	 */
	public synchronized Optional<ReloadReport> find(long id) {
		return this.reports.stream().filter(r -> r.id() == id).findFirst();
	}

}
