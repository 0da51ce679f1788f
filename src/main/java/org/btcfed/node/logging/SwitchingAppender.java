package org.btcfed.node.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

/**
 * The one appender on the root logger: it hands every event to the current outputs (console,
 * file), and lets a reload replace those outputs without losing or repeating a line.
 * <p>
 * Swapping appenders on the root logger itself cannot promise that: a thread that has just read
 * the root's appender list may still be about to write to an old appender when the reload stops
 * it, and Logback silently drops events sent to a stopped appender. Here, every event is written
 * while holding the read lock, and {@link #switchTo} takes the write lock to replace the list, so
 * once it returns no thread can still write to an old output and it is safe to stop.
 * <p>
 * Thread-safe: any thread may log while one thread switches.
 */
final class SwitchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

	/** The appender's name on the root logger. */
	static final String NAME = "BTCFED";

	// Reentrant, so that an output that logs while it writes does not deadlock against a
	// waiting switch.
	private final ReadWriteLock lock = new ReentrantReadWriteLock();

	/** Guarded by {@link #lock}. */
	private List<Appender<ILoggingEvent>> outputs = List.of();

	SwitchingAppender() {
		setName(NAME);
	}

	@Override
	protected void append(ILoggingEvent event) {
		Lock read = this.lock.readLock();
		read.lock();
		try {
			for (Appender<ILoggingEvent> output : this.outputs) {
				output.doAppend(event);
			}
		}
		finally {
			read.unlock();
		}
	}

	/**
	 * Makes {@code next} the outputs. Waits for events being written to finish, so that the
	 * previous outputs receive nothing more once this returns.
	 * @param next the new outputs, already started
	 * @return the previous outputs, for the caller to stop (those not in {@code next})
	 */
	List<Appender<ILoggingEvent>> switchTo(List<Appender<ILoggingEvent>> next) {
		List<Appender<ILoggingEvent>> copy = List.copyOf(next);
		Lock write = this.lock.writeLock();
		write.lock();
		try {
			List<Appender<ILoggingEvent>> previous = this.outputs;
			this.outputs = copy;
			return previous;
		}
		finally {
			write.unlock();
		}
	}

	/**
	 * Replaces the root logger's appenders (Spring Boot's console, and file if configured) by this
	 * one: conf.yaml alone decides where logs go. This one is attached before the others are
	 * detached, so a line logged meanwhile reaches at least one of them (but for a thread that
	 * picked an old appender just before it stopped: a window of a few instructions, once, at
	 * start-up, where Spring Boot's appenders offer no way to wait for their writers).
	 * @param root the root logger
	 */
	void takeOver(Logger root) {
		List<Appender<ILoggingEvent>> previous = new ArrayList<>();
		root.iteratorForAppenders().forEachRemaining(previous::add);
		root.addAppender(this);
		for (Appender<ILoggingEvent> appender : previous) {
			if (appender != this) {
				root.detachAppender(appender);
				appender.stop();
			}
		}
	}

	/**
	 * @return the current outputs
	 */
	List<Appender<ILoggingEvent>> outputs() {
		Lock read = this.lock.readLock();
		read.lock();
		try {
			return this.outputs;
		}
		finally {
			read.unlock();
		}
	}

	/**
	 * Stops the outputs too: Logback stops the root's appenders when the logger context stops
	 * (at JVM shutdown), and the log file must then be flushed and closed.
	 */
	@Override
	public void stop() {
		super.stop();
		switchTo(List.of()).forEach(Appender::stop);
	}

}
