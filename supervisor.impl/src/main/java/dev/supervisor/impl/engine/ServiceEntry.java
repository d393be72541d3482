package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One registration, as the control thread knows it: who it is, what it is doing ({@link #phase}), what
 * has happened to it ({@link #metrics}) and who waits on it. Every field is read and written only by the
 * control thread; other threads see the service through its {@link Snapshot}, published after each message
 * that changed it.
 */
final class ServiceEntry {
  final long id;
  final String name;
  /** What its run thread is called while inside {@code run}, made once rather than on every restart. */
  final String runThreadName;
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

  final ServiceMetrics metrics = new ServiceMetrics();
  final FailureLogQuota failureLog = new FailureLogQuota();

  final List<CompletableFuture<ServiceInfo>> readyWaiters = new ArrayList<>();
  final List<CompletableFuture<Void>> removalWaiters = new ArrayList<>();

  ServiceEntry(long id, ServiceSpec spec, WorkerSource source, String owner, Escalator escalator, Instant now,
      boolean rejected) {
    this.id = id;
    this.name = spec.name();
    this.runThreadName = "supervisor-run-" + name;
    this.spec = spec;
    this.source = source;
    this.owner = owner;
    this.escalator = escalator;
    this.createdAt = now;
    this.rejected = rejected;
    this.stateSince = now;
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
