package dev.supervisor.impl.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registered services: by name and by registration id, the dependency graph between them, and the
 * abandoned runs of services removed meanwhile. It answers queries (who depends on this one, which of its
 * dependencies are missing) and is changed only by the control thread; it decides nothing.
 *
 * <p>The graph links names, registered or not: a dependency that is not registered yet is simply missing.
 * Queries that return entries return registered ones only, and a shared empty list when there are none, so
 * the common case (no dependents) allocates nothing on the restart path.
 */
final class ServiceTable {
  private final Map<String, ServiceEntry> byName = new HashMap<>();
  private final Map<Long, ServiceEntry> byId = new HashMap<>();
  private final DependencyGraph graph = new DependencyGraph();
  /**
   * Abandoned runs of services that were removed meanwhile, by name: a new registration of that name waits
   * until the old run returns, so two runs of one name never overlap, even across re-registration.
   */
  private final Map<String, Run> abandonedByName = new HashMap<>();

  /** @return the registered service of that name, or null */
  ServiceEntry byName(String name) {
    return byName.get(name);
  }

  /** @return the registration with that id, or null */
  ServiceEntry byId(long id) {
    return byId.get(id);
  }

  boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** @return whether {@code entry} is still the registration of its name (not removed, not replaced) */
  boolean isCurrent(ServiceEntry entry) {
    return byName.get(entry.name) == entry;
  }

  /** @return the registered names (live view) */
  Collection<String> names() {
    return byName.keySet();
  }

  int size() {
    return byName.size();
  }

  /** @return every registered service (live view: copy it before changing the table while iterating) */
  Collection<ServiceEntry> all() {
    return byName.values();
  }

  /** @return a copy of every registered service, to act on while the table may change */
  List<ServiceEntry> copyOfAll() {
    return new ArrayList<>(byName.values());
  }

  /** @return the cycle adding these edges would close, from {@code name} back to it, or null if none */
  List<String> findCycle(String name, List<String> dependencies) {
    return graph.findCycle(name, dependencies);
  }

  /** Registers {@code entry}; an accepted one is linked to its dependencies, a rejected one stands alone. */
  void add(ServiceEntry entry) {
    byName.put(entry.name, entry);
    byId.put(entry.id, entry);
    if (!entry.rejected) {
      graph.link(entry.name, entry.spec.allDependencies());
    }
  }

  /** Forgets {@code entry}; an abandoned run of it is kept by name until it returns. */
  void remove(ServiceEntry entry) {
    byName.remove(entry.name);
    byId.remove(entry.id);
    if (entry.abandoned != null) {
      abandonedByName.put(entry.name, entry.abandoned);
    }
    if (!entry.rejected) {
      graph.unlink(entry.name);
    }
  }

  /** Links {@code entry} to new dependencies (its spec has changed). */
  void relink(ServiceEntry entry, List<String> dependencies) {
    graph.unlink(entry.name);
    graph.link(entry.name, dependencies);
  }

  /** @return whether a removed registration of this name has a run that has not returned yet */
  boolean hasAbandonedRun(String name) {
    return abandonedByName.containsKey(name);
  }

  /** The abandoned run of a removed registration has returned. */
  void abandonedRunReturned(String name, Run run) {
    abandonedByName.remove(name, run);
  }

  /** @return whether anything (registered or not yet) depends on it */
  boolean hasDependents(ServiceEntry entry) {
    return !graph.dependentsOf(entry.name).isEmpty();
  }

  /** @return the registered services that depend on {@code entry}, in no order */
  List<ServiceEntry> dependentsOf(ServiceEntry entry) {
    Set<String> names = graph.dependentsOf(entry.name);
    if (names.isEmpty()) {
      return List.of();
    }
    List<ServiceEntry> dependents = new ArrayList<>(names.size());
    for (String name : names) {
      ServiceEntry dependent = byName.get(name);
      if (dependent != null) {
        dependents.add(dependent);
      }
    }
    return dependents;
  }

  /** @return the registered services {@code entry} depends on, in the order of its spec */
  List<ServiceEntry> dependenciesOf(ServiceEntry entry) {
    List<String> names = entry.spec.allDependencies();
    if (names.isEmpty()) {
      return List.of();
    }
    List<ServiceEntry> dependencies = new ArrayList<>(names.size());
    for (String name : names) {
      ServiceEntry dependency = byName.get(name);
      if (dependency != null) {
        dependencies.add(dependency);
      }
    }
    return dependencies;
  }

  /** @return the names of the registered services that depend on {@code entry}, sorted, for a snapshot */
  List<String> dependentNames(ServiceEntry entry) {
    Set<String> names = graph.dependentsOf(entry.name);
    if (names.isEmpty()) {
      return List.of();
    }
    List<String> dependents = new ArrayList<>();
    for (String name : names) {
      if (byName.containsKey(name)) {
        dependents.add(name);
      }
    }
    Collections.sort(dependents);
    return List.copyOf(dependents);
  }

  /** @return its dependencies that are not registered, or registered but rejected, in spec order */
  List<String> missingDependencies(ServiceEntry entry) {
    List<String> names = entry.spec.allDependencies();
    if (names.isEmpty()) {
      return List.of();
    }
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      ServiceEntry dependency = byName.get(name);
      if (dependency == null || dependency.rejected) {
        missing.add(name);
      }
    }
    return List.copyOf(missing);
  }

  /** @return whether every dependency of {@code entry} is registered and RUNNING with no stop planned */
  boolean dependenciesRunning(ServiceEntry entry) {
    List<String> names = entry.spec.allDependencies();
    for (int i = 0; i < names.size(); i++) { // by index: no iterator on the restart path
      ServiceEntry dependency = byName.get(names.get(i)); // a missing one is not RUNNING either
      if (dependency == null || !dependency.runningForGood()) {
        return false;
      }
    }
    return true;
  }

  /** @return whether a service that depends on {@code entry} has a run that may still be inside {@code run} */
  boolean hasLiveDependent(ServiceEntry entry) {
    List<ServiceEntry> dependents = dependentsOf(entry);
    for (int i = 0; i < dependents.size(); i++) { // by index: no iterator on the restart path
      if (dependents.get(i).hasLiveRun()) {
        return true;
      }
    }
    return false;
  }

  /**
   * @return every service that depends on {@code root}, directly or not, through services with a live run
   *     and no stop planned: what must stop before it. A dependent without a live run has no live dependents
   *     (they would need it RUNNING); one with a stop planned had its own dependents asked to stop then, and
   *     none can have started since. So the walk ends at both, and stopping everything is O(services + edges),
   *     not quadratic. Walked with a work list, never recursion.
   */
  List<ServiceEntry> liveDependentsToStop(ServiceEntry root) {
    if (!hasDependents(root)) {
      return List.of(); // the common case, and on the restart path: no walk, nothing allocated
    }
    List<ServiceEntry> found = new ArrayList<>();
    Set<ServiceEntry> seen = new HashSet<>();
    Deque<ServiceEntry> work = new ArrayDeque<>();
    work.push(root);
    while (!work.isEmpty()) {
      for (ServiceEntry dependent : dependentsOf(work.pop())) {
        if (dependent.hasLiveRun() && dependent.plannedStop() == null && seen.add(dependent)) {
          found.add(dependent);
          work.push(dependent);
        }
      }
    }
    return found;
  }
}
