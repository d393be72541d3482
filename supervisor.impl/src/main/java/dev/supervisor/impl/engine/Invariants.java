package dev.supervisor.impl.engine;

import dev.supervisor.api.State;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold between two messages, whatever happened: the facts a transition must never leave half done.
 * Checked by the tests after every message they step ({@code Stepper}); a pure query, never on the engine's
 * own path. What the phase type makes impossible to write (a run outside a live phase, a timer that belongs
 * to no phase) is not checked here.
 */
final class Invariants {
  private Invariants() {}

  /** @return each invariant that does not hold, naming the service; empty when all hold */
  static List<String> violations(ServiceTable table, Publisher publisher) {
    List<String> broken = new ArrayList<>();
    for (ServiceEntry entry : table.all()) {
      String name = "'" + entry.name + "' " + entry.phase;
      checkPhase(entry, name, broken);
      checkDependencies(entry, table, name, broken);
      Snapshot shown = publisher.published(entry.name);
      if (shown == null || shown.state() != entry.state() || shown.id() != entry.id) {
        broken.add(name + ": published as " + (shown == null ? "nothing" : shown.state() + " #" + shown.id()));
      } else if (!shown.dependents().equals(table.dependentNames(entry))
          || !shown.missingDependencies().equals(table.missingDependencies(entry))) {
        broken.add(name + ": published with stale neighbours: dependents " + shown.dependents() + ", missing "
            + shown.missingDependencies());
      }
    }
    for (String shown : publisher.publishedNames()) {
      if (!table.contains(shown)) {
        broken.add("'" + shown + "' is published but not registered");
      }
    }
    return broken;
  }

  private static void checkPhase(ServiceEntry entry, String name, List<String> broken) {
    Phase phase = entry.phase;
    if (phase instanceof Phase.Returned || phase == Phase.BackingOff.NOW) {
      broken.add(name + ": a phase that only exists while a message is handled");
    }
    if ((phase instanceof Phase.Live) != phase.state().isLive()) {
      broken.add(name + ": a run exists exactly while the state shown is STARTING, RUNNING or STOPPING");
    }
    if (phase instanceof Phase.BackingOff backoff && backoff.timer() == null) {
      broken.add(name + ": BACKOFF without a timer");
    }
    if (phase instanceof Phase.Stopping stopping && !stopping.run().stopRequested()) {
      broken.add(name + ": STOPPING without a stop request to its run");
    }
    if (phase instanceof Phase.Live live && live.run().entry() != entry) {
      broken.add(name + ": the run of another registration");
    }
    if (entry.rejected && phase != Phase.FAILED) {
      broken.add(name + ": a rejected registration that is not FAILED");
    }
  }

  /** No dependent live while its dependency is stopped or stopping: a RUNNING one needs its dependencies so. */
  private static void checkDependencies(ServiceEntry entry, ServiceTable table, String name, List<String> broken) {
    if (!entry.runningForGood()) {
      return;
    }
    for (String dependency : entry.spec.allDependencies()) {
      ServiceEntry other = table.byName(dependency);
      if (other == null || !other.runningForGood()) {
        broken.add(name + ": RUNNING while its dependency '" + dependency + "' is "
            + (other == null ? "missing" : String.valueOf(other.phase)));
      }
    }
  }
}
