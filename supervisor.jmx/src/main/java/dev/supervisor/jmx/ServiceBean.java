package dev.supervisor.jmx;

import dev.supervisor.api.Failure;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorAdmin;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link ServiceMXBean} of one service. It holds only the name: every attribute reads the supervisor's
 * snapshot of that name at the moment it is asked for (a snapshot is a map lookup and never waits for the
 * supervisor), and every operation goes to the supervisor (removal to the operators' {@link SupervisorAdmin}).
 *
 * <p>Threads: safe from any thread (JMX calls come from connector threads).
 */
final class ServiceBean implements ServiceMXBean {
  private final Supervisor supervisor;
  private final SupervisorAdmin admin;
  private final String name;
  /** The registration this bean was made for (a later registration of the name gets a new bean). */
  private final long id;

  ServiceBean(Supervisor supervisor, SupervisorAdmin admin, String name, long id) {
    this.supervisor = supervisor;
    this.admin = admin;
    this.name = name;
    this.id = id;
  }

  // ---------------------------------------------------------------- attributes

  @Override public String getName() { return name; }

  @Override public long getId() { return info().id(); }

  @Override public String getState() { return info().state().name(); }

  @Override public Date getStateSince() { return date(info().stateSince()); }

  @Override public long getStartCount() { return info().startCount(); }

  @Override public long getFailureCount() { return info().failureCount(); }

  @Override public long getSuccessCount() { return info().successCount(); }

  @Override public long getRestartCount() { return info().restartCount(); }

  @Override public int getConsecutiveFailures() { return info().consecutiveFailures(); }

  @Override public int getRestartsInWindow() { return info().restartsInWindow(); }

  @Override public String getStopReason() { return info().stopReason().orElse(null); }

  @Override public String getLastErrorKind() { return lastFailure(failure -> failure.kind().name()); }

  @Override public String getLastErrorClass() { return lastFailure(Failure::exceptionClass); }

  @Override public String getLastErrorMessage() { return lastFailure(Failure::message); }

  @Override public String getLastErrorStackTrace() { return lastFailure(Failure::stackTrace); }

  @Override public Date getLastErrorTime() { return lastFailure(failure -> date(failure.time())); }

  @Override public Date getLastStartTime() { return date(info().lastStartTime()); }

  @Override public Date getLastStopTime() { return date(info().lastStopTime()); }

  @Override public long getCurrentUptime() { return info().currentUptime().toMillis(); }

  @Override public String getCurrentUptimeText() { return text(info().currentUptime()); }

  @Override public long getTotalUptime() { return info().totalUptime().toMillis(); }

  @Override public String getTotalUptimeText() { return text(info().totalUptime()); }

  @Override public long getAverageUptime() { return info().averageUptime().toMillis(); }

  @Override public String getAverageUptimeText() { return text(info().averageUptime()); }

  @Override public long getTimeToReady() { return info().timeToReady().map(Duration::toMillis).orElse(-1L); }

  @Override public long getCurrentDelay() { return info().currentDelay().toMillis(); }

  @Override public Date getNextRestartAt() { return date(info().nextRestartAt()); }

  @Override public Date getCreatedAt() { return date(info().createdAt()); }

  @Override public String getOwner() { return info().owner(); }

  @Override public String getGroup() { return info().group(); }

  @Override public String[] getDependencies() { return array(info().dependencies()); }

  @Override public String[] getDeclaredDependencies() { return array(info().spec().dependsOn()); }

  @Override public String[] getDerivedDependencies() { return array(info().spec().derivedDependsOn()); }

  @Override public String[] getDependents() { return array(info().dependents()); }

  @Override public String[] getMissingDependencies() { return array(info().missingDependencies()); }

  @Override public String[] getOverdueDependencies() { return array(info().overdueDependencies()); }

  @Override public long getBundleRefreshes() { return info().bundleRefreshes(); }

  @Override public String getRestartPolicy() { return info().spec().restart().name(); }

  @Override
  public Map<String, String> getSpec() {
    return info().spec().toProperties();
  }

  // ---------------------------------------------------------------- operations

  @Override public void start() { ClientErrors.run(() -> supervisor.start(name)); }

  @Override public void stop() { ClientErrors.run(() -> supervisor.stop(name)); }

  @Override public void restart() { ClientErrors.run(() -> supervisor.restart(name)); }

  @Override public void reset() { ClientErrors.run(() -> supervisor.reset(name)); }

  @Override public void remove() { ClientErrors.run(() -> admin.remove(name)); }

  // ---------------------------------------------------------------- helpers

  private ServiceInfo info() {
    try {
      return supervisor.info(name).orElseThrow(() -> new IllegalStateException(
          "service '" + name + "' is no longer supervised (its MBean goes away in a moment)"));
    } catch (RuntimeException e) {
      throw ClientErrors.forClient(e);
    }
  }

  private <T> T lastFailure(Function<Failure, T> part) {
    return info().lastFailure().map(part).orElse(null);
  }

  private static Date date(Instant time) {
    return time == null ? null : Date.from(time);
  }

  private static Date date(Optional<Instant> time) {
    return time.map(Date::from).orElse(null);
  }

  private static String[] array(List<String> names) {
    return names.toArray(String[]::new);
  }

  /**
   * @param duration a non-negative duration
   * @return it in words for people: {@code 0s}, {@code 3.250s}, {@code 2m 03.250s}, {@code 1h 02m 03s},
   *     {@code 3d 04h 05m}
   */
  static String text(Duration duration) {
    long days = duration.toDays();
    int hours = duration.toHoursPart();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    int millis = duration.toMillisPart();
    if (days > 0) {
      return String.format(Locale.ROOT, "%dd %02dh %02dm", days, hours, minutes);
    }
    if (hours > 0) {
      return String.format(Locale.ROOT, "%dh %02dm %02ds", hours, minutes, seconds);
    }
    if (minutes > 0) {
      return String.format(Locale.ROOT, "%dm %02d.%03ds", minutes, seconds, millis);
    }
    if (seconds == 0 && millis == 0) {
      return "0s";
    }
    return String.format(Locale.ROOT, "%d.%03ds", seconds, millis);
  }

  @Override
  public String toString() {
    return "ServiceMXBean of '" + name + "' (#" + id + ")";
  }
}
