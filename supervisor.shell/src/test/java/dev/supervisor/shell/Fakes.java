package dev.supervisor.shell;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Snapshots made by hand for the formatting tests. */
final class Fakes {
  static final Instant NOW = Instant.parse("2026-01-02T10:00:00Z");

  private Fakes() {}

  /** A ServiceInfo with every field given; the builders below fill the usual ones. */
  record Info(long id, String name, State state, Instant stateSince, Instant takenAt, ServiceSpec spec,
      String group, String owner, Instant createdAt, long startCount, long failureCount, long successCount,
      long restartCount, int consecutiveFailures, int restartsInWindow, Optional<Failure> lastFailure,
      Optional<Instant> lastStartTime, Optional<Instant> lastStopTime, Duration currentUptime,
      Duration totalUptime, Duration averageUptime, Optional<Duration> timeToReady, Duration currentDelay,
      Optional<Instant> nextRestartAt, List<String> dependencies, List<String> dependents,
      List<String> missingDependencies) implements ServiceInfo {

    Info withFailure(Failure failure, long restarts) {
      return new Info(id, name, state, stateSince, takenAt, spec, group, owner, createdAt, startCount,
          failureCount + 1, successCount, restarts, consecutiveFailures, restartsInWindow, Optional.of(failure),
          lastStartTime, lastStopTime, currentUptime, totalUptime, averageUptime, timeToReady, currentDelay,
          nextRestartAt, dependencies, dependents, missingDependencies);
    }

    Info withDependents(String... names) {
      return new Info(id, name, state, stateSince, takenAt, spec, group, owner, createdAt, startCount,
          failureCount, successCount, restartCount, consecutiveFailures, restartsInWindow, lastFailure,
          lastStartTime, lastStopTime, currentUptime, totalUptime, averageUptime, timeToReady, currentDelay,
          nextRestartAt, dependencies, List.of(names), missingDependencies);
    }

    Info withMissing(String... names) {
      return new Info(id, name, state, stateSince, takenAt, spec, group, owner, createdAt, startCount,
          failureCount, successCount, restartCount, consecutiveFailures, restartsInWindow, lastFailure,
          lastStartTime, lastStopTime, currentUptime, totalUptime, averageUptime, timeToReady, currentDelay,
          nextRestartAt, dependencies, dependents, List.of(names));
    }
  }

  /**
   * @param id the registration id
   * @param name the name
   * @param state the state, entered 90 s before {@link #NOW}
   * @param group the group path
   * @param dependsOn the dependencies
   * @return a snapshot: started once 90 s ago, RUNNING ones ready after 12 ms
   */
  static Info service(long id, String name, State state, String group, String... dependsOn) {
    ServiceSpec spec = ServiceSpec.builder(name).dependsOn(dependsOn).group(group).build();
    Instant since = NOW.minusSeconds(90);
    boolean running = state == State.RUNNING;
    return new Info(id, name, state, since, NOW, spec, group, "demo [7]", NOW.minusSeconds(3600), 1, 0, 0, 0, 0, 0,
        Optional.empty(), Optional.of(since), Optional.empty(), running ? Duration.ofSeconds(90) : Duration.ZERO,
        Duration.ofSeconds(90), Duration.ofSeconds(90), Optional.of(Duration.ofMillis(12)), Duration.ZERO,
        Optional.empty(), List.of(dependsOn), List.of(), List.of());
  }

  static Failure failure(String message) {
    return new Failure(FailureKind.EXCEPTION, "java.io.IOException", message,
        "java.io.IOException: " + message + "\n\tat demo.Poller.run(Poller.java:42)\n", NOW.minusSeconds(5));
  }

  /** A GroupInfo with every field given. */
  record Group(String path, GroupSpec spec, Instant takenAt, State state, double failureCount,
      Optional<Instant> backoffUntil, int restartsInWindow, long escalations, Optional<Failure> lastFailure,
      List<String> members, List<String> children) implements GroupInfo {}

  static Group group(GroupSpec spec, List<String> members, List<String> children) {
    return new Group(spec.path(), spec, NOW, State.RUNNING, 0.0, Optional.empty(), 0, 0, Optional.empty(),
        members, children);
  }
}
