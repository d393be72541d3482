package dev.supervisor.impl.engine;

import dev.supervisor.api.State;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold between two messages, whatever happened: the facts a transition must never leave half done.
 * Checked by the tests after every message they step ({@code Stepper}); a pure query, never on the engine's
 * own path.
 */
final class Invariants {
  private Invariants() {}

  /** @return each invariant that does not hold, naming the service; empty when all hold */
  static List<String> violations(ServiceTable table, Publisher publisher) {
    List<String> broken = new ArrayList<>();
    for (ServiceEntry entry : table.all()) {
      String name = "'" + entry.name + "' " + entry.state;
      boolean live = entry.state == State.STARTING || entry.state == State.RUNNING || entry.state == State.STOPPING;
      if (live != (entry.run != null)) {
        broken.add(name + ": a run exists exactly while STARTING, RUNNING or STOPPING (run " + entry.run + ")");
      }
      if (entry.state == State.STOPPING && (entry.run == null || !entry.run.stopRequested())) {
        broken.add(name + ": STOPPING without a stop request to its run");
      }
      if (entry.timer != null && entry.state != State.BACKOFF && entry.state != State.STARTING
          && entry.state != State.STOPPING) {
        broken.add(name + ": a timer outside BACKOFF, STARTING and STOPPING");
      }
      if (entry.state == State.BACKOFF && !entry.wanted) {
        broken.add(name + ": BACKOFF but not wanted");
      }
      if (entry.state == State.RUNNING && entry.afterStop == null) {
        for (String dependency : entry.spec.allDependencies()) {
          ServiceEntry other = table.byName(dependency);
          if (other == null || other.state != State.RUNNING || other.afterStop != null) {
            broken.add(name + ": RUNNING while its dependency '" + dependency + "' is "
                + (other == null ? "missing" : other.state + (other.afterStop == null ? "" : " (stopping)")));
          }
        }
      }
      Snapshot shown = publisher.published(entry.name);
      if (shown == null || shown.state() != entry.state || shown.id() != entry.id) {
        broken.add(name + ": published as " + (shown == null ? "nothing" : shown.state() + " #" + shown.id()));
      }
    }
    for (String shown : publisher.publishedNames()) {
      if (!table.contains(shown)) {
        broken.add("'" + shown + "' is published but not registered");
      }
    }
    return broken;
  }
}
