package org.btcfed.node.reload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.btcfed.node.config.ConfigError;
import org.btcfed.node.config.ConfigSnapshot;

/**
 * A test double for fault injection: a reloadable component whose state is the value of the keys
 * it owns, and which can be told to fail, block or misbehave on demand, which a real component
 * cannot be made to do. It records every call so that tests can check order and restoration.
 */
class TestComponent implements HotReloadable {

	final String name;

	private final Set<String> keys;

	private final Set<String> dependsOn;

	/** The component's live state: the value of its first owned key it runs with. */
	volatile String value;

	final List<String> calls = Collections.synchronizedList(new ArrayList<>());

	volatile boolean failApply;

	volatile boolean failRollback;

	volatile boolean failRestore;

	final AtomicInteger transientFailures = new AtomicInteger();

	volatile CountDownLatch blockApply;

	volatile CountDownLatch applyStarted = new CountDownLatch(1);

	volatile ReloadStrategy strategy = ReloadStrategy.IN_PLACE;

	volatile Function<ConfigSnapshot, List<ConfigError>> validator = s -> List.of();

	volatile boolean stopped;

	/** Makes a blocked apply ignore interrupts, as code stuck in I/O would. */
	volatile boolean uninterruptible;

	volatile long applyEndedAt;

	volatile long rollbackStartedAt;

	TestComponent(String name, String key, String... dependsOn) {
		this.name = name;
		this.keys = Set.of(key);
		this.dependsOn = Set.of(dependsOn);
	}

	void startWith(ConfigSnapshot snapshot) {
		this.value = valueIn(snapshot);
	}

	String valueIn(ConfigSnapshot snapshot) {
		return snapshot.properties().get(this.keys.iterator().next());
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Set<String> ownedKeys() {
		return this.keys;
	}

	@Override
	public Set<String> dependsOn() {
		return this.dependsOn;
	}

	@Override
	public ReloadStrategy strategy(String key) {
		return this.strategy;
	}

	@Override
	public List<ConfigError> validate(ConfigSnapshot staged) {
		return this.validator.apply(staged);
	}

	@Override
	public void apply(ComponentUpdate update) throws Exception {
		this.calls.add("apply");
		this.applyStarted.countDown();
		CountDownLatch block = this.blockApply;
		try {
			if (block != null && !(this.uninterruptible ? awaitIgnoringInterrupts(block) : block.await(30, TimeUnit.SECONDS))) {
				throw new IllegalStateException("test latch never released");
			}
		}
		finally {
			this.applyEndedAt = System.nanoTime();
		}
		if (this.transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
			throw new TransientReloadException("port busy (injected)", null);
		}
		// A failing apply changes its state part-way first, so rollback has something to undo.
		this.value = valueIn(update.target());
		if (this.failApply) {
			throw new IllegalStateException("injected apply failure in " + this.name);
		}
	}

	private static boolean awaitIgnoringInterrupts(CountDownLatch latch) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return latch.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void rollback(ComponentUpdate update) throws Exception {
		this.rollbackStartedAt = System.nanoTime();
		this.calls.add("rollback");
		if (this.failRollback) {
			throw new IllegalStateException("injected rollback failure in " + this.name);
		}
		this.value = valueIn(update.previous());
	}

	@Override
	public void restore(ComponentUpdate update, ConfigSnapshot lastKnownGood) {
		this.calls.add("restore");
		if (this.failRestore) {
			throw new IllegalStateException("injected restore failure in " + this.name);
		}
		this.value = valueIn(lastKnownGood);
	}

	@Override
	public void stop() {
		this.calls.add("stop");
		this.stopped = true;
	}

}
