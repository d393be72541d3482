package dev.supervisor.shell;

import dev.supervisor.api.BootReport;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.api.Termination;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** A supervisor that serves fixed snapshots and records the control calls it gets, as "verb name". */
final class FakeSupervisor implements Supervisor {
  final List<ServiceInfo> services;
  final List<GroupInfo> groups;
  final List<String> calls = new ArrayList<>();

  FakeSupervisor(List<ServiceInfo> services, List<GroupInfo> groups) {
    this.services = services;
    this.groups = groups;
  }

  @Override public void start(String name) {
    if (info(name).map(i -> i.state() == State.FAILED).orElse(false)) {
      throw new SupervisorException(SupervisorException.Kind.ILLEGAL_STATE, name,
          "service '" + name + "' is FAILED: reset it first");
    }
    calls.add("start " + name);
  }

  @Override public void stop(String name) { calls.add("stop " + name); }
  @Override public void restart(String name) { calls.add("restart " + name); }
  @Override public void reset(String name) { calls.add("reset " + name); }
  @Override public void startAll() { calls.add("startAll"); }
  @Override public void stopAll() { calls.add("stopAll"); }
  @Override public void restartAll() { calls.add("restartAll"); }
  @Override public void resetAll() { calls.add("resetAll"); }

  @Override
  public Optional<ServiceInfo> info(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  @Override public List<ServiceInfo> services() { return services; }
  @Override public List<GroupInfo> groups() { return groups; }

  @Override
  public Optional<GroupInfo> group(String path) {
    return groups.stream().filter(g -> g.path().equals(path)).findFirst();
  }

  // ---------------------------------------------------------------- not used by the commands

  @Override public ServiceToken add(ServiceSpec spec, Supervised worker) { throw new UnsupportedOperationException(); }
  @Override public void remove(ServiceToken token) { throw new UnsupportedOperationException(); }
  @Override public void remove(String name) { throw new UnsupportedOperationException(); }
  @Override public void removeAll() { throw new UnsupportedOperationException(); }
  @Override public CompletableFuture<ServiceInfo> whenReady(String name) { throw new UnsupportedOperationException(); }
  /** Never ready: as if the wait ran out at once (the await command's loop then checks its own deadline). */
  @Override
  public ServiceInfo awaitReady(String name, Duration timeout) throws java.util.concurrent.TimeoutException {
    throw new java.util.concurrent.TimeoutException(name + " is not RUNNING");
  }
  @Override
  public ServiceToken add(ServiceSpec spec, java.util.function.Supplier<? extends Supervised> factory) {
    throw new UnsupportedOperationException();
  }

  /** The timeouts awaitStarted was called with. */
  final List<Duration> bootWaits = new ArrayList<>();

  /** A settled report of the services as they are: why = the state in lower case for those not RUNNING. */
  @Override
  public BootReport awaitStarted(Duration timeout) {
    bootWaits.add(timeout);
    return new BootReport(Instant.parse("2026-12-02T10:00:00Z"), true, services.stream()
        .sorted(Comparator.comparing(ServiceInfo::name))
        .map(info -> new BootReport.Line(info.name(), info.group(), info.state(), info.timeToReady(),
            info.state() == State.RUNNING ? Optional.empty()
                : Optional.of(info.state().name().toLowerCase(Locale.ROOT))))
        .collect(Collectors.toList()));
  }
  @Override public void configureGroup(GroupSpec spec) { throw new UnsupportedOperationException(); }
  @Override
  public java.util.concurrent.CompletableFuture<dev.supervisor.api.Termination> terminateGroup(String path) {
    throw new UnsupportedOperationException();
  }
  @Override
  public java.util.concurrent.CompletableFuture<dev.supervisor.api.Termination> whenGroupTerminated(String path) {
    throw new UnsupportedOperationException();
  }
  @Override public void restartGroup(String path) { throw new UnsupportedOperationException(); }
  @Override public List<String> stopGroup(String path) { throw new UnsupportedOperationException(); }
  @Override public void resetGroup(String path) { throw new UnsupportedOperationException(); }
  @Override public CompletableFuture<Termination> whenTerminated() { throw new UnsupportedOperationException(); }
  @Override public Termination awaitTermination(Duration timeout) { throw new UnsupportedOperationException(); }
  @Override public void addListener(SupervisorListener listener) { throw new UnsupportedOperationException(); }
  @Override public void removeListener(SupervisorListener listener) { throw new UnsupportedOperationException(); }
}
