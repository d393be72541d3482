package dev.supervisor.impl.engine;

import dev.supervisor.api.BootReport;
import dev.supervisor.api.MissingDependency;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether start-up has settled, and the boot report that says where every service stands: read from the
 * published snapshots alone, so waiting for it never holds up the control thread. See {@link BootReport}
 * for what "settled" means.
 */
final class StartUp {
  private StartUp() {}

  /**
   * Waits until start-up has settled or the time is up. It wakes on every status update and on every
   * overdue dependency (a listener of its own, removed before it returns), so it reads the snapshots only
   * when something changed.
   */
  static BootReport await(PublishedView view, ListenerDispatcher dispatcher, long timeoutNanos)
      throws InterruptedException {
    Object changed = new Object();
    SupervisorListener wake = new SupervisorListener() {
      @Override public void statusChanged(StatusUpdate update) { signal(changed); }

      @Override public void dependencyMissing(MissingDependency missing) { signal(changed); }

      @Override public void serviceRemoved(long id, String name) { signal(changed); }
    };
    dispatcher.add(wake);
    try {
      long deadline = System.nanoTime() + timeoutNanos;
      while (true) {
        synchronized (changed) {
          Map<String, Snapshot> services = Map.copyOf(view.services);
          if (settled(services)) {
            return report(services, Instant.now(), true);
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return report(services, Instant.now(), false);
          }
          TimeUnit.NANOSECONDS.timedWait(changed, left);
        }
      }
    } finally {
      dispatcher.remove(wake);
    }
  }

  private static void signal(Object changed) {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** @return whether every service is RUNNING or has come to rest (see {@link BootReport}) */
  static boolean settled(Map<String, Snapshot> services) {
    Map<String, Boolean> known = new HashMap<>();
    for (Snapshot service : services.values()) {
      if (!settled(service, services, known)) {
        return false;
      }
    }
    return true;
  }

  /** Walks dependencies with a work list of its own (the graph has no cycles), remembering each answer. */
  private static boolean settled(Snapshot root, Map<String, Snapshot> services, Map<String, Boolean> known) {
    List<Snapshot> work = new ArrayList<>(List.of(root));
    while (!work.isEmpty()) {
      Snapshot service = work.get(work.size() - 1);
      if (known.containsKey(service.name())) {
        work.remove(work.size() - 1);
        continue;
      }
      Boolean answer = null;
      if (service.state() != State.WAITING) {
        answer = service.state() != State.STARTING && service.state() != State.STOPPING;
      } else {
        answer = waitingAtRest(service, services, known, work);
      }
      if (answer != null) {
        known.put(service.name(), answer);
        work.remove(work.size() - 1);
      }
    }
    return known.get(root.name());
  }

  /**
   * @return whether a WAITING service is at rest: something holds it (a dependency missing past its grace,
   *     or registered, not RUNNING and at rest itself) and nothing that holds it may still move (a missing one
   *     within its grace, one not at rest); null if a dependency has yet to be decided (pushed on the work).
   *     A RUNNING dependency holds nothing: if all are, it only waits for a run to end, and starts soon.
   */
  private static Boolean waitingAtRest(Snapshot service, Map<String, Snapshot> services, Map<String, Boolean> known,
      List<Snapshot> work) {
    boolean held = false;
    boolean pending = false;
    for (String name : service.spec().allDependencies()) {
      Snapshot dependency = services.get(name);
      if (dependency == null || service.missingDependencies().contains(name)) {
        if (!service.overdueDependencies().contains(name)) {
          return false; // missing, within its grace: it may still come
        }
        held = true;
      } else if (dependency.state() != State.RUNNING) {
        Boolean atRest = known.get(name);
        if (atRest == null) {
          work.add(dependency);
          pending = true;
        } else if (!atRest) {
          return false;
        }
        held = true;
      }
    }
    return pending ? null : held;
  }

  static BootReport report(Map<String, Snapshot> services, Instant now, boolean settled) {
    List<BootReport.Line> lines = new ArrayList<>();
    services.values().stream().sorted(Comparator.comparing(Snapshot::name)).forEach(service -> lines.add(
        new BootReport.Line(service.name(), service.group(), service.state(), service.timeToReady(),
            Optional.ofNullable(why(service, services)))));
    return new BootReport(now, settled, lines);
  }

  /** @return why the service is not RUNNING, in words; null if it is */
  static String why(Snapshot service, Map<String, Snapshot> services) {
    return switch (service.state()) {
      case RUNNING -> null;
      case STARTING -> "starting: not ready yet" + lastFailure(service);
      case STOPPING -> "stopping";
      case WAITING -> "waiting on " + waitingOn(service, services);
      case BACKOFF -> "backing off" + service.nextRestartAt().map(at -> " until " + at).orElse("") + lastFailure(service);
      case FAILED -> "failed" + lastFailure(service);
      case IDLE, STOPPED -> service.note() != null ? service.note() : service.state().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String lastFailure(Snapshot service) {
    return service.lastFailure().map(failure -> "; last failure: " + failure).orElse("");
  }

  private static String waitingOn(Snapshot service, Map<String, Snapshot> services) {
    List<String> reasons = new ArrayList<>();
    for (String name : service.spec().allDependencies()) {
      Snapshot dependency = services.get(name);
      if (dependency == null || service.missingDependencies().contains(name)) {
        reasons.add("'" + name + "' (not registered" + (service.overdueDependencies().contains(name) ? " for "
            + service.spec().missingDependencyGrace() + " or more" : "") + ClosestName.among(name, services.keySet())
            .map(closest -> "; did you mean '" + closest + "'?").orElse("") + ")");
      } else if (dependency.state() != State.RUNNING) {
        reasons.add("'" + name + "' (" + dependency.state() + ")");
      }
    }
    return reasons.isEmpty() ? "a dependent's run, or an abandoned run of its own, to end" : String.join(", ", reasons);
  }
}
