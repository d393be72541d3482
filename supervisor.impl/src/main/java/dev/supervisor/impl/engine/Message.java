package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;
import java.util.concurrent.CompletableFuture;

/**
 * Everything the control thread acts on. Other threads (API callers, run threads, timers) only ever
 * create one of these and post it; the control thread handles them one at a time, in order.
 */
sealed interface Message {

  /**
   * A message from a caller (the API, the OSGi adapter), as opposed to an event of a run or a timer: the
   * {@link Inbox} hands requests to the control thread ahead of events posted earlier.
   */
  sealed interface Request extends Message {
    /** @return the future the caller waits on; the control loop fails it if handling the request throws */
    CompletableFuture<?> reply();
  }

  /** @param handler the control thread's handler: this message calls the one method that handles it */
  void handledBy(Handler handler);

  /**
   * @return whether the {@link Inbox} takes it ahead of ordinary events posted earlier: requests, and what
   *     completes one (the end of a run that was asked to stop)
   */
  default boolean urgent() {
    return this instanceof Request;
  }

  /**
   * Every input the control thread handles, one method per message: the machine's table of contents (as
   * OTP's clause heads are), and a new message that nobody handles does not compile.
   */
  interface Handler {
    void onAdd(Add message);

    void onReject(Reject message);

    void onCommand(Command message);

    void onCommandAll(CommandAll message);

    void onRunEntered(RunEntered message);

    void onReady(Ready message);

    void onNotReady(NotReady message);

    void onRunEnded(RunEnded message);

    void onRestartDue(RestartDue message);

    void onDependencyOverdue(DependencyOverdue message);

    void onStopFailed(StopFailed message);

    void onReadyTimeout(ReadyTimeout message);

    void onStopTimeout(StopTimeout message);

    void onWatchReady(WatchReady message);

    void onShutdown(Shutdown message);

    void onUpdateSpec(UpdateSpec message);

    void onConfigureGroup(ConfigureGroup message);

    void onGroupCommand(GroupCommand message);

    void onGroupTermination(GroupTermination message);

    void onGroupResume(GroupResume message);

    void onGroupStopTimeout(GroupStopTimeout message);

    void onEscalated(Escalated message);

    void onSync(Sync message);
  }

  /**
   * A new service to supervise, under the registration id its caller was given; the reply carries the id.
   *
   * @param showRefused what a refusal (name taken, a cycle) becomes: false, only the failed reply (the caller
   *     waits for it and throws it); true, also a refused registration shown under {@code id}, as a
   *     {@link Reject} would show it (the caller went on without waiting, and may already hold the id)
   */
  record Add(long id, ServiceSpec spec, WorkerSource source, String owner, Escalator escalator,
      boolean showRefused, CompletableFuture<Long> reply) implements Request {
    @Override public void handledBy(Handler handler) { handler.onAdd(this); }

    @Override public String toString() { return "Add[" + spec.name() + " from " + owner + "]"; }
  }

  /**
   * A registration that could not be accepted, to be shown (FAILED, REJECTED) under the registration id its
   * caller was given, until it is withdrawn.
   */
  record Reject(long id, String name, String owner, SupervisorException error, CompletableFuture<Long> reply)
      implements Request {
    @Override public void handledBy(Handler handler) { handler.onReject(this); }

    @Override public String toString() { return "Reject[" + name + "]"; }
  }

  /** A manual command on one service; {@code id} 0 means any registration of that name. */
  record Command(Action action, String name, long id, CompletableFuture<Void> reply) implements Request {
    @Override public void handledBy(Handler handler) { handler.onCommand(this); }

    @Override public String toString() { return action + "[" + name + "]"; }
  }

  /** A manual command on every service. */
  record CommandAll(Action action, CompletableFuture<Void> reply) implements Request {
    @Override public void handledBy(Handler handler) { handler.onCommandAll(this); }

    @Override public String toString() { return action + "All"; }
  }

  /** The run thread has the instance and is about to call {@code run}. */
  record RunEntered(Run run) implements Message {
    @Override public void handledBy(Handler handler) { handler.onRunEntered(this); }
  }

  /** The worker called {@code ctx.ready()}. */
  record Ready(Run run) implements Message {
    @Override public void handledBy(Handler handler) { handler.onReady(this); }
  }

  /** A run thread called ctx.notReady(). */
  record NotReady(Run run) implements Message {
    @Override public void handledBy(Handler handler) { handler.onNotReady(this); }
  }

  /** {@code run} returned ({@code error} null) or threw. */
  record RunEnded(Run run, Throwable error) implements Message {
    /**
     * The end of a run asked to stop completes a stop someone waits for (a removal while its bundle stops, a
     * stopAll): it must not wait behind a crash storm's events. Taken early, it may overtake its own
     * RunEntered, which is then ignored as a message of a run that is over.
     */
    @Override public boolean urgent() { return run.stopRequested(); }

    @Override public void handledBy(Handler handler) { handler.onRunEnded(this); }
  }

  /**
   * A dependency has been missing for the service's grace period; stale unless it is still missing since
   * {@code sinceNanos}.
   */
  record DependencyOverdue(ServiceEntry entry, String dependency, long sinceNanos) implements Message {
    @Override public void handledBy(Handler handler) { handler.onDependencyOverdue(this); }

    @Override public String toString() { return "DependencyOverdue[" + entry.name + " on " + dependency + "]"; }
  }

  /** A backoff delay ran out; it is stale unless the service is still in the {@code backoff} that set it. */
  record RestartDue(ServiceEntry entry, Phase.BackingOff backoff) implements Message {
    @Override public void handledBy(Handler handler) { handler.onRestartDue(this); }

    @Override public String toString() { return "RestartDue[" + entry.name + "]"; }
  }

  /** The worker's {@code stop()} threw while its run was being stopped. */
  record StopFailed(Run run, Throwable error) implements Message {
    /** Part of a stop in progress: recorded before the run's end, which is urgent too. */
    @Override public boolean urgent() { return true; }

    @Override public void handledBy(Handler handler) { handler.onStopFailed(this); }
  }

  /** The ready timeout of a run ran out. */
  record ReadyTimeout(Run run) implements Message {
    @Override public void handledBy(Handler handler) { handler.onReadyTimeout(this); }
  }

  /** The stop timeout of a run ran out. */
  record StopTimeout(Run run) implements Message {
    /** Completes a stop someone may wait for, as the end of the run would. */
    @Override public boolean urgent() { return true; }

    @Override public void handledBy(Handler handler) { handler.onStopTimeout(this); }
  }

  /** Someone waits for the service to become RUNNING. */
  record WatchReady(String name, CompletableFuture<ServiceInfo> future) implements Request {
    @Override public CompletableFuture<ServiceInfo> reply() { return future; }

    @Override public void handledBy(Handler handler) { handler.onWatchReady(this); }
  }

  /** Stop everything in reverse order, then end; the reply completes when every run has ended. */
  record Shutdown(CompletableFuture<Void> reply) implements Request {
    @Override public void handledBy(Handler handler) { handler.onShutdown(this); }
  }

  /** New values for a registration's spec (same name and group; dependencies may change); used from the next decision on. */
  record UpdateSpec(long id, ServiceSpec spec, CompletableFuture<Void> reply) implements Request {
    @Override public void handledBy(Handler handler) { handler.onUpdateSpec(this); }

    @Override public String toString() { return "UpdateSpec[" + spec.name() + "]"; }
  }

  /** Creates or changes a group. */
  record ConfigureGroup(dev.supervisor.api.GroupSpec spec, CompletableFuture<Void> reply) implements Request {
    @Override public void handledBy(Handler handler) { handler.onConfigureGroup(this); }
  }

  /** A manual command on every service of a group and its descendants; STOP replies with the stragglers. */
  record GroupCommand(Action action, String path, CompletableFuture<java.util.List<String>> reply)
      implements Request {
    @Override public void handledBy(Handler handler) { handler.onGroupCommand(this); }
  }

  /**
   * A wait for a group's end; with {@code terminate}, the request to end it now (all its services stop, and
   * it ends as if its significant members had). The root's end is the supervisor's.
   */
  record GroupTermination(String path, boolean terminate, CompletableFuture<dev.supervisor.api.Termination> reply)
      implements Request {
    @Override public void handledBy(Handler handler) { handler.onGroupTermination(this); }
  }

  /** A group's restart pause (suptree's FailureBackoff) that began for {@code until} is over. */
  record GroupResume(GroupNode group, java.time.Instant until) implements Message {
    @Override public void handledBy(Handler handler) { handler.onGroupResume(this); }

    @Override public String toString() { return "GroupResume[" + group.path + "]"; }
  }

  /** A group's stop timeout ran out. */
  record GroupStopTimeout(GroupStop stop) implements Message {
    @Override public void handledBy(Handler handler) { handler.onGroupStopTimeout(this); }
  }

  /**
   * The escalator of a registration answered: {@code refusal} null means the escalation was set off, else
   * it says why it cannot be.
   */
  record Escalated(ServiceEntry entry, String refusal) implements Message {
    @Override public void handledBy(Handler handler) { handler.onEscalated(this); }

    @Override
    public String toString() {
      return "Escalated[" + entry.name + (refusal == null ? "" : ", refused") + "]";
    }
  }

  /** Does nothing; its reply tells a caller that every message posted before it was handled. */
  record Sync(CompletableFuture<Void> reply) implements Message {
    @Override public void handledBy(Handler handler) { handler.onSync(this); }
  }

  /** What a manual command asks for. */
  enum Action { START, STOP, RESTART, RESET, REMOVE }
}
