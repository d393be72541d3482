package dev.supervisor.impl.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency edges of the accepted services, by name, both ways. An edge may point at a name that is
 * not registered (yet): that service simply waits. Owned by the control thread. Every walk uses an
 * explicit work list, never recursion, so a 10,000-deep chain needs no deep stack.
 */
final class DependencyGraph {
  /** Only names with dependencies: most services have none, and an entry for each would cost a map node. */
  private final Map<String, List<String>> dependenciesByName = new HashMap<>();
  private final Map<String, Set<String>> dependentsByName = new HashMap<>();

  void link(String name, List<String> dependencies) {
    if (dependencies.isEmpty()) {
      return;
    }
    dependenciesByName.put(name, List.copyOf(dependencies));
    for (String dependency : dependencies) {
      dependentsByName.computeIfAbsent(dependency, d -> new HashSet<>()).add(name);
    }
  }

  void unlink(String name) {
    List<String> dependencies = dependenciesByName.remove(name);
    if (dependencies == null) {
      return;
    }
    for (String dependency : dependencies) {
      Set<String> dependents = dependentsByName.get(dependency);
      if (dependents != null) {
        dependents.remove(name);
        if (dependents.isEmpty()) {
          dependentsByName.remove(dependency);
        }
      }
    }
  }

  /** @return the linked services that declare {@code name} as a dependency (live view; do not modify) */
  Set<String> dependentsOf(String name) {
    return dependentsByName.getOrDefault(name, Set.of());
  }

  /**
   * Whether adding {@code name} with these dependencies closes a cycle. Two searches run in lockstep: one
   * down the dependencies (does one lead back to {@code name}?), one up the dependents of {@code name}
   * (does it reach one of its new dependencies?). Either search running dry proves there is no cycle,
   * so the cost is twice the smaller side: adding a long chain in either order stays linear overall.
   *
   * @return the cycle as a path that starts and ends with {@code name}, or null if there is none
   */
  List<String> findCycle(String name, List<String> dependencies) {
    if (dependencies.isEmpty()) {
      return null;
    }
    Set<String> targets = new HashSet<>(dependencies);
    Map<String, String> down = new HashMap<>();
    Map<String, String> up = new HashMap<>();
    Deque<String> downWork = new ArrayDeque<>();
    Deque<String> upWork = new ArrayDeque<>();
    for (String dependency : dependencies) {
      if (down.putIfAbsent(dependency, name) == null) {
        downWork.push(dependency);
      }
    }
    up.put(name, name);
    upWork.push(name);
    while (!downWork.isEmpty() && !upWork.isEmpty()) {
      String current = downWork.pop();
      if (current.equals(name)) {
        return pathBack(name, name, down, true);
      }
      for (String next : dependenciesByName.getOrDefault(current, List.of())) {
        if (down.putIfAbsent(next, current) == null) {
          downWork.push(next);
        }
      }
      String upper = upWork.pop();
      for (String dependent : dependentsOf(upper)) {
        if (up.putIfAbsent(dependent, upper) == null) {
          if (targets.contains(dependent)) {
            return pathBack(name, dependent, up, false);
          }
          upWork.push(dependent);
        }
      }
    }
    return null;
  }

  /** Rebuilds the cycle {@code name -> ... -> name} from one search's trail. */
  private static List<String> pathBack(String name, String found, Map<String, String> trail, boolean downward) {
    List<String> path = new ArrayList<>();
    if (downward) {
      // trail: node -> the node that depends on it; walk back from name to name.
      path.add(name);
      for (String step = trail.get(name); !step.equals(name); step = trail.get(step)) {
        path.add(step);
      }
      path.add(name);
      Collections.reverse(path);
    } else {
      // trail: dependent -> the node it depends on; 'found' is a new dependency of name that depends on name.
      path.add(name);
      for (String step = found; !step.equals(name); step = trail.get(step)) {
        path.add(step);
      }
      path.add(name);
    }
    return path;
  }

}
