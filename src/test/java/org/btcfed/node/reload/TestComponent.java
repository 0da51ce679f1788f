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
 * A test double for fault injection: a reloadable component that fails, blocks or misbehaves on
 * demand, failures a real component cannot be made to produce when a test needs them (a real
 * network failure, say, cannot be had on demand without racing the validation's port probe). Its
 * state is the value of the first key it owns; it records every call so that tests can check
 * order and restoration.
 * <p>
 * The one such component of the tests: the engine's over {@code ReloadFixture}, and as a bean
 * beside the real components in a whole node (a Spring context, a test federation), where
 * {@code @DependsOn} on the bean places it in the update order. Fields are public and volatile
 * so that a test flips them from its own thread while the engine runs the component.
 */
public class TestComponent implements HotReloadable {

	public final String name;

	private final Set<String> keys;

	private final Set<String> dependsOn;

	/** The component's live state: the value of its first owned key it runs with. */
	public volatile String value;

	public final List<String> calls = Collections.synchronizedList(new ArrayList<>());

	public volatile boolean failApply;

	/** What a failing apply says, before {@code " in <name>"}. */
	public volatile String applyFailure = "injected apply failure";

	/** Makes a failing apply throw an {@link Error} (as a missing class or a failed assertion would). */
	public volatile boolean failApplyWithError;

	public volatile boolean failRollback;

	public volatile boolean failRestore;

	public final AtomicInteger transientFailures = new AtomicInteger();

	public volatile CountDownLatch blockApply;

	public volatile CountDownLatch applyStarted = new CountDownLatch(1);

	public volatile ReloadStrategy strategy = ReloadStrategy.IN_PLACE;

	public volatile Function<ConfigSnapshot, List<ConfigError>> validator = s -> List.of();

	public volatile boolean stopped;

	/** Makes a blocked apply ignore interrupts, as code stuck in I/O would. */
	public volatile boolean uninterruptible;

	public volatile long applyEndedAt;

	public volatile long rollbackStartedAt;

	public TestComponent(String name, String key, String... dependsOn) {
		this.name = name;
		this.keys = Set.of(key);
		this.dependsOn = Set.of(dependsOn);
	}

	public void startWith(ConfigSnapshot snapshot) {
		this.value = valueIn(snapshot);
	}

	public String valueIn(ConfigSnapshot snapshot) {
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
		if (this.failApply && this.failApplyWithError) {
			throw new AssertionError(this.applyFailure + " in " + this.name);
		}
		if (this.failApply) {
			throw new IllegalStateException(this.applyFailure + " in " + this.name);
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
