package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One registration, as the control thread knows it: who it is, what it is doing ({@link #phase}), what
 * has happened to it ({@link #metrics()}) and who waits on it. Every field is written only by the control
 * thread, and read only by it except what a run thread reads (its name, its source, its run thread's name, each
 * set before a run is handed to the pool); other threads see the service through its {@link Snapshot},
 * published after each message that changed it.
 *
 * <p>What only a service that has run, failed or been waited on needs (its metrics and run thread's name
 * once launched, its failure-log quota once it fails, its waiters while someone waits) is made when first
 * needed: most registrations never fail nor are waited on, and an IDLE one (the footprint benchmark counts
 * them) should cost little more than its spec and its snapshot.
 */
final class ServiceEntry {
  final long id;
  final String name;
  /**
   * What its run thread is called while inside {@code run}: made on its first launch ({@link #launching()}),
   * then kept rather than made on every restart; null while it has never been launched. Read by the run
   * thread, which the launch's hand-off to the pool makes see it.
   */
  String runThreadName;
  /**
   * Replaced live ({@code Engine.updateSpec}) when defaults or derived dependencies change; name and group
   * never do, dependencies may (the graph is relinked).
   */
  ServiceSpec spec;
  final WorkerSource source;
  final String owner;
  /** Carries out {@code supervisor.escalate} for this registration (refreshes its bundle). */
  final Escalator escalator;
  final Instant createdAt;
  /** A registration that was refused: shown as FAILED with its reason, never run. */
  final boolean rejected;

  /** What it is doing: the only driver of its state; change it through {@code Supervision.enter}. */
  Phase phase;
  Instant stateSince;
  long sequence;
  /** Its snapshot is to be published after the message being handled. */
  boolean dirty;

  /** The supervision group that owns it (null for rejected registrations). */
  GroupNode group;
  /** When it was last launched, in launch order; 0 = never. */
  long launchStamp;

  /**
   * A run that outlived its stop timeout, and may still be inside {@code run} while this registration has
   * moved on: the next run waits for it, so two never overlap. Not part of the phase, which it outlives.
   */
  Run abandoned;

  /** Its dependencies that are missing now, with since when: see {@link MissingDependencyWatch}; null if none. */
  java.util.Map<String, MissingDependencyWatch.Clock> missing;

  /** Null until something has happened to it: see {@link #metrics()}. */
  private ServiceMetrics metrics;
  /** Null until it first fails. */
  private FailureLogQuota failureLog;
  /** Who waits for it to be RUNNING, and who waits for its removal; null while nobody does. */
  private List<CompletableFuture<ServiceInfo>> readyWaiters;
  private List<CompletableFuture<Void>> removalWaiters;

  ServiceEntry(long id, ServiceSpec spec, WorkerSource source, String owner, Escalator escalator, Instant now,
      boolean rejected) {
    this.id = id;
    this.name = spec.name();
    this.spec = spec;
    this.source = source;
    this.owner = owner;
    this.escalator = escalator;
    this.createdAt = now;
    this.rejected = rejected;
    this.stateSince = now;
  }

  /** It is about to be launched: its run thread's name is made the first time. */
  void launching() {
    if (runThreadName == null) {
      runThreadName = "supervisor-run-" + name;
    }
  }

  /** @return what has happened to it, made on first use: the caller is about to count something */
  ServiceMetrics metrics() {
    if (metrics == null) {
      metrics = new ServiceMetrics();
    }
    return metrics;
  }

  /** @return what has happened to it, or null if nothing has been counted yet (for readers: nothing is made) */
  ServiceMetrics metricsIfAny() {
    return metrics;
  }

  /** @return its last failure, or null */
  Failure lastFailure() {
    return metrics == null ? null : metrics.lastFailure;
  }

  /** @return its failure-log quota, made at its first failure */
  FailureLogQuota failureLog() {
    if (failureLog == null) {
      failureLog = new FailureLogQuota();
    }
    return failureLog;
  }

  /** {@code waiter} is completed when it is RUNNING (or fails, or goes); one given up on meanwhile is dropped. */
  void addReadyWaiter(CompletableFuture<ServiceInfo> waiter) {
    if (readyWaiters == null) {
      readyWaiters = new ArrayList<>();
    }
    readyWaiters.removeIf(CompletableFuture::isDone);
    readyWaiters.add(waiter);
  }

  /** @param waiters waits that came before the registration: this entry takes the list over */
  void adoptReadyWaiters(List<CompletableFuture<ServiceInfo>> waiters) {
    waiters.removeIf(CompletableFuture::isDone); // cancelled, or timed out, meanwhile
    if (readyWaiters == null) {
      readyWaiters = waiters.isEmpty() ? null : waiters;
    } else {
      readyWaiters.addAll(waiters);
    }
  }

  boolean hasReadyWaiters() {
    return readyWaiters != null;
  }

  /** @return who waited for it to be ready, now no longer kept (empty if nobody) */
  List<CompletableFuture<ServiceInfo>> takeReadyWaiters() {
    List<CompletableFuture<ServiceInfo>> taken = readyWaiters == null ? List.of() : readyWaiters;
    readyWaiters = null;
    return taken;
  }

  /** {@code waiter} is completed once it has been removed. */
  void addRemovalWaiter(CompletableFuture<Void> waiter) {
    if (removalWaiters == null) {
      removalWaiters = new ArrayList<>(1);
    }
    removalWaiters.add(waiter);
  }

  /** @return who waited for its removal, now no longer kept (empty if nobody) */
  List<CompletableFuture<Void>> takeRemovalWaiters() {
    List<CompletableFuture<Void>> taken = removalWaiters == null ? List.of() : removalWaiters;
    removalWaiters = null;
    return taken;
  }

  /** @return the state shown, read from the phase (null before the first one) */
  State state() {
    return phase == null ? null : phase.state();
  }

  /**
   * @return the current run while it may still be inside {@code run}, else null; an abandoned run is not
   *     counted (see {@link #abandoned})
   */
  Run liveRun() {
    return phase instanceof Phase.Live live ? live.run() : null;
  }

  boolean hasLiveRun() {
    return phase instanceof Phase.Live;
  }

  /** @return the stop planned for its live run, or null if none (or no live run) */
  Phase.StopPlan plannedStop() {
    return phase instanceof Phase.Live live ? live.stop() : null;
  }

  /** @return RUNNING with no stop planned: what a dependent needs of its dependencies */
  boolean runningForGood() {
    return phase instanceof Phase.Running running && running.stop() == null;
  }

  @Override
  public String toString() {
    return "'" + name + "' (" + state() + ")";
  }
}
