package dev.supervisor.webconsole;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transitions the timeline draws, recorded from status updates by this bundle.
 *
 * <p>Why this bundle keeps something at all: the {@code Supervisor} API gives a snapshot of the present
 * (state, since when, last start, time to ready) but no history of transitions, and the timeline needs one
 * bar segment per state a service went through. An API addition that would make this class unneeded: a
 * bounded {@code ServiceInfo.recentTransitions()} kept by the engine. Until then the record is bounded
 * per service: the start-up (the transitions up to the first RUNNING, at most {@link #STARTUP_LIMIT}) and
 * the latest {@link #RECENT_LIMIT} transitions, with a count of what fell out between them; a service's
 * record goes when the service is removed. So memory is O(services), whatever the restart rate.
 *
 * <p>Services that existed before this bundle started have no recorded start-up: their record is
 * reconstructed from the snapshot (created, last start, time to ready, current state) and marked as such.
 *
 * <p>Threads: {@link #record} is called on the supervisor's dispatcher (one queue for this bundle's
 * listener), readers call {@link #copy} from servlet threads; every method is synchronized, and a reader
 * gets copies.
 */
final class TransitionLog {
  static final int STARTUP_LIMIT = 8;
  static final int RECENT_LIMIT = 24;

  /** One transition: from {@code time} on, the service was in {@code state}; a failure message if one caused it. */
  record Transition(Instant time, State state, String failure) {}

  /** What the timeline reads of one service. */
  record History(long id, String name, String group, boolean reconstructed, List<Transition> startup,
      long dropped, List<Transition> recent) {}

  private static final class Record {
    final long id;
    final String name;
    String group;
    final boolean reconstructed;
    final List<Transition> startup = new ArrayList<>(4);
    boolean startupDone;
    final ArrayDeque<Transition> recent = new ArrayDeque<>();
    long dropped;

    Record(long id, String name, String group, boolean reconstructed) {
      this.id = id;
      this.name = name;
      this.group = group;
      this.reconstructed = reconstructed;
    }

    void add(Transition t) {
      if (!startupDone) {
        startup.add(t);
        startupDone = t.state() == State.RUNNING || startup.size() >= STARTUP_LIMIT;
        return;
      }
      if (recent.size() == RECENT_LIMIT) {
        recent.removeFirst();
        dropped++;
      }
      recent.addLast(t);
    }
  }

  private final Map<String, Record> records = new HashMap<>();

  synchronized void record(StatusUpdate update) {
    Record r = records.get(update.serviceName());
    if (r == null || r.id != update.serviceId()) {
      r = new Record(update.serviceId(), update.serviceName(), update.group(), false);
      records.put(update.serviceName(), r);
    }
    r.group = update.group();
    r.add(new Transition(update.time(), update.newState(),
        update.failure().map(f -> f.toString()).orElse(null)));
  }

  synchronized void removed(long id, String name) {
    Record r = records.get(name);
    if (r != null && r.id == id) {
      records.remove(name);
    }
  }

  /**
   * Reconstructs the record of a service that was there before this bundle listened (does nothing if it
   * is already recorded).
   */
  synchronized void catchUp(ServiceInfo info) {
    if (records.containsKey(info.name())) {
      return;
    }
    Record r = new Record(info.id(), info.name(), info.group(), true);
    r.add(new Transition(info.createdAt(), State.WAITING, null));
    Instant started = info.lastStartTime().orElse(null);
    if (started != null && started.isBefore(info.stateSince())) {
      r.add(new Transition(started, State.STARTING, null));
      Instant ready = info.timeToReady().map(started::plus).orElse(null);
      if (ready != null && ready.isBefore(info.stateSince())) {
        r.add(new Transition(ready, State.RUNNING, null));
      }
    }
    r.add(new Transition(info.stateSince(), info.state(),
        info.lastFailure().map(f -> f.toString()).orElse(null)));
    records.put(info.name(), r);
  }

  /** @return a copy of the history of every recorded service, in no particular order */
  synchronized List<History> copy() {
    List<History> out = new ArrayList<>(records.size());
    for (Record r : records.values()) {
      out.add(new History(r.id, r.name, r.group, r.reconstructed, List.copyOf(r.startup), r.dropped,
          List.copyOf(r.recent)));
    }
    return out;
  }

  synchronized int size() {
    return records.size();
  }
}
