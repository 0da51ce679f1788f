package org.btcfed.node.network;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Lets a log line through once per key per window and counts the repeats it holds back: the
 * first event of a key is logged at once, the next ones within the window are only counted, and
 * the first one after the window is logged again with how many were held back since the last
 * line. Remembers at most {@code capacity} keys, forgetting the one logged longest ago, so that
 * a remote cycling through keys cannot make it grow (a forgotten key's held-back count is lost
 * and its next event logs as a first one). Thread-safe.
 */
final class LogThrottle {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final Clock clock;

	private final Duration window;

	private final Map<Object, Entry> entries;

	/**
	 * @param clock the time of events, and the zone in which a held-back count's start is shown
	 * @param window how long after a logged line the same key stays silent
	 * @param capacity how many keys are remembered at most
	 */
	LogThrottle(Clock clock, Duration window, int capacity) {
		if (window.isNegative() || window.isZero()) {
			throw new IllegalArgumentException("window must be positive, was " + window);
		}
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
		}
		this.clock = clock;
		this.window = window;
		this.entries = new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Object, Entry> eldest) {
				return size() > capacity;
			}

		};
	}

	/**
	 * Records an event of a key.
	 * @param key what identifies repeats of the same event (equals and hashCode)
	 * @return null when the event is to be counted silently; else the text to append to its log
	 * line: empty, or {@code " (37 more since 10:02:11)"} when repeats were held back since the
	 * last line
	 */
	synchronized @Nullable String record(Object key) {
		Instant now = this.clock.instant();
		Entry entry = this.entries.get(key);
		if (entry != null && silent(entry, now)) {
			entry.heldBack++;
			return null;
		}
		// Removed and put again, so that the insertion order is the order of the last lines and
		// the eldest (the one evicted first) is the key logged longest ago.
		this.entries.remove(key);
		this.entries.put(key, new Entry(now));
		return (entry == null || entry.heldBack == 0) ? "" : " (" + entry.heldBack + " more since "
				+ format(entry.loggedAt, now) + ")";
	}

	/** Within the window of the last line; a clock set back ends the window rather than stretch it. */
	private boolean silent(Entry entry, Instant now) {
		Duration elapsed = Duration.between(entry.loggedAt, now);
		return !elapsed.isNegative() && elapsed.compareTo(this.window) < 0;
	}

	/** The time of day, with the date when the line is from another day than now. */
	private String format(Instant then, Instant now) {
		LocalDateTime local = LocalDateTime.ofInstant(then, this.clock.getZone());
		boolean sameDay = local.toLocalDate().equals(LocalDateTime.ofInstant(now, this.clock.getZone()).toLocalDate());
		return (sameDay ? TIME : DATE_TIME).format(local);
	}

	/**
	 * @return how many keys are remembered
	 */
	synchronized int size() {
		return this.entries.size();
	}

	private static final class Entry {

		final Instant loggedAt;

		long heldBack;

		Entry(Instant loggedAt) {
			this.loggedAt = loggedAt;
		}

	}

}
