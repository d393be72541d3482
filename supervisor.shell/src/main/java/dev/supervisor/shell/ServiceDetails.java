package dev.supervisor.shell;

import dev.supervisor.api.Failure;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code supervisor:info} page of one service: every metric of its snapshot, then its effective spec as
 * {@code supervisor.*} property = value (the same keys and values as the JMX {@code Spec} attribute and the
 * configuration). Pure functions of the snapshot.
 */
final class ServiceDetails {
  private ServiceDetails() {}

  /**
   * @param info the snapshot
   * @param withStackTrace whether to add the last failure's stack trace
   * @return the page, one "label  value" per line
   */
  static String format(ServiceInfo info, boolean withStackTrace) {
    Instant now = info.takenAt();
    List<List<String>> rows = new ArrayList<>();
    row(rows, "state", info.state() + " since " + info.stateSince() + " ("
        + Durations.compact(Duration.between(info.stateSince(), now)) + " ago)");
    row(rows, "id", String.valueOf(info.id()));
    row(rows, "group", Names.group(info.group()));
    row(rows, "owner", info.owner());
    row(rows, "created", time(info.createdAt(), now));
    row(rows, "starts", String.valueOf(info.startCount()));
    row(rows, "failures", String.valueOf(info.failureCount()));
    row(rows, "successes", String.valueOf(info.successCount()));
    row(rows, "restarts", String.valueOf(info.restartCount()));
    row(rows, "consecutive failures", String.valueOf(info.consecutiveFailures()));
    row(rows, "restarts in window", info.restartsInWindow() + " (window " + info.spec().restartWindow() + ")");
    row(rows, "bundle refreshes", info.bundleRefreshes() + " (" + ServiceSpec.ESCALATE + " "
        + info.spec().escalate() + ")");
    row(rows, "last failure", info.lastFailure().map(Names::failure).orElse(Names.NONE));
    row(rows, "last failure at", info.lastFailure().map(f -> time(f.time(), now)).orElse(Names.NONE));
    row(rows, "stop reason", info.stopReason().orElse(Names.NONE));
    row(rows, "last start", time(info.lastStartTime(), now));
    row(rows, "last stop", time(info.lastStopTime(), now));
    row(rows, "current uptime", Durations.precise(info.currentUptime()));
    row(rows, "total uptime", Durations.precise(info.totalUptime()));
    row(rows, "average uptime", Durations.precise(info.averageUptime()));
    row(rows, "time to ready", info.timeToReady().map(Durations::precise).orElse(Names.NONE));
    row(rows, "current delay", Durations.precise(info.currentDelay()));
    row(rows, "next restart at", info.nextRestartAt().map(t -> t + " (in "
        + Durations.compact(Duration.between(now, t)) + ")").orElse(Names.NONE));
    row(rows, "dependencies", Names.list(Names.dependencies(info)));
    row(rows, "dependents", Names.list(info.dependents()));
    row(rows, "missing dependencies", Names.list(info.missingDependencies()));
    row(rows, "overdue dependencies", Names.list(info.overdueDependencies())); // missing past their grace period
    StringBuilder out = new StringBuilder();
    out.append(info.name()).append('\n');
    out.append(indent(ServiceTable.align(rows)));
    out.append("  spec\n");
    List<List<String>> spec = new ArrayList<>();
    properties(info.spec()).forEach((key, value) -> row(spec, key, value.isEmpty() ? "\"\"" : value));
    out.append(indent(indent(ServiceTable.align(spec))));
    Optional<Failure> failure = info.lastFailure();
    if (withStackTrace && failure.isPresent() && !failure.get().stackTrace().isEmpty()) {
      out.append("  last failure's stack trace\n");
      failure.get().stackTrace().lines().forEach(line -> out.append("    ").append(line).append('\n'));
    }
    return out.toString();
  }

  /**
   * @param spec an effective spec
   * @return every {@code supervisor.*} property with its value, in the order of the documentation; durations
   *     in ISO-8601, lists comma-separated, the root group as ""
   */
  static Map<String, String> properties(ServiceSpec spec) {
    return spec.toProperties();
  }

  private static void row(List<List<String>> rows, String label, String value) {
    rows.add(List.of(label, value));
  }

  private static String time(Optional<Instant> time, Instant now) {
    return time.map(t -> time(t, now)).orElse(Names.NONE);
  }

  private static String time(Instant time, Instant now) {
    return time + " (" + Durations.compact(Duration.between(time, now)) + " ago)";
  }

  private static String indent(String lines) {
    return lines.lines().map(line -> "  " + line + "\n").reduce("", String::concat);
  }
}
