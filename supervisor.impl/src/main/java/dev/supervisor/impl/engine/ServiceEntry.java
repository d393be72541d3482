package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the engine knows about one service. Every field is read and written only by the control
 * thread; other threads see the service through its {@link Snapshot}, published after each message that
 * changed it.
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

  State state;
  Instant stateSince;
  long sequence;
  /** Its snapshot is to be published after the message being handled. */
  boolean dirty;

  /** Whether the service should be running: set by auto-start and start, cleared by stop and final outcomes. */
  boolean wanted;
  /** Set while a stop waits for dependents or for {@code run} to return: what happens afterwards. */
  AfterStop afterStop;
  /** The failure to handle once the stop it caused has finished (a ready timeout). */
  Failure failureAfterStop;
  /** The message of the DoNotRestartException that ended it for good; null once it starts again. */
  String stopReason;
  /** What went wrong with the stop in progress (stop() threw, or the stop timeout ran out), else null. */
  Failure stopFailure;

  /** The supervision group that owns it (null for rejected registrations). */
  GroupNode group;
  /** When it was last launched, in launch order; 0 = never. */
  long launchStamp;

  Run run;
  /** A run that outlived its stop timeout; the next run waits for it so two never overlap. */
  Run abandoned;
  Scheduler.Cancellable timer;
  /** Bumped whenever a backoff timer is set or cancelled, so a stale RestartDue is ignored. */
  long timerGeneration;
  int attempts;

  long startCount;
  long failureCount;
  long successCount;
  long restartCount;
  int consecutiveFailures;
  final RestartWindow window = new RestartWindow();
  Failure lastFailure;
  Instant lastStart;
  Instant lastStop;
  Instant runningSince;
  /** The same moment as a monotonic reading (uptimes are measured on it). */
  long runningSinceNanos;
  /** When the current run began, as a monotonic reading (time to ready is measured on it). */
  long lastStartNanos;
  /** How long the last run was RUNNING; decides whether a failure starts a new streak. */
  /** Nanoseconds. */
  long lastRunUptime;
  /** Nanoseconds, of every run that has ended. */
  long finishedUptime;
  long runsThatReachedRunning;
  Duration timeToReady;
  Duration currentDelay = Duration.ZERO;
  Instant nextRestartAt;
  /** STOPPED after its restarts were used up, while its escalator has not answered yet; FAILED if it refuses. */
  boolean awaitingEscalation;

  /**
   * Until when failures are counted but not logged (monotonic nanoseconds; valid once one was logged), and
   * how many were: see {@code Supervision.logFailure}.
   */
  long failureLogQuietUntil;
  boolean failureLogged;
  long failuresNotLogged;

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

  /**
   * @return true while the current run may still be inside {@code run}; an abandoned run is not counted
   *     (see {@link #abandoned})
   */
  boolean hasLiveRun() {
    return run != null;
  }

  void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    timerGeneration++;
    nextRestartAt = null;
  }

  @Override
  public String toString() {
    return "'" + name + "' (" + state + ")";
  }

  /** What to do once a requested stop has finished; a later request of higher rank replaces a lower one. */
  enum AfterStop {
    /** A dependency left RUNNING: wait for it, then start again. */
    WAIT_FOR_DEPENDENCIES,
    /** The group's strategy restarts it: start again, unless the group pauses restarts. */
    RESTART_BY_GROUP,
    /** Manual restart: start again at once (dependencies permitting). */
    RESTART,
    /** The ready timeout ran out: handle it as a failure (backoff or FAILED). */
    HANDLE_FAILURE,
    /** Manual stop, or the supervisor shutting down: stay STOPPED. */
    STAY_STOPPED,
    /** Removal: forget the service. */
    REMOVE;

    AfterStop strongest(AfterStop other) {
      return other == null || compareTo(other) >= 0 ? this : other;
    }
  }
}
