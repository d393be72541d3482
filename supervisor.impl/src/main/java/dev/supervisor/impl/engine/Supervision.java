package dev.supervisor.impl.engine;

import dev.supervisor.api.DoNotRestartException;
import dev.supervisor.api.Escalation;
import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.FatalException;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import dev.supervisor.api.Termination;
import dev.supervisor.impl.engine.ServiceEntry.AfterStop;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The supervision state machine. It runs on the control thread only: every method here is called from
 * {@link #handle}, one message at a time, so nothing in it needs a lock. It never calls worker or listener
 * code itself: runs, {@code stop()} calls, escalations and source releases go to {@link RunThreads};
 * snapshots, listener updates and answers to callers go out through the {@link Publisher}, after the
 * message is handled; timers post their messages through {@link Timers}.
 *
 * <p>Its collaborators follow one rule: each may answer (a query, or a decision value such as
 * {@link RestartBudget}'s), buffer (outputs released after the message), or post (to the mailbox); none
 * calls back into this class.
 *
 * <p>Graph walks use explicit work lists, never recursion, so a 10,000-deep dependency chain is fine.
 */
final class Supervision implements Message.Handler {
  /** At most one failure warning per service in this time: see {@link #logFailure}. */
  private static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(1);

  private final Timers timers;
  private final Jitter jitter;
  private final EngineLog log;
  private final RunThreads runThreads;
  private final Publisher publisher;

  private final ServiceTable table = new ServiceTable();
  private final BundleRefreshes refreshes = new BundleRefreshes();
  private final Groups groups = new Groups();
  private long nextId = 1;
  /** Set once the supervisor is ending: by close, by a fatal error, or by the root group giving up. */
  private Terminating terminating;
  /** Stops of whole groups that wait for their members (each bounded by the group's stop timeout). */
  private final List<GroupStop> groupStops = new ArrayList<>();
  /** Stamped on each launch, so REST_FOR_ONE can tell which services started after a failed one. */
  private long launchCounter;
  /** When the message being handled is handled: see {@link #now()}. */
  private Instant now;
  /** The same moment as a monotonic reading: see {@link #nowNanos()}. */
  private long nowNanos;

  /**
   * @param timers the clock, and alarms that post to the mailbox
   * @param jitter the randomness of restart delays
   * @param log where decisions and failures are written
   * @param runThreads where code the supervisor does not own runs
   * @param publisher what the outside sees, and when
   */
  Supervision(Timers timers, Jitter jitter, EngineLog log, RunThreads runThreads, Publisher publisher) {
    this.timers = timers;
    this.jitter = jitter;
    this.log = log;
    this.runThreads = runThreads;
    this.publisher = publisher;
    this.now = timers.now();
    this.nowNanos = timers.nanoTime();
    publisher.touch(groups.root);
    publisher.publishSnapshots(now, nowNanos, table, refreshes);
  }

  /**
   * Decides, then publishes snapshots; what to tell listeners and callers waits for {@link #deliver()}: see
   * {@link Publisher}.
   */
  void handle(Message message) {
    now = timers.now();
    nowNanos = timers.nanoTime();
    try {
      message.handledBy(this);
    } finally {
      publisher.publishSnapshots(now, nowNanos, table, refreshes);
      completeGroupStops();
      completeTerminationIfIdle();
    }
  }

  /**
   * Tells listeners, then answers callers, for every message handled since the last call. The control loop
   * calls it when no message waits (or after a batch of them): in a crash storm one hand-off to the
   * listeners' dispatcher then serves many messages, not one each.
   */
  void deliver() {
    publisher.deliver();
  }

  /** @return the invariants that do not hold now (tests check them after every message they step) */
  List<String> invariantViolations() {
    return Invariants.violations(table, publisher);
  }

  /** @return the registration of that name, for a test that steps the machine; null if none */
  ServiceEntry entryForTests(String name) {
    return table.byName(name);
  }

  // ---------------------------------------------------------------- what the machine handles

  @Override public void onAdd(Message.Add m) { add(m); }

  @Override public void onReject(Message.Reject m) { reject(m); }

  @Override public void onCommand(Message.Command m) { command(m); }

  @Override public void onCommandAll(Message.CommandAll m) { commandAll(m); }

  @Override public void onRunEntered(Message.RunEntered m) { runEntered(m.run()); }

  @Override public void onReady(Message.Ready m) { ready(m.run()); }

  @Override public void onNotReady(Message.NotReady m) { notReady(m.run()); }

  @Override public void onRunEnded(Message.RunEnded m) { runEnded(m.run(), m.error()); }

  @Override public void onRestartDue(Message.RestartDue m) { restartDue(m.entry(), m.generation()); }

  @Override public void onStopFailed(Message.StopFailed m) { stopFailed(m.run(), m.error()); }

  @Override public void onReadyTimeout(Message.ReadyTimeout m) { readyTimeout(m.run()); }

  @Override public void onStopTimeout(Message.StopTimeout m) { stopTimeout(m.run()); }

  @Override public void onWatchReady(Message.WatchReady m) { watchReady(m); }

  @Override public void onShutdown(Message.Shutdown m) { terminate(0, null, null, m.reply()); }

  @Override public void onUpdateSpec(Message.UpdateSpec m) { updateSpec(m); }

  @Override public void onConfigureGroup(Message.ConfigureGroup m) { configureGroup(m); }

  @Override public void onGroupCommand(Message.GroupCommand m) { groupCommand(m); }

  @Override public void onGroupResume(Message.GroupResume m) { groupResume(m.group(), m.until()); }

  @Override public void onGroupStopTimeout(Message.GroupStopTimeout m) { groupStopTimeout(m.stop()); }

  @Override public void onEscalated(Message.Escalated m) { escalated(m.entry(), m.refusal()); }

  @Override public void onSync(Message.Sync m) { reply(m.reply(), null); }

  // ---------------------------------------------------------------- registration

  private void add(Message.Add m) {
    ServiceSpec spec = m.spec();
    if (terminating != null) {
      m.reply().completeExceptionally(stopped(spec.name()));
      return;
    }
    ServiceEntry existing = table.byName(spec.name());
    if (existing != null) {
      m.reply().completeExceptionally(new SupervisorException(Kind.ALREADY_EXISTS, spec.name(),
          "service '" + spec.name() + "': property " + ServiceSpec.NAME + " = \"" + spec.name()
              + "\": a service of that name is already supervised (from " + existing.owner + ")"));
      return;
    }
    List<String> cycle = table.findCycle(spec.name(), spec.allDependencies());
    if (cycle != null) {
      m.reply().completeExceptionally(SupervisorException.circularDependency(spec.name(), cycle));
      return;
    }
    ServiceEntry entry = new ServiceEntry(nextId++, spec, m.source(), m.owner(), m.escalator(), now(), false);
    table.add(entry);
    // Members are not part of the published group snapshot (Engine adds them when read): adding a service
    // to a group of thousands must not copy its member list each time.
    entry.group = groups.get(spec.group()) != null ? groups.get(spec.group()) : groupCreatedOnFirstUse(spec.group());
    entry.group.members.add(entry);
    touchNeighbours(entry);
    setState(entry, State.IDLE, null);
    reply(m.reply(), entry.id);
    if (spec.autoStart()) {
      entry.wanted = true;
      tryStart(entry);
    }
  }

  private void reject(Message.Reject m) {
    long id = nextId++;
    String name = m.name();
    if (name == null || table.contains(name) || !isUsableName(name)) {
      name = "rejected#" + id + (name == null ? "" : " " + shorten(name));
    }
    ServiceSpec spec = ServiceSpec.builder(name).autoStart(false).build();
    ServiceEntry entry = new ServiceEntry(id, spec, null, m.owner(), Escalator.NONE, now(), true);
    table.add(entry);
    Failure failure = new Failure(FailureKind.REJECTED, m.error().getClass().getName(), m.error().getMessage(),
        "", now());
    entry.lastFailure = failure;
    touchNeighbours(entry);
    log.warn("rejected a registration from " + m.owner() + ": " + m.error().getMessage(), null);
    setState(entry, State.FAILED, failure);
    reply(m.reply(), id);
  }

  private static boolean isUsableName(String name) {
    try {
      ServiceSpec.builder(name).build();
      return true;
    } catch (SupervisorException e) {
      return false;
    }
  }

  /** Keeps a printable, short form of a rejected name, so the placeholder still hints at it. */
  private static String shorten(String name) {
    StringBuilder out = new StringBuilder();
    name.codePoints().limit(60).filter(c -> !Character.isISOControl(c)).forEach(out::appendCodePoint);
    return ("(" + out.toString().strip() + (name.length() > 60 ? "..." : "") + ")").replace("()", "(empty name)");
  }

  /** The neighbours' snapshots list this entry (dependents, missing dependencies): refresh them. */
  private void touchNeighbours(ServiceEntry entry) {
    table.dependenciesOf(entry).forEach(this::touch);
    table.dependentsOf(entry).forEach(this::touch);
  }

  private void removeEntry(ServiceEntry entry) {
    entry.cancelTimer();
    if (!entry.state.isResting()) {
      setState(entry, State.STOPPED, entry.stopFailure);
    }
    table.remove(entry);
    if (entry.lastFailure != null) {
      // Printed now, so that the failure lets go of the exception, and of its bundle's class loader with it.
      entry.lastFailure.stackTrace();
    }
    publisher.removed(entry);
    if (entry.group != null) {
      entry.group.members.remove(entry);
    }
    touchNeighbours(entry);
    SupervisorException gone = new SupervisorException(Kind.UNKNOWN_SERVICE, entry.name,
        "service '" + entry.name + "' was removed");
    for (CompletableFuture<ServiceInfo> waiter : entry.readyWaiters) {
      publisher.failLater(waiter, gone);
    }
    entry.readyWaiters.clear();
    for (CompletableFuture<Void> waiter : entry.removalWaiters) {
      if (entry.stopFailure == null) {
        reply(waiter, null);
      } else {
        // Removed all the same, but the caller must not believe it ended cleanly.
        SupervisorException unclean = new SupervisorException(Kind.STOP_FAILURE, entry.name, "service '"
            + entry.name + "' was removed, but it did not stop cleanly: " + entry.stopFailure);
        publisher.fail(waiter, unclean);
      }
    }
    entry.removalWaiters.clear();
    if (entry.source != null && entry.abandoned == null) {
      WorkerSource source = entry.source;
      // Off the control thread: releasing an OSGi service may run the provider's code.
      runThreads.release(entry.name, source);
    }
    log.info("service '" + entry.name + "' removed");
  }

  /**
   * New timings, limits, policy or dependencies for a service, from the next decision on: a running worker
   * is not disturbed, a scheduled restart keeps its time. New dependencies order every start and stop from
   * now on: one WAITING only for a dependency it no longer has starts, and a live one whose new dependency
   * is not RUNNING stops and waits for it. Name and group cannot change this way (the tree would have to be
   * rebuilt): that is a new registration.
   */
  private void updateSpec(Message.UpdateSpec m) {
    ServiceEntry entry = table.byId(m.id());
    ServiceSpec spec = m.spec();
    if (entry == null || entry.rejected) {
      m.reply().completeExceptionally(new SupervisorException(Kind.UNKNOWN_SERVICE, spec.name(),
          "no accepted registration #" + m.id() + " to update"));
      return;
    }
    if (!entry.name.equals(spec.name()) || !entry.spec.group().equals(spec.group())) {
      m.reply().completeExceptionally(new SupervisorException(Kind.ILLEGAL_STATE, entry.name,
          "service '" + entry.name + "': name and group cannot change on a running registration"));
      return;
    }
    boolean relink = !entry.spec.allDependencies().equals(spec.allDependencies());
    if (relink) {
      List<String> cycle = table.findCycle(spec.name(), spec.allDependencies());
      if (cycle != null) {
        m.reply().completeExceptionally(SupervisorException.circularDependency(spec.name(), cycle));
        return;
      }
      touchNeighbours(entry);
      table.relink(entry, spec.allDependencies());
    }
    entry.spec = spec;
    touch(entry);
    if (relink) {
      touchNeighbours(entry);
      if (entry.state == State.WAITING) {
        tryStart(entry);
      } else if (entry.hasLiveRun() && entry.afterStop == null && !dependenciesRunning(entry)) {
        // A service runs only while its dependencies do: one that now depends on a service that is not
        // RUNNING stops and waits for it (else neither could start: a dependency waits for live dependents).
        requestStop(entry, AfterStop.WAIT_FOR_DEPENDENCIES);
      }
    }
    reply(m.reply(), null);
  }

  // ---------------------------------------------------------------- commands

  private void command(Message.Command m) {
    ServiceEntry entry = m.name() == null ? table.byId(m.id()) : table.byName(m.name());
    if (entry == null || (m.id() != 0 && entry.id != m.id())) {
      String which = m.name() == null ? "registration #" + m.id() : "service named '" + m.name() + "'";
      m.reply().completeExceptionally(new SupervisorException(Kind.UNKNOWN_SERVICE, m.name(),
          "no " + which + " is supervised"
              + (entry == null ? "" : " under that registration (it was removed and added again)")));
      return;
    }
    if (terminating != null && m.action() != Message.Action.REMOVE) {
      m.reply().completeExceptionally(stopped(m.name()));
      return;
    }
    try {
      switch (m.action()) {
        case START -> start(entry);
        case STOP -> requestStop(entry, AfterStop.STAY_STOPPED);
        case RESTART -> restart(entry);
        case RESET -> reset(entry);
        case REMOVE -> {
          entry.removalWaiters.add(m.reply());
          requestStop(entry, AfterStop.REMOVE);
          return;
        }
        default -> throw new AssertionError(m.action());
      }
      reply(m.reply(), null);
    } catch (SupervisorException e) {
      m.reply().completeExceptionally(e);
    }
  }

  private void commandAll(Message.CommandAll m) {
    if (terminating != null) {
      m.reply().completeExceptionally(stopped(null));
      return;
    }
    for (ServiceEntry entry : table.copyOfAll()) {
      if (!table.isCurrent(entry)) {
        continue; // removed by an earlier one of these commands
      }
      switch (m.action()) {
        case START -> {
          if (entry.state != State.FAILED) {
            start(entry);
          }
        }
        case STOP -> requestStop(entry, AfterStop.STAY_STOPPED);
        case RESTART -> {
          if (entry.state != State.FAILED) {
            restart(entry);
          }
        }
        case RESET -> reset(entry);
        default -> throw new AssertionError(m.action());
      }
    }
    reply(m.reply(), null);
  }

  private void start(ServiceEntry entry) {
    refuseIfFailed(entry, "start");
    if (entry.afterStop == AfterStop.STAY_STOPPED) {
      entry.afterStop = AfterStop.RESTART;
      entry.wanted = true;
      return;
    }
    if (entry.hasLiveRun() || entry.afterStop != null) {
      return;
    }
    entry.wanted = true;
    if (entry.state == State.BACKOFF) {
      entry.cancelTimer();
    }
    tryStart(entry);
  }

  private void restart(ServiceEntry entry) {
    refuseIfFailed(entry, "restart");
    if (entry.hasLiveRun()) {
      entry.wanted = true;
      if (entry.afterStop == AfterStop.STAY_STOPPED || entry.afterStop == AfterStop.WAIT_FOR_DEPENDENCIES) {
        entry.afterStop = AfterStop.RESTART;
      }
      requestStop(entry, AfterStop.RESTART);
      return;
    }
    entry.wanted = true;
    entry.cancelTimer();
    tryStart(entry);
  }

  private void refuseIfFailed(ServiceEntry entry, String what) {
    if (entry.state == State.FAILED) {
      String why = entry.rejected ? "its registration was rejected: " + entry.lastFailure.message()
          : "it is FAILED; reset it first";
      throw new SupervisorException(Kind.ILLEGAL_STATE, entry.name,
          "cannot " + what + " service '" + entry.name + "': " + why);
    }
  }

  private void reset(ServiceEntry entry) {
    entry.restartCount = 0;
    entry.consecutiveFailures = 0;
    entry.window.clear();
    entry.currentDelay = Duration.ZERO;
    // A reset re-arms the escalation: the name may have its bundle refreshed once more.
    refreshes.rearm(entry.name);
    entry.awaitingEscalation = false;
    touch(entry);
    if (entry.rejected) {
      return;
    }
    if (entry.state == State.FAILED) {
      if (entry.spec.autoStart()) {
        entry.wanted = true;
        tryStart(entry);
      } else {
        setState(entry, State.IDLE, null);
      }
    } else if (entry.state == State.BACKOFF) {
      entry.cancelTimer();
      tryStart(entry);
    }
  }

  /**
   * Ends the supervisor: every service stops in reverse dependency order; once no run is left, listeners
   * hear how it ended and {@code whenTerminated} completes. The first reason wins; later ones only wait.
   */
  private void terminate(int exitStatus, String service, Failure cause, CompletableFuture<Void> reply) {
    if (terminating != null) {
      if (reply != null && terminating.done) {
        reply(reply, null);
      } else if (reply != null) {
        terminating.replies.add(reply);
      }
      return;
    }
    terminating = new Terminating(exitStatus, service, cause);
    if (reply != null) {
      terminating.replies.add(reply);
    }
    if (cause == null) {
      log.info("supervisor closing: stopping " + table.size() + " services in reverse dependency order");
    } else {
      log.error("supervisor terminating with exit status " + exitStatus + " because of service '" + service + "': "
          + cause + "; stopping every service in reverse dependency order", null);
    }
    for (ServiceEntry entry : table.copyOfAll()) {
      requestStop(entry, AfterStop.STAY_STOPPED);
    }
  }

  private void completeTerminationIfIdle() {
    if (terminating == null || terminating.done) {
      return;
    }
    for (ServiceEntry entry : table.all()) {
      if (entry.hasLiveRun()) {
        return;
      }
    }
    terminating.done = true;
    for (ServiceEntry entry : table.all()) {
      entry.cancelTimer();
      if (entry.source != null && entry.abandoned == null) {
        // Off the control thread, as at removal: the worker pool is still there until close() ends it.
        runThreads.release(entry.name, entry.source);
      }
    }
    for (GroupNode group : groups.all()) {
      if (group.pauseTimer != null) {
        group.pauseTimer.cancel();
      }
    }
    Termination termination = new Termination(now(), terminating.exitStatus,
        java.util.Optional.ofNullable(terminating.service), java.util.Optional.ofNullable(terminating.cause));
    publisher.terminated(termination);
    for (CompletableFuture<Void> reply : terminating.replies) {
      reply(reply, null);
    }
  }

  private void watchReady(Message.WatchReady m) {
    ServiceEntry entry = table.byName(m.name());
    if (entry == null) {
      publisher.failLater(m.future(), new SupervisorException(Kind.UNKNOWN_SERVICE,
          m.name(), "no service named '" + m.name() + "' is supervised"));
      return;
    }
    entry.readyWaiters.removeIf(CompletableFuture::isDone);
    entry.readyWaiters.add(m.future());
    touch(entry); // publishDirty completes it at once if the service is RUNNING or FAILED
  }

  // ---------------------------------------------------------------- starting

  /** Starts the entry if it wants to run and every dependency is RUNNING; otherwise it WAITs. */
  private void tryStart(ServiceEntry entry) {
    if (!entry.wanted || entry.rejected || entry.hasLiveRun() || entry.afterStop != null || terminating != null) {
      return;
    }
    if (entry.abandoned != null || table.hasAbandonedRun(entry.name) || !dependenciesRunning(entry)
        || dependentStillLive(entry)) {
      setState(entry, State.WAITING, null);
      return;
    }
    launch(entry);
  }

  /**
   * A dependency comes back only once every dependent that was running has stopped (DESIGN: dependents
   * stop first and start again once it is RUNNING): a dependent still inside its run keeps it WAITING.
   * {@link #wakeDependencies} tries again when a run ends.
   */
  private boolean dependentStillLive(ServiceEntry entry) {
    for (ServiceEntry dependent : table.dependentsOf(entry)) {
      if (dependent.hasLiveRun()) {
        return true;
      }
    }
    return false;
  }

  /** A run of {@code entry} ended: a dependency that waited for it may start now. */
  private void wakeDependencies(ServiceEntry entry) {
    for (ServiceEntry dependency : table.dependenciesOf(entry)) {
      if (dependency.state == State.WAITING) {
        tryStart(dependency);
      }
    }
  }

  private boolean dependenciesRunning(ServiceEntry entry) {
    for (String name : entry.spec.allDependencies()) {
      ServiceEntry dependency = table.byName(name); // a missing one is not RUNNING either
      if (dependency == null || dependency.state != State.RUNNING || dependency.afterStop != null) {
        return false;
      }
    }
    return true;
  }

  private void launch(ServiceEntry entry) {
    entry.cancelTimer();
    entry.attempts++;
    entry.startCount++;
    entry.launchStamp = ++launchCounter;
    entry.stopReason = null;
    entry.lastStart = now();
    entry.lastStartNanos = nowNanos();
    entry.awaitingEscalation = false; // started by hand before the escalator answered: a refusal changes nothing
    Run run = runThreads.newRun(entry, entry.attempts);
    entry.run = run;
    setState(entry, State.STARTING, null);
    if (entry.spec.readiness() == Readiness.EXPLICIT) {
      entry.timer = timers.after(entry.spec.readyTimeout(), new Message.ReadyTimeout(run));
    }
    runThreads.launch(run);
  }

  private void runEntered(Run run) {
    ServiceEntry entry = run.entry();
    if (entry.run == run && entry.state == State.STARTING && entry.afterStop == null
        && entry.spec.readiness() == Readiness.AUTO) {
      becomeRunning(entry);
    }
  }

  private void ready(Run run) {
    ServiceEntry entry = run.entry();
    if (entry.run == run && entry.state == State.STARTING && entry.afterStop == null) {
      becomeRunning(entry);
    }
  }

  /**
   * The worker said it is no longer ready: back to STARTING, without a new run and without counting
   * anything; its dependents stop first and wait, as for any dependency that leaves RUNNING.
   */
  private void notReady(Run run) {
    ServiceEntry entry = run.entry();
    if (entry.run != run || entry.state != State.RUNNING || entry.afterStop != null
        || entry.spec.readiness() != Readiness.EXPLICIT) {
      return; // as RunContext.notReady says: only an EXPLICIT worker can be ready, so only it can stop being so
    }
    leaveRunning(entry);
    setState(entry, State.STARTING, null);
    stopDependents(entry);
  }

  private void becomeRunning(ServiceEntry entry) {
    entry.cancelTimer();
    Instant now = now();
    entry.runningSince = now;
    entry.runningSinceNanos = nowNanos();
    // Once per run: a worker that went back to STARTING (notReady) and is ready again is the same run.
    if (!entry.run.reachedRunning) {
      entry.run.reachedRunning = true;
      entry.runsThatReachedRunning++;
      entry.timeToReady = Duration.ofNanos(Math.max(0, nowNanos() - entry.lastStartNanos));
    }
    setState(entry, State.RUNNING, null);
    for (ServiceEntry dependent : table.dependentsOf(entry)) {
      if (dependent.state == State.WAITING) {
        tryStart(dependent);
      }
    }
  }

  private void readyTimeout(Run run) {
    ServiceEntry entry = run.entry();
    if (entry.run != run || entry.state != State.STARTING || entry.afterStop != null) {
      return;
    }
    entry.failureAfterStop = new Failure(FailureKind.READY_TIMEOUT, "",
        "no ctx.ready() within " + ServiceSpec.READY_TIMEOUT + " = " + entry.spec.readyTimeout(), "", now());
    requestStop(entry, AfterStop.HANDLE_FAILURE);
  }

  // ---------------------------------------------------------------- ending

  private void runEnded(Run run, Throwable error) {
    ServiceEntry entry = run.entry();
    if (entry.abandoned == run) {
      entry.abandoned = null;
      log.info("service '" + entry.name + "': the abandoned " + run + " returned at last");
      ServiceEntry current = table.byName(entry.name);
      if (current != entry) {
        table.abandonedRunReturned(entry.name, run);
        runThreads.release(entry.name, entry.source);
      }
      if (current != null && current.state == State.WAITING) {
        tryStart(current);
      }
      wakeDependencies(entry);
      return;
    }
    if (entry.run != run) {
      return;
    }
    entry.run = null;
    entry.lastStop = now();
    long uptime = leaveRunning(entry);
    if (entry.afterStop != null) {
      if (error != null && !(error instanceof InterruptedException)) {
        log.info("service '" + entry.name + "' threw while stopping (not counted as a failure): " + error);
      }
      finishStop(entry, null);
      return;
    }
    entry.cancelTimer();
    stopDependents(entry);
    wakeDependencies(entry);
    if (error == null || error instanceof DoNotRestartException) {
      ended(entry, (DoNotRestartException) error);
    } else if (error instanceof FatalException fatal) {
      fatal(entry, fatal);
    } else {
      FailureKind kind = error instanceof RuntimeException || error instanceof Error
          ? FailureKind.PANIC : FailureKind.EXCEPTION;
      handleFailure(entry, failure(kind, error), uptime);
    }
  }

  /**
   * {@code run} returned normally, or threw DoNotRestartException. Under ALWAYS it is restarted, within its
   * restart limits like any restart (OTP counts a permanent child's normal exits toward its intensity too):
   * a worker that returns at once must not restart for ever, nor spend the budget its real failures need.
   */
  private void ended(ServiceEntry entry, DoNotRestartException doNotRestart) {
    entry.successCount++;
    entry.consecutiveFailures = 0;
    if (doNotRestart != null) {
      // Kept and shown (ServiceInfo, the STOPPED update, JMX, the shell), as DoNotRestartException promises.
      entry.stopReason = doNotRestart.getMessage() == null ? DoNotRestartException.class.getSimpleName()
          : doNotRestart.getMessage();
      log.info("service '" + entry.name + "' ended for good: " + entry.stopReason);
    }
    RestartBudget.Decision decision = budget(entry, doNotRestart == null ? RestartBudget.Outcome.RETURNED
        : RestartBudget.Outcome.DO_NOT_RESTART);
    if (decision instanceof RestartBudget.Decision.Restart restart) {
      scheduleRestart(entry, restart.delay(), null);
    } else if (decision instanceof RestartBudget.Decision.GiveUp giveUp) {
      entry.lastFailure = new Failure(FailureKind.RESTART_LIMIT, "", "run returned normally (" + ServiceSpec.RESTART
          + " = ALWAYS) and " + giveUp.why(), "", now());
      giveUp(entry, entry.lastFailure, giveUp.why());
    } else {
      entry.wanted = false;
      setState(entry, State.STOPPED, null);
    }
  }

  private RestartBudget.Decision budget(ServiceEntry entry, RestartBudget.Outcome outcome) {
    ServiceSpec spec = entry.spec;
    int inWindow = spec.maxRestartsInWindow() > 0 ? entry.window.count(nowNanos(), spec.restartWindow()) : 0;
    return RestartBudget.decide(spec, outcome, entry.restartCount, inWindow, entry.consecutiveFailures,
        jitter.offset(spec.jitter()));
  }

  private void fatal(ServiceEntry entry, FatalException fatal) {
    Failure failure = failure(FailureKind.FATAL, fatal);
    entry.failureCount++;
    entry.lastFailure = failure;
    entry.wanted = false;
    setState(entry, State.FAILED, failure);
    terminate(fatal.exitStatus(), entry.name, failure, null);
  }

  /** @param uptime how long the failed run was RUNNING, in nanoseconds */
  private void handleFailure(ServiceEntry entry, Failure failure, long uptime) {
    ServiceSpec spec = entry.spec;
    entry.failureCount++;
    entry.lastFailure = failure;
    // A run that outlived the window was healthy: this failure starts a new streak, with the first delay.
    if (uptime >= spec.restartWindow().toNanos()) {
      entry.consecutiveFailures = 0;
    }
    entry.consecutiveFailures++;
    logFailure(entry, failure);
    RestartBudget.Decision decision = budget(entry, RestartBudget.Outcome.FAILED);
    if (decision instanceof RestartBudget.Decision.Rest) {
      entry.wanted = false;
      setState(entry, State.STOPPED, failure);
      return;
    }
    if (decision instanceof RestartBudget.Decision.GiveUp giveUp) {
      giveUp(entry, failure, giveUp.why());
      return;
    }
    Duration delay = ((RestartBudget.Decision.Restart) decision).delay();
    applyGroupDecision(entry, failure, delay, groups.onMemberFailure(entry.group, entry, nowNanos()));
  }

  /**
   * Applies what the tree decided about a failure of {@code culprit}: groups that fail as a whole (and the
   * supervisor ending if the root does), a pause, the culprit's restart, and what restarts with it.
   */
  private void applyGroupDecision(ServiceEntry culprit, Failure failure, Duration delay, Groups.Decision decision) {
    decision.changed().forEach(this::touch);
    for (GroupNode failedGroup : decision.failed()) {
      failedGroup.escalations++;
      failedGroup.lastFailure = new Failure(failure.kind(), failure.exceptionClass(), failedGroup
          + " exceeded " + GroupSpec.MAX_RESTARTS + " = " + failedGroup.spec.maxRestarts() + " within "
          + GroupSpec.RESTART_WINDOW + " = " + failedGroup.spec.restartWindow() + "; last failure, of service '"
          + culprit.name + "': " + failure.message(), failure::stackTrace, now());
      log.error(failedGroup.lastFailure.message() + "; the group fails as a whole", null);
    }
    if (decision.rootGaveUp()) {
      groups.root.failed = true;
      culprit.wanted = false;
      setState(culprit, State.FAILED, failure);
      terminate(1, culprit.name, groups.root.lastFailure, null);
      return;
    }
    if (decision.pause() != null) {
      pause(decision.pause());
    }
    if (decision.failed().isEmpty()) {
      scheduleRestart(culprit, max(delay, Groups.pauseLeft(culprit.group, nowNanos())), failure);
    } else {
      // Its group is restarted afresh: at once, its own backoff forgotten (the group's restart is the remedy).
      culprit.restartCount++;
      culprit.window.record(nowNanos(), culprit.spec.restartWindow(), culprit.spec.maxRestartsInWindow());
      culprit.currentDelay = Duration.ZERO;
      setState(culprit, State.BACKOFF, failure);
    }
    decision.restart().forEach(this::restartForGroupRequest);
    if (!decision.failed().isEmpty()) {
      restartForGroup(culprit, null);
    }
  }

  /**
   * One warning per failure, but at most one a second per service: a crash storm must not flood the log
   * (nor spend its time building lines). The next line says how many were left out; the counts are exact.
   */
  private void logFailure(ServiceEntry entry, Failure failure) {
    if (entry.failureLogged && nowNanos() < entry.failureLogQuietUntil) {
      entry.failuresNotLogged++;
      return;
    }
    String left = entry.failuresNotLogged == 0 ? ""
        : " (" + entry.failuresNotLogged + " earlier failures within a second of a logged one were not logged)";
    log.warn("service '" + entry.name + "' failed (" + entry.consecutiveFailures + " in a row): " + failure + left,
        null);
    entry.failuresNotLogged = 0;
    entry.failureLogQuietUntil = nowNanos() + FAILURE_LOG_INTERVAL.toNanos();
    entry.failureLogged = true;
  }

  /** The service's own restart limits are used up: escalate once if its spec says so, else FAILED. */
  private void giveUp(ServiceEntry entry, Failure failure, String why) {
    entry.wanted = false;
    Escalation escalation = entry.spec.escalate();
    if (escalation != Escalation.NONE && refreshes.claim(entry.name)) {
      escalate(entry, escalation, failure, why);
      return;
    }
    String used = escalation == Escalation.NONE ? ""
        : "; " + ServiceSpec.ESCALATE + " = " + escalation + " was used already (a reset allows it again)";
    log.error("service '" + entry.name + "' FAILED: " + why + used + "; last failure: " + failure, null);
    setState(entry, State.FAILED, failure);
  }

  /**
   * Instead of FAILED: the service rests STOPPED with its last failure, and its escalator (the bundle refresh)
   * is called off the control thread. The refresh stops the bundle, which removes this registration, and
   * starts it again, which registers the service anew; {@link BundleRefreshes} keeps that one from escalating.
   */
  private void escalate(ServiceEntry entry, Escalation escalation, Failure failure, String why) {
    log.warn("service '" + entry.name + "': " + why + "; escalating (" + ServiceSpec.ESCALATE + " = " + escalation
        + ") before declaring it FAILED; last failure: " + failure, null);
    entry.awaitingEscalation = true;
    setState(entry, State.STOPPED, failure, escalation);
    runThreads.escalate(entry, escalation);
  }

  /** The escalator answered; if it refused, the refresh is not counted and the service is FAILED after all. */
  private void escalated(ServiceEntry entry, String refusal) {
    if (refusal == null) {
      log.info("service '" + entry.name + "': its bundle is being refreshed (" + ServiceSpec.ESCALATE + ")");
      return;
    }
    refreshes.refused(entry.name);
    ServiceEntry current = table.byName(entry.name);
    if (current != null) {
      touch(current); // the count belongs to the name, whichever registration holds it now
    }
    if (current != entry || !entry.awaitingEscalation || entry.state != State.STOPPED) {
      log.info("service '" + entry.name + "': escalation refused (" + refusal + "), but it was started, reset or "
          + "removed meanwhile; left as it is");
      return;
    }
    entry.awaitingEscalation = false;
    log.error("service '" + entry.name + "' FAILED: its restarts are used up and its bundle cannot be refreshed ("
        + ServiceSpec.ESCALATE + " = " + entry.spec.escalate() + "): " + refusal + "; last failure: "
        + entry.lastFailure, null);
    setState(entry, State.FAILED, entry.lastFailure);
  }

  private void scheduleRestart(ServiceEntry entry, Duration delay, Failure failure) {
    entry.restartCount++;
    entry.window.record(nowNanos(), entry.spec.restartWindow(), entry.spec.maxRestartsInWindow());
    entry.currentDelay = delay;
    setState(entry, State.BACKOFF, failure);
    entry.cancelTimer();
    if (delay.isZero()) {
      tryStart(entry);
      return;
    }
    long generation = entry.timerGeneration;
    entry.nextRestartAt = now().plus(delay);
    entry.timer = timers.after(delay, new Message.RestartDue(entry, generation));
  }

  private void restartDue(ServiceEntry entry, long generation) {
    if (!table.isCurrent(entry) || entry.timerGeneration != generation || entry.state != State.BACKOFF) {
      return;
    }
    entry.timer = null;
    entry.nextRestartAt = null;
    Duration pause = Groups.pauseLeft(entry.group, nowNanos());
    if (!pause.isZero()) {
      // The group paused its restarts after this one was scheduled: it waits for the pause to end.
      waitInBackoff(entry, pause);
      return;
    }
    tryStart(entry);
  }

  /**
   * @return how long the run that is ending was RUNNING, in nanoseconds (zero if it never got there); kept in
   *     nanoseconds rather than {@code Duration}s, which this path would allocate on every restart
   */
  private long leaveRunning(ServiceEntry entry) {
    if (entry.runningSince == null) {
      entry.lastRunUptime = 0;
      return 0;
    }
    long uptime = Math.max(0, nowNanos() - entry.runningSinceNanos);
    entry.finishedUptime += uptime;
    entry.runningSince = null;
    entry.lastRunUptime = uptime;
    return uptime;
  }

  // ---------------------------------------------------------------- stopping

  /**
   * Asks {@code root} to stop with the given outcome, and every live service that depends on it,
   * directly or not, to stop first and then wait for it. Stops begin deepest-first: a service stops only
   * once none of its dependents has a live run.
   */
  private void requestStop(ServiceEntry root, AfterStop afterStop) {
    List<ServiceEntry> marked = new ArrayList<>();
    mark(root, afterStop, marked);
    if (root.hasLiveRun()) {
      collectLiveDependents(root, marked);
    }
    for (ServiceEntry entry : marked) {
      maybeBeginStop(entry);
    }
  }

  private void stopDependents(ServiceEntry entry) {
    if (!table.hasDependents(entry)) {
      return;
    }
    List<ServiceEntry> marked = new ArrayList<>();
    collectLiveDependents(entry, marked);
    for (ServiceEntry dependent : marked) {
      maybeBeginStop(dependent);
    }
  }

  private void collectLiveDependents(ServiceEntry root, List<ServiceEntry> marked) {
    if (!table.hasDependents(root)) {
      return; // the common case, and on the restart path: no walk, nothing allocated
    }
    Set<ServiceEntry> seen = new HashSet<>();
    Deque<ServiceEntry> work = new ArrayDeque<>();
    work.push(root);
    while (!work.isEmpty()) {
      ServiceEntry current = work.pop();
      for (ServiceEntry dependent : table.dependentsOf(current)) {
        // A dependent without a live run has no live dependents either: they would need it RUNNING.
        // One already asked to stop had its own dependents marked then (none can have started since),
        // so the walk ends there too: stopping everything is O(services + edges), not quadratic.
        if (dependent.hasLiveRun() && dependent.afterStop == null && seen.add(dependent)) {
          mark(dependent, AfterStop.WAIT_FOR_DEPENDENCIES, marked);
          work.push(dependent);
        }
      }
    }
  }

  private void mark(ServiceEntry entry, AfterStop afterStop, List<ServiceEntry> marked) {
    if (afterStop == AfterStop.STAY_STOPPED || afterStop == AfterStop.REMOVE) {
      entry.wanted = false;
    }
    if (entry.hasLiveRun()) {
      entry.afterStop = afterStop.strongest(entry.afterStop);
      marked.add(entry);
      return;
    }
    // Nothing runs: the outcome applies at once.
    switch (afterStop) {
      case STAY_STOPPED -> {
        entry.cancelTimer();
        if (entry.state == State.WAITING || entry.state == State.BACKOFF) {
          setState(entry, State.STOPPED, null);
        }
      }
      case REMOVE -> removeEntry(entry);
      case RESTART -> {
        entry.wanted = true;
        entry.cancelTimer();
        tryStart(entry);
      }
      case RESTART_BY_GROUP -> restartForGroup(entry, null);
      case WAIT_FOR_DEPENDENCIES, HANDLE_FAILURE -> { }
      default -> throw new AssertionError(afterStop);
    }
  }

  private void maybeBeginStop(ServiceEntry entry) {
    Run run = entry.run;
    if (entry.afterStop == null || run == null || run.stopRequested()) {
      return;
    }
    for (ServiceEntry dependent : table.dependentsOf(entry)) {
      if (dependent.hasLiveRun()) {
        if (dependent.afterStop == null) {
          // It started after the stop was asked for; it must go first all the same.
          dependent.afterStop = AfterStop.WAIT_FOR_DEPENDENCIES;
          maybeBeginStop(dependent);
        }
        return;
      }
    }
    beginStop(entry, run);
  }

  private void beginStop(ServiceEntry entry, Run run) {
    entry.cancelTimer();
    entry.stopFailure = null;
    run.requestStop();
    setState(entry, State.STOPPING, null);
    runThreads.callStop(run);
    entry.timer = timers.after(entry.spec.stopTimeout(), new Message.StopTimeout(run));
  }

  /**
   * The worker's {@code stop()} threw: a failure of the service (counted, shown as its last failure, on the
   * update that ends the stop, and reported to a caller that removes it), but the stop goes on: {@code run}
   * may still return, else the stop timeout ends it.
   */
  private void stopFailed(Run run, Throwable error) {
    ServiceEntry entry = run.entry();
    if (!table.isCurrent(entry)) {
      return; // removed meanwhile: nobody left to show it to
    }
    Failure failure = failure(FailureKind.STOP_FAILURE, error);
    entry.failureCount++;
    entry.lastFailure = failure;
    if (entry.run == run) {
      entry.stopFailure = failure;
    }
    touch(entry);
    log.warn("service '" + entry.name + "': stop() threw; still waiting for run to return: " + failure, error);
  }

  private void stopTimeout(Run run) {
    ServiceEntry entry = run.entry();
    if (entry.run != run) {
      return;
    }
    Thread thread = run.thread();
    String stack = thread == null ? "" : stackOf(thread);
    run.interruptIfRunning();
    Failure failure = new Failure(FailureKind.STOP_TIMEOUT, "",
        "run did not return within " + ServiceSpec.STOP_TIMEOUT + " = " + entry.spec.stopTimeout()
            + "; its thread was interrupted and abandoned" + (thread == null ? "" : " (" + thread.getName() + ")"),
        stack, now());
    entry.failureCount++;
    entry.lastFailure = failure;
    entry.stopFailure = failure;
    log.warn("service '" + entry.name + "': " + failure.message() + "\n" + stack, null);
    entry.abandoned = run;
    entry.run = null;
    entry.lastStop = now();
    leaveRunning(entry);
    finishStop(entry, failure);
  }

  /** The stop asked for has happened (or was given up on): apply its outcome, then let dependencies stop. */
  private void finishStop(ServiceEntry entry, Failure timeout) {
    // Shown on the update that ends the stop: the stop timeout, or what stop() threw meanwhile.
    Failure failure = timeout != null ? timeout : entry.stopFailure;
    AfterStop afterStop = entry.afterStop;
    entry.afterStop = null;
    entry.cancelTimer();
    switch (afterStop) {
      case STAY_STOPPED -> {
        entry.wanted = false;
        setState(entry, State.STOPPED, failure);
      }
      case WAIT_FOR_DEPENDENCIES -> startAgain(entry, failure);
      case RESTART -> {
        entry.wanted = true;
        startAgain(entry, failure);
      }
      case RESTART_BY_GROUP -> restartForGroup(entry, failure);
      case HANDLE_FAILURE -> {
        Failure cause = entry.failureAfterStop;
        entry.failureAfterStop = null;
        handleFailure(entry, cause, entry.lastRunUptime);
      }
      case REMOVE -> removeEntry(entry);
      default -> throw new AssertionError(afterStop);
    }
    for (ServiceEntry dependency : table.dependenciesOf(entry)) {
      maybeBeginStop(dependency);
    }
    wakeDependencies(entry);
  }

  /** After a stop that is to be followed by a start: start at once if possible, else wait. */
  private void startAgain(ServiceEntry entry, Failure failure) {
    tryStart(entry);
    if (entry.state == State.STOPPING) {
      setState(entry, entry.wanted && terminating == null ? State.WAITING : State.STOPPED, failure);
    }
  }

  // ---------------------------------------------------------------- groups

  private void configureGroup(Message.ConfigureGroup m) {
    if (terminating != null) {
      m.reply().completeExceptionally(stopped(null));
      return;
    }
    GroupNode group = groupCreatedOnFirstUse(m.spec().path());
    group.spec = m.spec();
    log.info("configured " + m.spec());
    reply(m.reply(), null);
  }

  /** @return the group, created if need be; it and its ancestors (whose children may have changed) are republished */
  private GroupNode groupCreatedOnFirstUse(String path) {
    GroupNode existing = groups.get(path);
    if (existing != null) {
      touch(existing);
      return existing;
    }
    GroupNode group = groups.getOrCreate(path);
    for (GroupNode node = group; node != null; node = node.parent) {
      touch(node);
    }
    return group;
  }

  private void groupCommand(Message.GroupCommand m) {
    GroupNode group = groups.get(m.path());
    if (group == null) {
      m.reply().completeExceptionally(new SupervisorException(Kind.UNKNOWN_SERVICE, null,
          "no group '" + m.path() + "' exists"));
      return;
    }
    if (terminating != null) {
      m.reply().completeExceptionally(stopped(null));
      return;
    }
    List<ServiceEntry> services = groups.servicesUnder(group);
    switch (m.action()) {
      case RESTART -> services.stream().filter(e -> e.state != State.FAILED).forEach(this::restart);
      case RESET -> {
        for (GroupNode node : groups.groupsUnder(group)) {
          node.intensity.reset();
          node.window.clear();
          node.failed = false;
          Groups.endPause(node);
          touch(node);
        }
        services.forEach(this::reset);
      }
      case STOP -> {
        GroupStop stop = new GroupStop(group, services, m.reply());
        services.forEach(entry -> requestStop(entry, AfterStop.STAY_STOPPED));
        groupStops.add(stop);
        stop.timer = timers.after(group.spec.stopTimeout(), new Message.GroupStopTimeout(stop));
        return; // replied when every member has stopped, or with the stragglers at the timeout
      }
      default -> throw new AssertionError(m.action());
    }
    reply(m.reply(), List.of());
  }

  private void completeGroupStops() {
    if (groupStops.isEmpty()) {
      return;
    }
    for (GroupStop stop : new ArrayList<>(groupStops)) {
      if (stop.services.stream().noneMatch(ServiceEntry::hasLiveRun)) {
        groupStops.remove(stop);
        stop.timer.cancel();
        reply(stop.reply, List.of());
      }
    }
  }

  /**
   * A group's stop timeout ran out: the members whose stop has begun and whose run has not returned are
   * interrupted, abandoned and named. A member still waiting for a live dependent outside the group is named
   * but left alone: dependents stop first, always (abandoning it would leave the dependent running on it).
   */
  private void groupStopTimeout(GroupStop stop) {
    if (!groupStops.remove(stop)) {
      return;
    }
    // A member started again after the group stop (its stop done, a new run without a stop request) is
    // no straggler: only runs still asked to stop count.
    List<String> stuck = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (ServiceEntry entry : stop.services) {
      Run run = entry.run;
      if (run == null || entry.afterStop == null) {
        continue;
      }
      if (run.stopRequested()) {
        stuck.add(entry.name);
        stopTimeout(run);
      } else {
        waiting.add(entry.name);
      }
    }
    List<String> stragglers = new ArrayList<>(stuck);
    stragglers.addAll(waiting);
    Failure failure = new Failure(FailureKind.STOP_TIMEOUT, "", "stopping group '" + stop.group.path
        + "' took longer than " + GroupSpec.STOP_TIMEOUT + " = " + stop.group.spec.stopTimeout()
        + "; not stopped (interrupted and abandoned): " + stuck
        + (waiting.isEmpty() ? "" : "; not stopped, still waiting for their dependents to stop first: " + waiting),
        "", now());
    stop.group.lastFailure = failure;
    touch(stop.group);
    log.warn(failure.message(), null);
    reply(stop.reply, List.copyOf(stragglers));
  }

  /** suptree: past the threshold, every restart in the group waits for failureBackoff, then the count resets. */
  private void pause(GroupNode group) {
    Duration backoff = group.spec.failureBackoff();
    Instant until = now().plus(backoff);
    Groups.endPause(group);
    group.pausedUntil = until;
    group.pausedUntilNanos = nowNanos() + backoff.toNanos();
    group.pauseTimer = timers.after(backoff, new Message.GroupResume(group, until));
    touch(group);
    log.warn(group + ": failure count passed " + GroupSpec.FAILURE_THRESHOLD + " = " + group.spec.failureThreshold()
        + "; every restart in it waits " + backoff, null);
  }

  private void groupResume(GroupNode group, Instant until) {
    if (until.equals(group.pausedUntil)) {
      group.pausedUntil = null;
      group.pauseTimer = null;
      group.intensity.reset();
      touch(group);
      log.info(group + ": restart pause over; failure count reset");
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** BACKOFF until a group's pause is over; the restart then goes ahead as usual. */
  private void waitInBackoff(ServiceEntry entry, Duration pause) {
    entry.cancelTimer();
    setState(entry, State.BACKOFF, null);
    long generation = entry.timerGeneration;
    entry.nextRestartAt = now().plus(pause);
    entry.timer = timers.after(pause, new Message.RestartDue(entry, generation));
  }

  /** A service the group restarts: stopped (dependents first) and started again; idle ones are left be. */
  private void restartForGroupRequest(ServiceEntry entry) {
    if (entry.hasLiveRun() && entry.wanted && !entry.rejected) {
      requestStop(entry, AfterStop.RESTART_BY_GROUP);
    }
  }

  /** After a stop the group asked for: start again, or wait while a group pauses restarts. */
  private void restartForGroup(ServiceEntry entry, Failure failure) {
    Duration pause = Groups.pauseLeft(entry.group, nowNanos());
    if (!pause.isZero() && entry.wanted && terminating == null) {
      waitInBackoff(entry, pause);
    } else {
      startAgain(entry, failure);
    }
  }

  // ---------------------------------------------------------------- state and snapshots

  private void setState(ServiceEntry entry, State next, Failure failure) {
    setState(entry, next, failure, null);
  }

  /** @param escalation the escalation this change starts, shown on its status update; usually null */
  private void setState(ServiceEntry entry, State next, Failure failure, Escalation escalation) {
    State previous = entry.state;
    if (previous == next) {
      return;
    }
    if (previous != null && !previous.canMoveTo(next)) {
      throw new AssertionError("service '" + entry.name + "': illegal transition " + previous + " -> " + next);
    }
    Instant now = now();
    entry.state = next;
    entry.stateSince = now;
    entry.sequence++;
    touch(entry);
    if (publisher.wantsUpdates()) { // nobody to tell: no event to make (a crash storm makes millions)
      publisher.update(new StatusEvent(entry.id, entry.name, entry.spec.group(), entry.sequence, now, previous,
          next, failure, escalation, next == State.STOPPED ? entry.stopReason : null));
    }
  }

  private void touch(ServiceEntry entry) {
    publisher.touch(entry);
  }

  private void touch(GroupNode group) {
    publisher.touch(group);
  }

  // ---------------------------------------------------------------- helpers

  private <T> void reply(CompletableFuture<T> future, T value) {
    publisher.reply(future, value);
  }

  /**
   * @return the time of the message being handled, for what is shown (state since, last start, failures):
   *     read once per message, so one decision sees one time
   */
  private Instant now() {
    return now;
  }

  /**
   * @return the monotonic reading of the same moment, for what is decided on elapsed time (windows, decay,
   *     pauses, uptimes): a step of the wall clock (NTP, a resumed VM) changes no decision
   */
  private long nowNanos() {
    return nowNanos;
  }

  /** The stack trace is printed when first read, not here: on the restart path, hardly anyone reads it. */
  private Failure failure(FailureKind kind, Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new Failure(kind, error.getClass().getName(), message, () -> stackTraceOf(error), now());
  }

  private static String stackTraceOf(Throwable error) {
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static String stackOf(Thread thread) {
    StringBuilder out = new StringBuilder(thread.getName()).append('\n');
    for (StackTraceElement element : thread.getStackTrace()) {
      out.append("\tat ").append(element).append('\n');
    }
    return out.toString();
  }

  private static SupervisorException stopped(String name) {
    return new SupervisorException(Kind.SUPERVISOR_STOPPED, name, "the supervisor has been shut down"
        + (name == null ? "" : "; service '" + name + "' cannot be changed"));
  }

  /** Why and how the supervisor is ending, and who waits for it. */
  private static final class Terminating {
    final int exitStatus;
    final String service;
    final Failure cause;
    final List<CompletableFuture<Void>> replies = new ArrayList<>();
    boolean done;

    Terminating(int exitStatus, String service, Failure cause) {
      this.exitStatus = exitStatus;
      this.service = service;
      this.cause = cause;
    }
  }

  /** A stop of a whole group, waiting for its members. */
  static final class GroupStop {
    final GroupNode group;
    final List<ServiceEntry> services;
    final CompletableFuture<List<String>> reply;
    Scheduler.Cancellable timer;

    GroupStop(GroupNode group, List<ServiceEntry> services, CompletableFuture<List<String>> reply) {
      this.group = group;
      this.services = services;
      this.reply = reply;
    }

    @Override
    public String toString() {
      return "stop of " + group;
    }
  }
}
