package dev.supervisor.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where start-up has got to: what {@link Supervisor#awaitStarted(Duration)} returns once every service that
 * should run is RUNNING or has come to rest, or once its time is up. One line per service, sorted by name,
 * each saying why a service is not running (failed and why, waiting on which dependencies, stopped by hand,
 * backing off until when).
 *
 * <p>"Come to rest" means nothing more will happen without a command or a new registration, or only after
 * a delay: IDLE, STOPPED, FAILED, BACKOFF, or WAITING on dependencies that have themselves come to rest, or
 * that have been missing for longer than their grace period. Immutable.
 *
 * @param takenAt when the report was made
 * @param settled whether start-up had settled; false if the time ran out first
 * @param services one line per service, sorted by name
 * @since 1.3
 */
public record BootReport(Instant takenAt, boolean settled, List<Line> services) {

  /**
   * One service in the report.
   *
   * @param name the service
   * @param group its group's path ("" = root)
   * @param state its state when the report was made
   * @param timeToReady how long its last start took to reach RUNNING, if it ever did
   * @param why why it is not running; empty when it is RUNNING
   */
  public record Line(String name, String group, State state, Optional<Duration> timeToReady, Optional<String> why) {}

  /** @param services the lines, copied */
  public BootReport {
    services = List.copyOf(services);
  }

  /** @return the lines of services that are not RUNNING */
  public List<Line> notRunning() {
    return services.stream().filter(line -> line.state() != State.RUNNING).collect(Collectors.toList());
  }

  /** @return whether start-up settled with every service RUNNING */
  public boolean allRunning() {
    return settled && notRunning().isEmpty();
  }

  /** @return the report as a table: one line per service, for logs and terminals */
  @Override
  public String toString() {
    int width = services.stream().mapToInt(line -> line.name().length()).max().orElse(4);
    StringBuilder out = new StringBuilder(settled ? "start-up settled" : "start-up NOT settled (time ran out)")
        .append(": ").append(services.size() - notRunning().size()).append(" of ").append(services.size())
        .append(" services RUNNING\n");
    for (Line line : services) {
      out.append(String.format("  %-" + width + "s  %-8s  %s%n", line.name(), line.state(),
          line.why().orElseGet(() -> line.timeToReady().map(t -> "ready in " + t.toMillis() + " ms").orElse(""))));
    }
    return out.toString();
  }
}
