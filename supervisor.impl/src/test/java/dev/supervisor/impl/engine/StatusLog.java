package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.api.Termination;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a listener was told, in order, for a stepped test ({@link Stepper} delivers on the stepping
 * thread, so nothing here waits): the status updates, the removals (each with how many updates came before
 * it) and the termination.
 */
final class StatusLog implements SupervisorListener {
  private final List<StatusUpdate> updates = new ArrayList<>();
  private final List<String> removals = new ArrayList<>();
  private final List<Termination> terminations = new ArrayList<>();

  @Override public void statusChanged(StatusUpdate update) { updates.add(update); }

  @Override public void serviceRemoved(long serviceId, String serviceName) {
    removals.add(serviceName + "@" + updates.size());
  }

  @Override public void supervisorTerminated(Termination termination) { terminations.add(termination); }

  List<StatusUpdate> all() {
    return List.copyOf(updates);
  }

  /** @return a mark for {@link #transitionsSince}: how many updates there are now */
  int mark() {
    return updates.size();
  }

  /** @return "name:STATE" for every update, in order */
  List<String> transitions() {
    return transitionsSince(0);
  }

  List<String> transitionsSince(int mark) {
    return updates.subList(mark, updates.size()).stream().map(u -> u.serviceName() + ":" + u.newState()).toList();
  }

  /** @return the states one service went through, in order (every registration of the name) */
  List<State> states(String name) {
    return updates.stream().filter(u -> u.serviceName().equals(name)).map(StatusUpdate::newState).toList();
  }

  /** @return how often {@code name} entered {@code state} */
  long count(String name, State state) {
    return updates.stream().filter(u -> u.serviceName().equals(name) && u.newState() == state).count();
  }

  /** @return the latest update of {@code name} entering {@code state}; fails the test if there is none */
  StatusUpdate last(String name, State state) {
    for (int i = updates.size() - 1; i >= 0; i--) {
      StatusUpdate update = updates.get(i);
      if (update.serviceName().equals(name) && update.newState() == state) {
        return update;
      }
    }
    return fail("'" + name + "' never entered " + state + "; updates: " + transitions());
  }

  /** @return the index of the first "name:STATE" in {@link #transitions()}; fails the test if there is none */
  int indexOf(String name, State state) {
    int index = transitions().indexOf(name + ":" + state);
    if (index < 0) {
      fail("'" + name + "' never entered " + state + "; updates: " + transitions());
    }
    return index;
  }

  /** @return how many updates had been delivered when the removal of {@code name} was; fails if it was not */
  int removalOf(String name) {
    for (String removal : removals) {
      if (removal.startsWith(name + "@")) {
        return Integer.parseInt(removal.substring(name.length() + 1));
      }
    }
    return fail("no removal of '" + name + "'; removals: " + removals);
  }

  List<Termination> terminations() {
    return List.copyOf(terminations);
  }
}
