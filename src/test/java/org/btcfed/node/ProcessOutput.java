package org.btcfed.node;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a child process prints, read line by line by a daemon thread into memory, for
 * assertions, and into a file, for post-mortems. Thread-safe: the reader appends while tests read.
 */
final class ProcessOutput {

	private final StringBuffer text = new StringBuffer();

	private @Nullable Thread reader;

	/**
	 * Discards what an earlier process printed and follows {@code process} to its end.
	 * @param process a process whose stderr goes to its stdout
	 * @param copy the file to copy the lines to, replaced
	 * @param name names the reader thread
	 */
	void follow(Process process, Path copy, String name) {
		try {
			Files.createDirectories(copy.getParent());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.text.setLength(0);
		this.reader = new Thread(() -> copy(process, copy), "node-output-" + name);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	private void copy(Process process, Path copy) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
				BufferedWriter out = Files.newBufferedWriter(copy)) {
			String line;
			while ((line = in.readLine()) != null) {
				this.text.append(line).append('\n');
				out.write(line);
				out.newLine();
				out.flush();
			}
		}
		catch (IOException ex) {
			this.text.append("[NodeProcess] output reader failed: ").append(ex).append('\n');
		}
	}

	/**
	 * Waits for the reader to reach the end of the output, once the process has exited.
	 * @param timeout how long to wait at most
	 * @throws InterruptedException when interrupted meanwhile
	 */
	void awaitEnd(Duration timeout) throws InterruptedException {
		if (this.reader != null) {
			this.reader.join(timeout.toMillis());
		}
	}

	/** @return everything printed so far */
	String text() {
		return this.text.toString();
	}

	/**
	 * @param searched a text
	 * @return how often it occurs in the output so far
	 */
	int occurrences(String searched) {
		String all = text();
		int count = 0;
		for (int at = all.indexOf(searched); at >= 0; at = all.indexOf(searched, at + searched.length())) {
			count++;
		}
		return count;
	}

}
