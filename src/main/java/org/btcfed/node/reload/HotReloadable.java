package org.btcfed.node.reload;

import java.util.List;
import java.util.Set;

import org.btcfed.node.config.ConfigError;
import org.btcfed.node.config.ConfigRules;
import org.btcfed.node.config.ConfigSnapshot;

/**
 * A part of the node that can take a new configuration while it runs. Implementations are
 * Spring beans; the reload engine finds them, orders them by {@code @DependsOn} and
 * {@link #dependsOn()}, and calls them only when a reload changes a key they own.
 * <p>
 * Contract:
 * <ul>
 * <li>{@link #validate} inspects a staged snapshot and changes nothing.</li>
 * <li>{@link #apply} moves the component from {@code update.previous()} to
 * {@code update.target()}. It may fail part-way; {@link #rollback} is then called for it as for
 * every component applied before it, and must restore {@code update.previous()} from whatever
 * state the failed apply left. Both should be idempotent.</li>
 * <li>The coordinator calls apply and rollback from one reload at a time, never concurrently
 * for the same component, on a worker thread, holding the component's {@link #isolate()
 * isolation}. Components with no dependency path between them may be called in parallel.</li>
 * <li>Exceptions carry messages safe to show an operator: no secret values.</li>
 * </ul>
 */
public interface HotReloadable extends ConfigRules {

	/**
	 * @return the component's name in reports, logs and metrics, e.g. {@code logging}
	 */
	@Override
	String name();

	/**
	 * The keys this component owns, as prefixes: {@code logging} owns {@code logging.level} and
	 * {@code network.addresses} owns {@code network.addresses[0]}.
	 * @return the owned key prefixes
	 */
	Set<String> ownedKeys();

	/**
	 * What a change to an owned key costs.
	 * @param key a changed key this component owns
	 * @return its strategy; {@link ReloadStrategy#IN_PLACE} unless overridden
	 */
	default ReloadStrategy strategy(String key) {
		return ReloadStrategy.IN_PLACE;
	}

	/**
	 * Components that must be updated before this one, by {@linkplain #name() name}, in
	 * addition to those named by {@code @DependsOn} on the bean.
	 * @return component names
	 */
	default Set<String> dependsOn() {
		return Set.of();
	}

	/**
	 * Checks the staged snapshot for this component's part (and anything it needs from others).
	 * Called by the {@link ConfigRules validation pipeline} on every reload and dry run, for every
	 * component; must change nothing.
	 * @param staged the staged snapshot
	 * @return the problems found, empty when it can be applied
	 */
	@Override
	default List<ConfigError> validate(ConfigSnapshot staged) {
		return List.of();
	}

	/**
	 * A key this component owns with the {@link ReloadStrategy#NOT_RELOADABLE} strategy.
	 * @param key a changed key
	 * @return whether a change of it needs a restart of the node
	 */
	@Override
	default boolean fixedWhileRunning(String key) {
		return owns(key) && strategy(key) == ReloadStrategy.NOT_RELOADABLE;
	}

	/**
	 * Applies a change.
	 * @param update what to move from and to
	 * @throws Exception when it cannot; throw {@link TransientReloadException} for a failure
	 * worth retrying (e.g. a port still in TIME_WAIT)
	 */
	void apply(ComponentUpdate update) throws Exception;

	/**
	 * Restores {@code update.previous()} after this component's {@link #apply} succeeded or
	 * failed part-way, because this or another component failed.
	 * @param update the update to undo
	 * @throws Exception when the component cannot be restored
	 */
	default void rollback(ComponentUpdate update) throws Exception {
		apply(update.reversed());
	}

	/**
	 * Emergency fallback after a failed rollback: run from the last-known-good configuration.
	 * @param update the update whose rollback failed
	 * @param lastKnownGood the configuration the node committed last (the one the reload
	 * started from), which every component ran
	 * @throws Exception when even that fails; the component is then {@linkplain #stop() stopped}
	 */
	default void restore(ComponentUpdate update, ConfigSnapshot lastKnownGood) throws Exception {
		apply(new ComponentUpdate(update.target(), lastKnownGood, update.changes()));
	}

	/**
	 * Last resort when a component can neither roll back nor restore: stop doing harm.
	 */
	default void stop() {
	}

	/**
	 * Isolates the component while it changes: e.g. pauses reads so that input waits in buffers.
	 * Closing the returned handle resumes it.
	 * @return the isolation handle
	 */
	default Isolation isolate() {
		return Isolation.NONE;
	}

	/**
	 * Whether this component owns a key.
	 * @param key a key path
	 * @return true when one of {@link #ownedKeys()} covers it
	 */
	default boolean owns(String key) {
		return ownedKeys().stream().anyMatch(prefix -> covers(prefix, key));
	}

	/**
	 * Whether a key prefix covers a key: itself, a child ({@code .}) or an element ({@code [}).
	 * @param prefix the prefix
	 * @param key the key
	 * @return true when covered
	 */
	static boolean covers(String prefix, String key) {
		return key.equals(prefix) || (key.startsWith(prefix)
				&& (key.charAt(prefix.length()) == '.' || key.charAt(prefix.length()) == '['));
	}

	/** A component's isolation while it changes; closing it resumes the component. */
	@FunctionalInterface
	interface Isolation extends AutoCloseable {

		/** No isolation needed. */
		Isolation NONE = () -> {
		};

		@Override
		void close();

	}

}
