package dev.supervisor.impl.engine;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Failure;
import dev.supervisor.api.State;
import java.time.Instant;

/**
 * What one service is doing, as the control thread drives it: the published {@link State} is read from it,
 * never kept beside it. Each variant carries only its own data: a live phase its run and the stop planned
 * for it, a backoff its restart timer, an escalation what it escalated. A phase with a timer owns it, and
 * {@code Supervision} cancels it when the service leaves the phase ({@link #timer()}), so no timer outlives
 * the phase it belongs to and nothing is cancelled "just in case".
 *
 * <p>Phases are immutable but for {@link BackingOff}'s timer, set once right after it is made (the timer's
 * message names the phase it belongs to, so a stale one is told apart by identity).
 */
sealed interface Phase {
  AtRest IDLE = new AtRest(State.IDLE, null, "not started: " + dev.supervisor.api.ServiceSpec.AUTO_START + " = false");
  AtRest FAILED = new AtRest(State.FAILED, null, null);
  /** Stopped by a command: the service, its group, or all. */
  AtRest STOPPED_BY_HAND = new AtRest(State.STOPPED, null, "stopped by hand");
  /** Stopped because the supervisor is ending. */
  AtRest STOPPED_AT_CLOSE = new AtRest(State.STOPPED, null, "stopped: the supervisor is ending");
  Waiting WAITING = new Waiting();

  /** @return the state shown for this phase */
  State state();

  /** @return the timer this phase owns, cancelled when the service leaves it; null if none */
  default Scheduler.Cancellable timer() {
    return null;
  }

  /**
   * IDLE, STOPPED or FAILED: nothing runs and nothing is due; only a command, a reset or a new dependency
   * state moves it on.
   *
   * @param stopReason why a STOPPED service ended for good ({@code DoNotRestartException}'s message), else null
   * @param note how it came to rest, for the boot report (a FAILED one has its last failure instead)
   */
  record AtRest(State state, String stopReason, String note) implements Phase {
    /** @return STOPPED for the reason given: how the run ended, and why it is not restarted */
    static AtRest stopped(String note) {
      return new AtRest(State.STOPPED, null, note);
    }

    /** @return STOPPED by a worker that asked not to be restarted ({@code DoNotRestartException}) */
    static AtRest endedForGood(String reason) {
      return new AtRest(State.STOPPED, reason, "ended for good: " + reason);
    }
  }

  /**
   * WAITING: it wants to run, but a dependency is not RUNNING, a dependent's run has not returned yet, or
   * an abandoned run of the same name is still inside {@code run}.
   */
  record Waiting() implements Phase {
    @Override public State state() { return State.WAITING; }
  }

  /**
   * STOPPED after its own restarts ran out, while its escalator (the bundle refresh) has not answered: if
   * it refuses, the service is FAILED after all.
   */
  record Escalating(Escalation escalation) implements Phase {
    @Override public State state() { return State.STOPPED; }
  }

  /** BACKOFF: it starts again when its timer fires ({@code RestartDue} names this phase). */
  final class BackingOff implements Phase {
    /**
     * BACKOFF for no time: a restart with delay 0 shows it, then starts (or waits) in the same message. It
     * has no timer, and is never left in place between messages.
     */
    static final BackingOff NOW = new BackingOff(null);

    /** When the restart is due (shown as the next restart); null for {@link #NOW}. */
    final Instant restartAt;
    private Scheduler.Cancellable timer;

    BackingOff(Instant restartAt) {
      this.restartAt = restartAt;
    }

    /** Called once, right after the phase is made: the timer's message must name the phase. */
    BackingOff ownTimer(Scheduler.Cancellable timer) {
      this.timer = timer;
      return this;
    }

    @Override public State state() { return State.BACKOFF; }

    @Override public Scheduler.Cancellable timer() { return timer; }

    @Override public String toString() { return "BackingOff[until " + restartAt + "]"; }
  }

  /**
   * A run has returned, or been abandoned at its stop timeout, and what follows is being decided: it never
   * outlives the message being handled (the invariants check that). Not live, so the walks that decide
   * (may a dependency start, may it stop) see the run as over; its state stays the one shown until then.
   */
  record Returned(State state) implements Phase {
    private static final Returned[] FROM = {
        new Returned(State.STARTING), new Returned(State.RUNNING), new Returned(State.STOPPING)};

    /** @param live the state the run returned in; the state shown does not change until the next phase */
    static Returned from(State live) {
      return switch (live) {
        case STARTING -> FROM[0];
        case RUNNING -> FROM[1];
        case STOPPING -> FROM[2];
        default -> throw new IllegalArgumentException("not a live state: " + live);
      };
    }
  }

  /** A run exists and may still be inside {@code run}: STARTING, RUNNING or STOPPING. */
  sealed interface Live extends Phase {
    Run run();

    /** @return the stop planned for the run (it may wait for dependents to stop first), or null if none */
    StopPlan stop();

    /** @return the same phase with this stop planned */
    Live planned(StopPlan plan);
  }

  /** STARTING: the run was launched and is not ready yet; under EXPLICIT readiness, {@code timer} bounds it. */
  record Starting(Run run, Scheduler.Cancellable timer, StopPlan stop) implements Live {
    @Override public State state() { return State.STARTING; }

    @Override public Starting planned(StopPlan plan) { return new Starting(run, timer, plan); }
  }

  /** RUNNING: ready, and its dependents may run. */
  record Running(Run run, StopPlan stop) implements Live {
    @Override public State state() { return State.RUNNING; }

    @Override public Running planned(StopPlan plan) { return new Running(run, plan); }
  }

  /**
   * STOPPING: the run was asked to stop and {@code stop()} called; {@code timer} is the stop timeout.
   *
   * @param failure what went wrong with the stop so far ({@code stop()} threw), else null
   */
  record Stopping(Run run, StopPlan stop, Scheduler.Cancellable timer, Failure failure) implements Live {
    @Override public State state() { return State.STOPPING; }

    @Override public Stopping planned(StopPlan plan) { return new Stopping(run, plan, timer, failure); }

    Stopping failed(Failure stopFailure) { return new Stopping(run, stop, timer, stopFailure); }
  }

  /**
   * What follows a requested stop once it is over.
   *
   * @param then what to do
   * @param failure for {@link AfterStop#HANDLE_FAILURE}, the failure to handle; else null
   * @param note for {@link AfterStop#STAY_STOPPED}, why it stays stopped if not by hand (its group ended); else null
   */
  record StopPlan(AfterStop then, Failure failure, String note) {
    StopPlan(AfterStop then, Failure failure) {
      this(then, failure, null);
    }

    static final StopPlan WAIT_FOR_DEPENDENCIES = new StopPlan(AfterStop.WAIT_FOR_DEPENDENCIES, null);
    static final StopPlan RESTART_BY_GROUP = new StopPlan(AfterStop.RESTART_BY_GROUP, null);
    static final StopPlan RESTART = new StopPlan(AfterStop.RESTART, null);
    static final StopPlan STAY_STOPPED = new StopPlan(AfterStop.STAY_STOPPED, null);
    static final StopPlan REMOVE = new StopPlan(AfterStop.REMOVE, null);

    /** @return the plan of higher rank: a later request of higher rank replaces a lower one */
    StopPlan strongest(StopPlan other) {
      return other == null || then.compareTo(other.then) >= 0 ? this : other;
    }

    /** @return whether the service is to run again after this stop (stay-stopped and removal end it) */
    boolean runsAgain() {
      return then != AfterStop.STAY_STOPPED && then != AfterStop.REMOVE;
    }
  }

  /**
   * What to do once a requested stop has finished, in rising rank. Why HANDLE_FAILURE outranks RESTART: a
   * manual restart of a service whose ready timeout has run out must still count that failure (else
   * restarting by hand would hide it); a stop or a removal outranks both, since the user asked to end it.
   */
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
    REMOVE
  }
}
