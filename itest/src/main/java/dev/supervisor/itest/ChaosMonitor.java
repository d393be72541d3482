package dev.supervisor.itest;

import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.itest.chaos.ChaosProbe;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The chaos test's recording {@link SupervisorListener}: checks the status stream of the chaos services as
 * it arrives and records every broken invariant in {@link ChaosProbe#violation}.
 *
 * <p><b>Why cross-service order can be trusted.</b> The engine makes every transition on its one control
 * thread; {@code Supervision.setState} queues each update in transition order, and after the message is
 * handled {@code ListenerDispatcher.publish} appends it to every listener's own FIFO queue, drained by at
 * most one thread at a time. So one listener sees the updates of all services in the engine's order, and
 * "the latest state of each name" kept here is the engine's state at the moment of the update being checked.
 *
 * <p><b>The invariants</b>, stated as the engine guarantees them (see {@code ChaosTest} for the reasoning):
 * <ul>
 *   <li>SEQUENCE: per registration (service id), sequence numbers are 1, 2, 3, ... without a gap, each
 *       update's old state is the previous update's new state, and nothing arrives after its removal.
 *   <li>ENTER_RUNNING: no service enters RUNNING while one of its dependencies is not RUNNING (missing
 *       counts as not RUNNING).
 *   <li>DEPENDENTS_FIRST: after a dependency leaves RUNNING (crash, stop, removal, any way), every dependent
 *       that was STARTING or RUNNING at that moment leaves STARTING/RUNNING before the dependency enters
 *       RUNNING again. (A crashed dependency's dependents are still RUNNING for a moment, until they are
 *       stopped: that is allowed; the dependency coming back before they went is not.)
 *   <li>STOP_ORDER: when a service enters STOPPING (a stop was requested and begins), none of its dependents
 *       is STARTING, RUNNING or STOPPING.
 *   <li>REJECTED: no chaos registration is ever rejected (a re-registration racing its own removal would be).
 * </ul>
 *
 * <p>Threads: the supervisor calls it on one dispatcher thread at a time; the test reads it at the end.
 */
final class ChaosMonitor implements SupervisorListener {

  private static final int RECENT = 4000;

  private final ChaosPlan plan;
  private final Map<String, State> latest = new HashMap<>();
  private final Map<String, Long> currentId = new HashMap<>();
  private final Map<Long, Long> lastSequence = new HashMap<>();
  private final Map<Long, State> lastState = new HashMap<>();
  private final Set<Long> removed = new HashSet<>();
  /** dependency -> the dependents (and their state then) that must leave RUNNING before it is RUNNING again */
  private final Map<String, Map<String, State>> owed = new HashMap<>();
  private final ArrayDeque<String> recent = new ArrayDeque<>();
  private final Map<State, Long> entered = new EnumMap<>(State.class);
  private final Map<String, String> excerpts = new LinkedHashMap<>();
  private long updates;
  private long removals;
  private long otherUpdates;

  ChaosMonitor(ChaosPlan plan) {
    this.plan = plan;
  }

  @Override
  public synchronized void statusChanged(StatusUpdate update) {
    String name = update.serviceName();
    if (!plan.byName.containsKey(name)) {
      if (name.startsWith("rejected#") && name.contains(ChaosPlan.PREFIX)) {
        violation("REJECTED", name, "a chaos registration was rejected: " + name + " "
            + update.failure().map(Object::toString).orElse(""));
      }
      otherUpdates++;
      return;
    }
    updates++;
    State next = update.newState();
    entered.merge(next, 1L, Long::sum);
    remember(update.serviceId() + " " + name + " #" + update.sequence() + " "
        + update.oldState().map(State::name).orElse("-") + " -> " + next
        + update.failure().map(f -> " (" + f.kind() + ")").orElse(""));

    checkSequence(update, name);
    currentId.put(name, update.serviceId());
    State before = latest.put(name, next);

    if (next == State.RUNNING) {
      for (String dependency : plan.dependenciesOf(name)) {
        State state = latest.get(dependency);
        if (state != State.RUNNING) {
          violation("ENTER_RUNNING", name, "'" + name + "' entered RUNNING (update #" + update.sequence()
              + ") while its dependency '" + dependency + "' was " + (state == null ? "not registered" : state));
        }
      }
      Map<String, State> stillUp = owed.remove(name);
      if (stillUp != null && !stillUp.isEmpty()) {
        Map<String, State> now = new TreeMap<>();
        stillUp.keySet().forEach(d -> now.put(d, latest.get(d)));
        violation("DEPENDENTS_FIRST", name, stillUp.keySet(), "'" + name + "' entered RUNNING again (update #" + update.sequence()
            + ") before its dependents left STARTING/RUNNING after it had left RUNNING: " + now);
      }
    }
    if (before == State.RUNNING && next != State.RUNNING) {
      leftRunning(name);
    }
    if (next != State.RUNNING && next != State.STARTING) {
      isDown(name);
    }
    if (next == State.STOPPING) {
      for (String dependent : plan.dependentsOf(name)) {
        State state = latest.get(dependent);
        if (state != null && state.isLive()) {
          violation("STOP_ORDER", name, "'" + name + "' entered STOPPING (update #" + update.sequence()
              + ") while its dependent '" + dependent + "' was " + state);
        }
      }
    }
  }

  private void checkSequence(StatusUpdate update, String name) {
    long id = update.serviceId();
    if (removed.contains(id)) {
      violation("SEQUENCE", name, "'" + name + "' (id " + id + "): update #" + update.sequence()
          + " after its removal");
    }
    Long previous = lastSequence.get(id);
    long expected = previous == null ? 1 : previous + 1;
    if (update.sequence() != expected) {
      violation("SEQUENCE", name, "'" + name + "' (id " + id + "): update #" + update.sequence() + " where #"
          + expected + " was due (lost or out of order)");
    }
    State old = update.oldState().orElse(null);
    if (!Objects.equals(old, lastState.get(id))) {
      violation("SEQUENCE", name, "'" + name + "' (id " + id + "): update #" + update.sequence() + " says "
          + old + " -> " + update.newState() + " but the previous update left it " + lastState.get(id));
    }
    if (previous == null) {
      Long other = currentId.get(name);
      if (other != null && !removed.contains(other)) {
        violation("SEQUENCE", name, "'" + name + "': registration " + id + " began while registration " + other
            + " of the same name was not removed");
      }
    }
    lastSequence.put(id, update.sequence());
    lastState.put(id, update.newState());
  }

  /** The dependents that are up now owe the dependency their leaving before it may be RUNNING again. */
  private void leftRunning(String dependency) {
    for (String dependent : plan.dependentsOf(dependency)) {
      State state = latest.get(dependent);
      if (state == State.RUNNING || state == State.STARTING) {
        owed.computeIfAbsent(dependency, k -> new HashMap<>()).put(dependent, state);
      }
    }
  }

  /** {@code name} is neither STARTING nor RUNNING (or gone): it owes its dependencies nothing any more. */
  private void isDown(String name) {
    for (String dependency : plan.dependenciesOf(name)) {
      Map<String, State> up = owed.get(dependency);
      if (up != null) {
        up.remove(name);
      }
    }
  }

  @Override
  public synchronized void serviceRemoved(long serviceId, String serviceName) {
    if (!plan.byName.containsKey(serviceName)) {
      return;
    }
    removals++;
    remember(serviceId + " " + serviceName + " removed");
    if (!removed.add(serviceId)) {
      violation("SEQUENCE", serviceName, "'" + serviceName + "' (id " + serviceId + ") removed twice");
    }
    if (Objects.equals(currentId.get(serviceName), serviceId)) {
      State before = latest.remove(serviceName);
      if (before == State.RUNNING) {
        leftRunning(serviceName);
      }
      isDown(serviceName);
    }
  }

  private void remember(String line) {
    if (recent.size() == RECENT) {
      recent.removeFirst();
    }
    recent.addLast(line);
  }

  private void violation(String invariant, String name, String message) {
    violation(invariant, name, Set.of(), message);
  }

  /** Records it; the first of each invariant keeps the recent updates of the services involved. */
  private void violation(String invariant, String name, Set<String> alsoAround, String message) {
    ChaosProbe.violation(invariant, message);
    if (!excerpts.containsKey(invariant)) {
      Set<String> involved = new HashSet<>();
      involved.add(name);
      involved.addAll(plan.dependenciesOf(name));
      involved.addAll(plan.dependentsOf(name));
      for (String other : alsoAround) {
        involved.addAll(plan.dependentsOf(other));
      }
      excerpts.put(invariant, message + "\n    the last updates of '" + name + "', its dependencies and dependents"
          + (alsoAround.isEmpty() ? "" : " and theirs of " + alsoAround) + ":\n" + excerpt(involved));
    }
  }

  /** The recent updates of these services, oldest first (at most 80). */
  private String excerpt(Set<String> involved) {
    List<String> lines = new ArrayList<>();
    for (String line : recent) {
      String[] parts = line.split(" ", 3);
      if (parts.length > 1 && involved.contains(parts[1])) {
        lines.add(line);
      }
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - 80), lines.size());
    return "      " + String.join("\n      ", last);
  }

  synchronized long updates() {
    return updates;
  }

  synchronized String summary() {
    return updates + " status updates of chaos services (" + otherUpdates + " of others), " + removals
        + " removals; entered: " + entered;
  }

  synchronized Map<String, String> excerpts() {
    return new LinkedHashMap<>(excerpts);
  }

  synchronized long entered(State state) {
    return entered.getOrDefault(state, 0L);
  }
}
