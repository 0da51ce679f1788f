package org.btcfed.node.reload.engine;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The threads component calls run on, so that a call that hangs can be timed out without
 * stopping the engine, and the one way the engine waits for such a call.
 */
final class Workers implements AutoCloseable {

	private final ExecutorService pool = Executors.newCachedThreadPool(daemonThreads("hotreload-worker-"));

	/**
	 * Starts a call on a worker.
	 * @param call the call
	 * @return its future, for {@link #await}
	 */
	<T> Future<T> start(Callable<T> call) {
		return this.pool.submit(call);
	}

	/**
	 * Runs a call on a worker and waits for it.
	 * @param call the call
	 * @param timeout how long it may take
	 * @param timeoutMessage what the {@link TimeoutException} says when it takes longer
	 * @return its result
	 * @throws Exception what the call threw, a {@link TimeoutException}, or an
	 * {@link InterruptedException}
	 */
	<T> T call(Callable<T> call, Duration timeout, String timeoutMessage) throws Exception {
		return await(start(call), System.nanoTime() + timeout.toNanos(), timeoutMessage);
	}

	/**
	 * Waits for a started call until a deadline, and cancels (interrupts) it when it is late.
	 * @param future the call
	 * @param deadline {@link System#nanoTime()} by which it must have ended
	 * @param timeoutMessage what the {@link TimeoutException} says when it is late
	 * @return its result
	 * @throws Exception what the call threw, a {@link TimeoutException}, or an
	 * {@link InterruptedException} (the thread's interrupt status is kept)
	 */
	static <T> T await(Future<T> future, long deadline, String timeoutMessage) throws Exception {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		catch (TimeoutException ex) {
			future.cancel(true);
			throw new TimeoutException(timeoutMessage);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ex;
		}
	}

	/**
	 * @param prefix the threads' name prefix
	 * @return a factory of daemon threads: the engine never keeps the JVM alive
	 */
	static CustomizableThreadFactory daemonThreads(String prefix) {
		CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
		factory.setDaemon(true);
		return factory;
	}

	@Override
	public void close() {
		this.pool.shutdownNow();
	}

}
