package org.btcfed.node.logging;

import java.io.File;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.LengthCounter;
import ch.qos.logback.core.rolling.LengthCounterBase;
import ch.qos.logback.core.rolling.TriggeringPolicyBase;

/**
 * Rolls the log file over once it has reached {@code logging.file_max_size}.
 * <p>
 * Logback's own {@code SizeBasedTriggeringPolicy} looks at the file's length at most once a
 * minute, so a busy node could write far past the limit before rotating. This policy counts the
 * bytes the appender writes instead (the appender feeds {@link #getLengthCounter()}, starting
 * from the length of an existing file), which costs nothing per event and rotates at the size.
 * <p>
 * The appender calls {@link #isTriggeringEvent} under its triggering lock, so the check and the
 * reset happen together.
 */
final class SizeTriggeringPolicy extends TriggeringPolicyBase<ILoggingEvent> {

	private final LengthCounter written = new LengthCounterBase();

	private final long maxBytes;

	/**
	 * @param maxBytes the size at which the file is rolled over
	 */
	SizeTriggeringPolicy(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	@Override
	public boolean isTriggeringEvent(File activeFile, ILoggingEvent event) {
		if (this.written.getLength() < this.maxBytes) {
			return false;
		}
		// The appender rolls over right after this returns and starts an empty file.
		this.written.reset();
		return true;
	}

	@Override
	public LengthCounter getLengthCounter() {
		return this.written;
	}

}
