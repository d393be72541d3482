package dev.supervisor.jmx;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervisor;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.management.openmbean.TabularData;

/**
 * {@link SupervisorMXBean}: every attribute reads the supervisor's snapshots when it is asked for.
 *
 * <p>Threads: safe from any thread.
 */
final class SupervisorBean implements SupervisorMXBean {
  private final Supervisor supervisor;

  SupervisorBean(Supervisor supervisor) {
    this.supervisor = supervisor;
  }

  @Override public int getServiceCount() { return services().size(); }

  @Override
  public String[] getServiceNames() {
    return services().stream().map(ServiceInfo::name).toArray(String[]::new);
  }

  @Override
  public Map<String, Integer> getStateCounts() {
    Map<State, Integer> counts = new EnumMap<>(State.class);
    for (State state : State.values()) {
      counts.put(state, 0);
    }
    for (ServiceInfo info : services()) {
      counts.merge(info.state(), 1, Integer::sum);
    }
    Map<String, Integer> byName = new LinkedHashMap<>();
    counts.forEach((state, count) -> byName.put(state.name(), count));
    return byName;
  }

  @Override
  public Map<String, Map<String, Map<String, Integer>>> getServiceStates() {
    Map<String, Map<String, Map<String, Integer>>> byGroup = new TreeMap<>();
    for (ServiceInfo info : services()) {
      Map<String, Integer> states = new LinkedHashMap<>();
      for (State state : State.values()) {
        states.put(state.name(), state == info.state() ? 1 : 0);
      }
      byGroup.computeIfAbsent(info.group(), group -> new TreeMap<>()).put(info.name(), states);
    }
    return byGroup;
  }

  @Override public int getIdleCount() { return count(State.IDLE); }

  @Override public int getWaitingCount() { return count(State.WAITING); }

  @Override public int getStartingCount() { return count(State.STARTING); }

  @Override public int getRunningCount() { return count(State.RUNNING); }

  @Override public int getStoppingCount() { return count(State.STOPPING); }

  @Override public int getStoppedCount() { return count(State.STOPPED); }

  @Override public int getBackoffCount() { return count(State.BACKOFF); }

  @Override public int getFailedCount() { return count(State.FAILED); }

  @Override
  public String getDependencyGraph() {
    return dependencyGraph(services());
  }

  /**
   * @param services snapshots, sorted by name
   * @return one line per service without dependencies ({@code name [STATE]}), and one line per dependency
   *     ({@code name [STATE] -> dependency [STATE]}, {@code (missing)} for one not registered)
   */
  static String dependencyGraph(List<ServiceInfo> services) {
    Map<String, State> states = services.stream()
        .collect(Collectors.toMap(ServiceInfo::name, ServiceInfo::state, (a, b) -> a));
    StringBuilder out = new StringBuilder();
    for (ServiceInfo info : services) {
      String node = info.name() + " [" + info.state() + "]";
      if (info.dependencies().isEmpty()) {
        out.append(node).append('\n');
      }
      Set<String> missing = Set.copyOf(info.missingDependencies());
      for (String dependency : info.dependencies()) {
        State state = states.get(dependency);
        out.append(node).append(" -> ").append(dependency)
            .append(state == null || missing.contains(dependency) ? " (missing)" : " [" + state + "]")
            .append('\n');
      }
    }
    return out.toString();
  }

  /** Blocks the caller's connector thread only; the report is read from published snapshots. */
  @Override
  public TabularData awaitStarted(long timeoutMillis) throws InterruptedException {
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("awaitStarted: timeoutMillis must be 0 or more, got " + timeoutMillis);
    }
    try {
      return BootReportTable.of(supervisor.awaitStarted(Duration.ofMillis(timeoutMillis)));
    } catch (RuntimeException e) {
      throw ClientErrors.forClient(e);
    }
  }

  @Override public void startAll() { ClientErrors.run(supervisor::startAll); }

  @Override public void stopAll() { ClientErrors.run(supervisor::stopAll); }

  @Override public void restartAll() { ClientErrors.run(supervisor::restartAll); }

  @Override public void resetAll() { ClientErrors.run(supervisor::resetAll); }

  private List<ServiceInfo> services() {
    try {
      return supervisor.services();
    } catch (RuntimeException e) {
      throw ClientErrors.forClient(e);
    }
  }

  private int count(State state) {
    return (int) services().stream().filter(info -> info.state() == state).count();
  }

  @Override
  public String toString() {
    return "SupervisorMXBean";
  }
}
