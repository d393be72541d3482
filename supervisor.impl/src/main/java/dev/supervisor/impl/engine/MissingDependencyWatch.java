package dev.supervisor.impl.engine;

import dev.supervisor.api.MissingDependency;
import dev.supervisor.api.ServiceSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Since when each service's dependencies have been missing (not registered, or rejected), and which have
 * been missing for longer than the service's {@code supervisor.missingDependencyGrace}: each missing name
 * has a timer that posts {@link Message.DependencyOverdue} when its grace runs out, and is cancelled when
 * the name appears or the service goes. Control thread only; it answers, buffers (the report) and posts
 * (its timers), and never calls back.
 */
final class MissingDependencyWatch {
  private final Timers timers;
  private final Publisher publisher;
  private final EngineLog log;

  MissingDependencyWatch(Timers timers, Publisher publisher, EngineLog log) {
    this.timers = timers;
    this.publisher = publisher;
    this.log = log;
  }

  /** One missing name of one service: since when, its grace timer, and whether it was reported. */
  static final class Clock {
    final Instant since;
    final long sinceNanos;
    final Scheduler.Cancellable timer;
    boolean overdue;

    Clock(Instant since, long sinceNanos, Scheduler.Cancellable timer) {
      this.since = since;
      this.sinceNanos = sinceNanos;
      this.timer = timer;
    }
  }

  /**
   * Brings the entry's clocks in line with what is missing now: a newly missing name starts one, a name
   * that appeared ends its own. Called whenever the entry's dependencies or their registrations change.
   */
  void refresh(ServiceEntry entry, List<String> missingNow, Instant now, long nowNanos) {
    if (entry.rejected || (entry.missing == null && missingNow.isEmpty())) {
      return; // the common case: nothing missing before or now, nothing allocated
    }
    Map<String, Clock> clocks = entry.missing == null ? new LinkedHashMap<>() : entry.missing;
    clocks.entrySet().removeIf(clock -> {
      boolean appeared = !missingNow.contains(clock.getKey());
      if (appeared) {
        clock.getValue().timer.cancel();
      }
      return appeared;
    });
    for (String name : missingNow) {
      if (!clocks.containsKey(name)) {
        clocks.put(name, new Clock(now, nowNanos, timers.after(entry.spec.missingDependencyGrace(),
            new Message.DependencyOverdue(entry, name, nowNanos))));
      }
    }
    entry.missing = clocks.isEmpty() ? null : clocks;
  }

  /** The entry is removed, or the supervisor ends: no clock of it runs on. */
  void forget(ServiceEntry entry) {
    if (entry.missing != null) {
      entry.missing.values().forEach(clock -> clock.timer.cancel());
      entry.missing = null;
    }
  }

  /**
   * A grace timer ran out: unless the name appeared meanwhile (or appeared and went again), it is reported,
   * once: a WARN naming the closest registered name, listeners, and the entry's snapshot (its overdue list).
   * The service still waits for it.
   *
   * @param registered the names registered now, to find the one the missing name was probably meant to be
   */
  void overdue(Message.DependencyOverdue m, Iterable<String> registered) {
    ServiceEntry entry = m.entry();
    Clock clock = entry.missing == null ? null : entry.missing.get(m.dependency());
    if (clock == null || clock.sinceNanos != m.sinceNanos() || clock.overdue) {
      return;
    }
    clock.overdue = true;
    MissingDependency missing = new MissingDependency(entry.name, m.dependency(), clock.since,
        entry.spec.missingDependencyGrace(), ClosestName.among(m.dependency(), registered));
    log.warn(missing + "; it still waits for it (" + ServiceSpec.MISSING_DEPENDENCY_GRACE + " = " + missing.grace()
        + ")", null);
    publisher.missingDependency(missing);
    publisher.touch(entry);
  }

  /** @return the entry's dependencies that were reported missing and still are, in spec order */
  static List<String> overdueOf(ServiceEntry entry) {
    if (entry.missing == null) {
      return List.of();
    }
    List<String> overdue = new ArrayList<>();
    entry.missing.forEach((name, clock) -> {
      if (clock.overdue) {
        overdue.add(name);
      }
    });
    return List.copyOf(overdue);
  }
}
