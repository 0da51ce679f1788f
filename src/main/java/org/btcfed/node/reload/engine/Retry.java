package org.btcfed.node.reload.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Bounded exponential backoff for steps that fail transiently: a file caught mid-write, a port
 * still in TIME_WAIT. The delay doubles after each attempt, capped at one second.
 *
 * @param attempts how many attempts in all, at least 1
 * @param initialBackoff the first delay
 */
public record Retry(int attempts, Duration initialBackoff) {

	private static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** A step that may throw. */
	@FunctionalInterface
	public interface Step<T> {

		T run() throws Exception;

	}

	/**
	 * Runs a step, retrying the failures the predicate calls transient.
	 * @return the step's result
	 * @throws Exception the last failure, or the first one that is not transient
	 */
	public <T> T run(Step<T> step, Predicate<Exception> isTransient) throws Exception {
		long delay = this.initialBackoff.toNanos();
		for (int attempt = 1;; attempt++) {
			try {
				return step.run();
			}
			catch (Exception ex) {
				if (attempt >= this.attempts || !isTransient.test(ex)) {
					throw ex;
				}
				LockSupport.parkNanos(delay);
				if (Thread.currentThread().isInterrupted()) {
					throw ex;
				}
				delay = Math.min(delay * 2, MAX_DELAY_NANOS);
			}
		}
	}

}
