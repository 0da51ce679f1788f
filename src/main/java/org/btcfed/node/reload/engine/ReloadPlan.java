package org.btcfed.node.reload.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.btcfed.node.reload.HotReloadable;

/**
 * The order in which components are updated: a topological sort of their dependencies, grouped
 * into levels. A component's level is one more than the highest level of what it depends on, so
 * the components of one level have no dependency path between them and may update in parallel.
 * Built once at start-up; a dependency cycle or an unknown dependency fails there, naming it.
 */
final class ReloadPlan {

	private final List<List<HotReloadable>> levels;

	private ReloadPlan(List<List<HotReloadable>> levels) {
		this.levels = levels;
	}

	/**
	 * Builds the plan.
	 * @param components the components
	 * @param extraDependencies further dependencies by component name (e.g. from
	 * {@code @DependsOn}), added to each component's {@link HotReloadable#dependsOn()}
	 * @return the plan
	 * @throws IllegalStateException naming a cycle, a duplicate name or an unknown dependency
	 */
	static ReloadPlan of(List<? extends HotReloadable> components, Map<String, Set<String>> extraDependencies) {
		Map<String, HotReloadable> byName = new TreeMap<>();
		for (HotReloadable component : components) {
			if (byName.put(component.name(), component) != null) {
				throw new IllegalStateException("Two reloadable components are named '" + component.name() + "'");
			}
		}
		Map<String, Set<String>> dependencies = new TreeMap<>();
		for (HotReloadable component : byName.values()) {
			Set<String> deps = new TreeSet<>(component.dependsOn());
			deps.addAll(extraDependencies.getOrDefault(component.name(), Set.of()));
			for (String dep : deps) {
				if (!byName.containsKey(dep)) {
					throw new IllegalStateException("Reloadable component '" + component.name()
							+ "' depends on '" + dep + "', which is not a reloadable component (known: "
							+ byName.keySet() + ")");
				}
			}
			dependencies.put(component.name(), deps);
		}
		return new ReloadPlan(levels(byName, dependencies));
	}

	private static List<List<HotReloadable>> levels(Map<String, HotReloadable> byName,
			Map<String, Set<String>> dependencies) {
		Map<String, Integer> level = new HashMap<>();
		for (String name : byName.keySet()) {
			levelOf(name, dependencies, level, new LinkedHashMap<>());
		}
		List<List<HotReloadable>> levels = new ArrayList<>();
		for (Map.Entry<String, HotReloadable> entry : byName.entrySet()) {
			int index = level.get(entry.getKey());
			while (levels.size() <= index) {
				levels.add(new ArrayList<>());
			}
			levels.get(index).add(entry.getValue());
		}
		return levels.stream().map(List::copyOf).toList();
	}

	/** Depth-first; {@code path} holds the components being visited, to name a cycle. */
	private static int levelOf(String name, Map<String, Set<String>> dependencies, Map<String, Integer> level,
			LinkedHashMap<String, Boolean> path) {
		Integer known = level.get(name);
		if (known != null) {
			return known;
		}
		if (path.containsKey(name)) {
			List<String> cycle = new ArrayList<>(path.keySet());
			cycle = new ArrayList<>(cycle.subList(cycle.indexOf(name), cycle.size()));
			cycle.add(name);
			throw new IllegalStateException(
					"Reloadable components form a dependency cycle: " + String.join(" -> ", cycle));
		}
		path.put(name, Boolean.TRUE);
		int result = 0;
		for (String dep : dependencies.get(name)) {
			result = Math.max(result, levelOf(dep, dependencies, level, path) + 1);
		}
		path.remove(name);
		level.put(name, result);
		return result;
	}

	/**
	 * @return every component, in update order
	 */
	List<HotReloadable> components() {
		return this.levels.stream().flatMap(List::stream).toList();
	}

	/**
	 * The levels restricted to some components, in update order, empty levels dropped.
	 * @param affected which components to keep
	 * @return the levels
	 */
	List<List<HotReloadable>> levels(Predicate<HotReloadable> affected) {
		List<List<HotReloadable>> result = new ArrayList<>();
		for (List<HotReloadable> level : this.levels) {
			List<HotReloadable> kept = level.stream().filter(affected).toList();
			if (!kept.isEmpty()) {
				result.add(kept);
			}
		}
		return result;
	}

	/**
	 * Names the components in update order, for logs.
	 * @return e.g. {@code [logging] -> [network, protocol]}
	 */
	@Override
	public String toString() {
		List<String> parts = new ArrayList<>();
		for (List<HotReloadable> level : this.levels) {
			parts.add(level.stream().map(HotReloadable::name).toList().toString());
		}
		return String.join(" -> ", parts);
	}

}
