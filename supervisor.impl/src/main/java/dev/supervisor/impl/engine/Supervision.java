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
import dev.supervisor.impl.engine.Phase.AfterStop;
import dev.supervisor.impl.engine.Phase.StopPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The supervision state machine: the life of each service, in dependency order. It runs on the control
 * thread only, one message at a time ({@link #handle}), so nothing in it needs a lock. It never calls
 * worker or listener code itself: runs, {@code stop()} calls, escalations and source releases go to
 * {@link RunThreads}; snapshots, listener updates and answers to callers go out through the
 * {@link Publisher}, after the message is handled; timers post their messages through {@link Timers}.
 *
 * <p>What a service is doing is its {@link Phase}, changed only by {@link #enter}: the phase carries its
 * run, the stop planned for it and the timer it owns, and {@code enter} cancels the timer of the phase
 * left. What has happened to it is counted in its {@link ServiceMetrics}.
 *
 * <p>Its collaborators follow one rule: each may answer (a query, or a decision value such as
 * {@link RestartBudget}'s), buffer (outputs released after the message), or post (to the mailbox); none
 * calls back into this class.
 *
 * <p>Graph walks use explicit work lists, never recursion, so a 10,000-deep dependency chain is fine.
 */
final class Supervision implements Message.Handler {
  private final Timers timers;
  private final Jitter jitter;
  private final EngineLog log;
  private final RunThreads runThreads;
  private final Publisher publisher;

  private final ServiceTable table = new ServiceTable();
  private final BundleRefreshes refreshes = new BundleRefreshes();
  private final Groups groups = new Groups();
  /** Set once the supervisor is ending: by close, by a fatal error, or by the root group giving up. */
  private Ending ending;
  private final GroupUpkeep upkeep;
  private final Registrations registrations;
  private final MissingDependencyWatch missingDependencies;
  /** Stamped on each launch, so REST_FOR_ONE can tell which services started after a failed one. */
  private long launchCounter;
  /**
   * When the message being handled is handled, read once per message so one decision sees one time: the
   * wall-clock time for what is shown (state since, last start, failures), and the monotonic reading of the
   * same moment for what is decided on elapsed time (windows, decay, pauses, uptimes), which a step of the
   * wall clock (NTP, a resumed VM) cannot change.
   */
  private Instant now;
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
    this.upkeep = new GroupUpkeep(groups, timers, publisher, log);
    this.missingDependencies = new MissingDependencyWatch(timers, publisher, log);
    this.registrations = new Registrations(table, upkeep, publisher, runThreads, log, missingDependencies);
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
      upkeep.completeStops(now);
      completeTerminationIfIdle();
    }
  }

  /**
   * Publishes changed groups, tells listeners, then answers callers, for every message handled since the last
   * call. The control loop calls it when no message waits (or after a batch of them): in a crash storm one
   * group snapshot and one hand-off to the listeners' dispatcher then serve many messages, not one each.
   */
  void deliver() {
    publisher.deliver(now, nowNanos);
  }

  /** @return the invariants that do not hold now (tests check them after every message they step) */
  List<String> invariantViolations() {
    return Invariants.violations(table, publisher);
  }

  // ---------------------------------------------------------------- what the machine handles
  // Each input has one method (Message.Handler lists them all); these four are one line, the others below.
  @Override public void onStopTimeout(Message.StopTimeout m) { stopTimeout(m.run(), null); }
  @Override public void onShutdown(Message.Shutdown m) { terminate(0, null, null, m.reply()); }
  @Override public void onGroupResume(Message.GroupResume m) { upkeep.resume(m.group(), m.until()); }
  @Override public void onSync(Message.Sync m) { reply(m.reply(), null); }

  // ---------------------------------------------------------------- registration

  @Override
  public void onAdd(Message.Add m) {
    if (ending != null) {
      m.reply().completeExceptionally(Refusals.stopped(m.spec().name()));
      return;
    }
    ServiceSpec spec;
    try {
      spec = registrations.admissible(m.spec());
    } catch (SupervisorException refused) {
      if (m.showRefused()) {
        // Nobody waits to be told: show it, under the id its caller holds, as a rejection is shown.
        showRejected(m.id(), m.spec().name(), m.owner(), refused);
        publisher.fail(m.reply(), refused);
      } else {
        m.reply().completeExceptionally(refused);
      }
      return;
    }
    ServiceEntry entry = registrations.admit(m, spec, now, nowNanos);
    enter(entry, Phase.IDLE, null);
    reply(m.reply(), entry.id);
    if (entry.spec.autoStart()) {
      tryStart(entry, null);
    }
  }

  @Override
  public void onReject(Message.Reject m) {
    showRejected(m.id(), m.name(), m.owner(), m.error());
    reply(m.reply(), m.id());
  }

  private void showRejected(long id, String name, String owner, SupervisorException error) {
    ServiceEntry entry = registrations.admitRejected(id, name, owner, error, now);
    enter(entry, Phase.FAILED, entry.lastFailure());
  }

  /** Removes a service whose run (if it had one) has ended; the caller that asked hears how its stop went. */
  private void removeEntry(ServiceEntry entry, Failure stopFailure) {
    if (!entry.state().isResting()) {
      enter(entry, Phase.STOPPED_BY_HAND, stopFailure);
    }
    upkeep.memberRemoved(entry);
    registrations.forget(entry, stopFailure, now, nowNanos);
  }

  /**
   * New timings, limits, policy or dependencies for a service, from the next decision on: a running worker
   * is not disturbed, a scheduled restart keeps its time. New dependencies order every start and stop from
   * now on: one WAITING only for a dependency it no longer has starts, and a live one whose new dependency
   * is not RUNNING stops and waits for it. Name and group cannot change this way (the tree would have to be
   * rebuilt): that is a new registration.
   */
  @Override
  public void onUpdateSpec(Message.UpdateSpec m) {
    ServiceEntry entry = registrations.respecified(m, now, nowNanos);
    if (entry == null) {
      return;
    }
    if (entry.phase == Phase.WAITING) {
      tryStart(entry, null);
    } else if (entry.hasLiveRun() && entry.plannedStop() == null && !table.dependenciesRunning(entry)) {
      // A service runs only while its dependencies do: one that now depends on a service that is not
      // RUNNING stops and waits for it (else neither could start: a dependency waits for live dependents).
      requestStop(entry, StopPlan.WAIT_FOR_DEPENDENCIES);
    }
    reply(m.reply(), null);
  }

  // ---------------------------------------------------------------- commands

  @Override
  public void onCommand(Message.Command m) {
    ServiceEntry entry = m.name() == null ? table.byId(m.id()) : table.byName(m.name());
    if (entry == null || (m.id() != 0 && entry.id != m.id())) {
      m.reply().completeExceptionally(Refusals.unknownService(m.name(), m.id(), entry != null));
      return;
    }
    if (ending != null && m.action() != Message.Action.REMOVE) {
      m.reply().completeExceptionally(Refusals.stopped(m.name()));
      return;
    }
    try {
      switch (m.action()) {
        case START -> start(entry);
        case STOP -> requestStop(entry, StopPlan.STAY_STOPPED);
        case RESTART -> restart(entry);
        case RESET -> reset(entry);
        case REMOVE -> {
          entry.addRemovalWaiter(m.reply());
          requestStop(entry, StopPlan.REMOVE);
          return;
        }
        default -> throw new AssertionError(m.action());
      }
      reply(m.reply(), null);
    } catch (SupervisorException e) {
      m.reply().completeExceptionally(e);
    }
  }

  @Override
  public void onCommandAll(Message.CommandAll m) {
    if (ending != null) {
      m.reply().completeExceptionally(Refusals.stopped(null));
      return;
    }
    for (ServiceEntry entry : table.copyOfAll()) {
      if (!table.isCurrent(entry)) {
        continue; // removed by an earlier one of these commands
      }
      boolean failed = entry.state() == State.FAILED;
      switch (m.action()) {
        case START -> { if (!failed) start(entry); }
        case STOP -> requestStop(entry, StopPlan.STAY_STOPPED);
        case RESTART -> { if (!failed) restart(entry); }
        case RESET -> reset(entry);
        default -> throw new AssertionError(m.action());
      }
    }
    reply(m.reply(), null);
  }

  /** Why a start during a pending stay-stopped becomes a restart: the user's last word is "run". */
  private void start(ServiceEntry entry) {
    refuseIfFailed(entry, "start");
    StopPlan plan = entry.plannedStop();
    if (plan != null && plan.then() == AfterStop.STAY_STOPPED) {
      plan(entry, StopPlan.RESTART);
      return;
    }
    if (!entry.hasLiveRun()) {
      tryStart(entry, null);
    }
  }

  /**
   * Stops the run (dependents first) and starts it again; without a run, starts it now. A pending
   * stay-stopped or wait-for-dependencies becomes a restart (the last word is the user's); a pending
   * removal or failure keeps its rank.
   */
  private void restart(ServiceEntry entry) {
    refuseIfFailed(entry, "restart");
    if (!entry.hasLiveRun()) {
      tryStart(entry, null);
      return;
    }
    StopPlan plan = entry.plannedStop();
    if (plan != null && (plan.then() == AfterStop.STAY_STOPPED || plan.then() == AfterStop.WAIT_FOR_DEPENDENCIES)) {
      plan(entry, StopPlan.RESTART);
    }
    requestStop(entry, StopPlan.RESTART);
  }

  private void refuseIfFailed(ServiceEntry entry, String what) {
    if (entry.state() == State.FAILED) {
      throw Refusals.cannot(what, entry.name, entry.rejected
          ? "its registration was rejected: " + entry.lastFailure().message() : "it is FAILED; reset it first");
    }
  }

  private void reset(ServiceEntry entry) {
    if (entry.metricsIfAny() != null) { // nothing counted, nothing to reset
      entry.metricsIfAny().reset();
    }
    // A reset re-arms the escalation: the name may have its bundle refreshed once more.
    refreshes.rearm(entry.name);
    touch(entry);
    if (entry.rejected) {
      return;
    }
    if (entry.phase instanceof Phase.Escalating) {
      enter(entry, Phase.AtRest.stopped("reset while its bundle was being refreshed"), null); // the answer no longer matters
    } else if (entry.state() == State.FAILED) {
      if (entry.spec.autoStart()) {
        tryStart(entry, null);
      } else {
        enter(entry, Phase.IDLE, null);
      }
    } else if (entry.state() == State.BACKOFF) {
      tryStart(entry, null);
    }
  }

  /**
   * Ends the supervisor: every service stops in reverse dependency order; once no run is left, listeners
   * hear how it ended and {@code whenTerminated} completes. The first reason wins; later ones only wait.
   */
  private void terminate(int exitStatus, String service, Failure cause, CompletableFuture<Void> reply) {
    if (ending == null) {
      List<ServiceEntry> services = table.copyOfAll();
      ending = new Ending(exitStatus, service, cause, services);
      if (cause == null) {
        log.info("supervisor closing" + (service == null ? "" : " at the request of service '" + service + "'")
            + ": stopping " + table.size() + " services in reverse dependency order");
      } else {
        log.error("supervisor terminating with exit status " + exitStatus + " because of service '" + service
            + "': " + cause + "; stopping every service in reverse dependency order", null);
      }
      services.forEach(entry -> requestStop(entry, StopPlan.STAY_STOPPED));
    }
    ending.awaitedBy(reply, publisher);
  }

  private void completeTerminationIfIdle() {
    if (ending == null || ending.over() || !ending.everyRunEnded()) {
      return;
    }
    for (ServiceEntry entry : table.all()) {
      missingDependencies.forget(entry);
      if (entry.source != null && entry.abandoned == null) {
        // Off the control thread, as at removal: the worker pool is still there until close() ends it.
        runThreads.release(entry.name, entry.source);
      }
    }
    upkeep.endAllPauses();
    registrations.failWaitsForUnregistered(Refusals.stopped(null));
    ending.complete(now, publisher);
  }

  /** A dependency has been missing for its grace period: see {@link MissingDependencyWatch#overdue}. */
  @Override
  public void onDependencyOverdue(Message.DependencyOverdue m) {
    if (table.isCurrent(m.entry())) {
      missingDependencies.overdue(m, table.names());
    }
  }

  /**
   * A wait for RUNNING. A name not registered yet is waited for too (in OSGi the caller often asks before the
   * provider's bundle has started): the wait moves to the registration when it comes.
   */
  @Override
  public void onWatchReady(Message.WatchReady m) {
    if (ending != null) {
      publisher.failLater(m.future(), Refusals.stopped(m.name()));
      return;
    }
    ServiceEntry entry = table.byName(m.name());
    if (entry == null) {
      registrations.awaitRegistration(m.name(), m.future());
      return;
    }
    entry.addReadyWaiter(m.future());
    touch(entry); // publishing completes it at once if the service is RUNNING or FAILED
  }


  // ---------------------------------------------------------------- starting

  /**
   * The entry is to run: it starts if every dependency is RUNNING and nothing of its own is still live,
   * otherwise it WAITs ({@link #wakeDependencies} and {@link #becomeRunning} try again).
   *
   * @param failure shown on the update of this change (the stop failure of the stop it follows), or null
   */
  private void tryStart(ServiceEntry entry, Failure failure) {
    if (entry.rejected || entry.hasLiveRun() || ending != null) {
      return;
    }
    // A dependency comes back only once every dependent that was running has stopped (DESIGN: dependents
    // stop first, and start again once it is RUNNING); wakeDependencies tries again when their runs end.
    if (entry.abandoned != null || table.hasAbandonedRun(entry.name) || !table.dependenciesRunning(entry)
        || table.hasLiveDependent(entry)) {
      enter(entry, Phase.WAITING, failure);
      return;
    }
    launch(entry, failure);
  }

  /** A run of {@code entry} ended: a dependency that waited for it may start now. */
  private void wakeDependencies(ServiceEntry entry) {
    List<ServiceEntry> dependencies = table.dependenciesOf(entry);
    for (int i = 0; i < dependencies.size(); i++) { // by index: no iterator on the restart path
      ServiceEntry dependency = dependencies.get(i);
      if (dependency.phase == Phase.WAITING) {
        tryStart(dependency, null);
      }
    }
  }

  private void launch(ServiceEntry entry, Failure failure) {
    upkeep.memberLaunched(entry);
    entry.launching();
    entry.metrics().launched(now, nowNanos);
    entry.launchStamp = ++launchCounter;
    Run run = runThreads.newRun(entry, entry.metrics().attempts);
    Scheduler.Cancellable readyTimer = entry.spec.readiness() == Readiness.EXPLICIT
        ? timers.after(entry.spec.readyTimeout(), new Message.ReadyTimeout(run)) : null;
    enter(entry, new Phase.Starting(run, readyTimer, null), failure);
    runThreads.launch(run);
  }

  /** @return the phase if it is STARTING this run with no stop planned, else null */
  private static Phase.Starting startingUndisturbed(ServiceEntry entry, Run run) {
    return entry.phase instanceof Phase.Starting starting && starting.run() == run && starting.stop() == null
        ? starting : null;
  }

  @Override
  public void onRunEntered(Message.RunEntered m) {
    Run run = m.run();
    ServiceEntry entry = run.entry();
    if (startingUndisturbed(entry, run) != null && entry.spec.readiness() == Readiness.AUTO) {
      becomeRunning(entry, run);
    }
  }

  @Override
  public void onReady(Message.Ready m) {
    Run run = m.run();
    ServiceEntry entry = run.entry();
    if (startingUndisturbed(entry, run) != null) {
      becomeRunning(entry, run);
    }
  }

  /**
   * The worker said it is no longer ready: back to STARTING, without a new run and without counting
   * anything (and with no ready timeout: it may wait long for what it lacks); its dependents stop first and
   * wait, as for any dependency that leaves RUNNING. As {@code RunContext.notReady} says, only an EXPLICIT
   * worker can be ready, so only it can stop being so.
   */
  @Override
  public void onNotReady(Message.NotReady m) {
    Run run = m.run();
    ServiceEntry entry = run.entry();
    if (!(entry.phase instanceof Phase.Running running) || running.run() != run || running.stop() != null
        || entry.spec.readiness() != Readiness.EXPLICIT) {
      return;
    }
    entry.metrics().leftRunning(nowNanos);
    enter(entry, new Phase.Starting(run, null, null), null);
    stopDependents(entry);
  }

  private void becomeRunning(ServiceEntry entry, Run run) {
    // Counted once per run: a worker that went back to STARTING (notReady) and is ready again is the same run.
    entry.metrics().becameRunning(now, nowNanos, !run.reachedRunning);
    run.reachedRunning = true;
    enter(entry, new Phase.Running(run, null), null);
    List<ServiceEntry> dependents = table.dependentsOf(entry);
    for (int i = 0; i < dependents.size(); i++) { // by index: no iterator on the restart path
      ServiceEntry dependent = dependents.get(i);
      if (dependent.phase == Phase.WAITING) {
        tryStart(dependent, null);
      }
    }
  }

  @Override
  public void onReadyTimeout(Message.ReadyTimeout m) {
    Run run = m.run();
    ServiceEntry entry = run.entry();
    if (startingUndisturbed(entry, run) == null) {
      return;
    }
    Failure failure = Failures.of(FailureKind.READY_TIMEOUT,
        "no ctx.ready() within " + ServiceSpec.READY_TIMEOUT + " = " + entry.spec.readyTimeout(), "", now);
    requestStop(entry, new StopPlan(AfterStop.HANDLE_FAILURE, failure));
  }

  // ---------------------------------------------------------------- ending

  @Override
  public void onRunEnded(Message.RunEnded m) {
    Run run = m.run();
    Throwable error = m.error();
    ServiceEntry entry = run.entry();
    if (entry.abandoned == run) {
      abandonedRunReturned(entry, run);
      return;
    }
    if (!(entry.phase instanceof Phase.Live live) || live.run() != run) {
      return;
    }
    entry.metrics().runReturned(now);
    long uptime = entry.metrics().leftRunning(nowNanos);
    enter(entry, Phase.Returned.from(live.state()), null);
    if (live.stop() != null) {
      endedWithStopPlanned(entry, live, error, uptime);
      return;
    }
    stopDependents(entry);
    wakeDependencies(entry);
    if (error == null || error instanceof DoNotRestartException) {
      ended(entry, (DoNotRestartException) error);
    } else if (error instanceof FatalException fatal) {
      fatal(entry, fatal);
    } else {
      handleFailure(entry, Failures.ofCrash(error, now), uptime);
    }
  }

  /**
   * The run ended while a stop was planned for it. If it was asked to stop, this is that stop, whatever it
   * threw. If not (its stop waited for its dependents), an exception is a crash like any other: counted and
   * shown on the update that ends it (a pending ready-timeout failure gives way to it); what was planned
   * follows all the same.
   */
  private void endedWithStopPlanned(ServiceEntry entry, Phase.Live live, Throwable error, long uptime) {
    Failure shown = live instanceof Phase.Stopping stopping ? stopping.failure() : null;
    StopPlan plan = live.stop();
    boolean crashed = error != null && !live.run().stopRequested() && !(error instanceof DoNotRestartException);
    if (crashed) {
      Failure crash = Failures.ofCrash(error, now);
      if (plan.then() == AfterStop.HANDLE_FAILURE) {
        plan = new StopPlan(AfterStop.HANDLE_FAILURE, crash); // counted there, once
      } else {
        entry.metrics().failed(crash, uptime, entry.spec.restartWindow());
        logFailure(entry, crash);
        shown = crash;
      }
    } else if (error != null && !(error instanceof InterruptedException)) {
      log.info("service '" + entry.name + "' threw while stopping (not counted as a failure): " + error);
    }
    finishStop(entry, plan, shown);
  }

  /** A run abandoned at its stop timeout has returned at last: a run of the same name may start now. */
  private void abandonedRunReturned(ServiceEntry entry, Run run) {
    entry.abandoned = null;
    log.info("service '" + entry.name + "': the abandoned " + run + " returned at last");
    ServiceEntry current = table.byName(entry.name);
    if (current != entry) {
      table.abandonedRunReturned(entry.name, run);
      runThreads.release(entry.name, entry.source);
    }
    if (current != null && current.phase == Phase.WAITING) {
      tryStart(current, null);
    }
    wakeDependencies(entry);
  }

  /**
   * {@code run} returned normally, or threw DoNotRestartException. Under ALWAYS it is restarted, within its
   * restart limits like any restart (OTP counts a permanent child's normal exits toward its intensity too):
   * a worker that returns at once must not restart for ever, nor spend the budget its real failures need.
   */
  private void ended(ServiceEntry entry, DoNotRestartException doNotRestart) {
    entry.metrics().ended();
    String stopReason = null;
    if (doNotRestart != null) {
      // Kept and shown (ServiceInfo, the STOPPED update, JMX, the shell), as DoNotRestartException promises.
      stopReason = doNotRestart.getMessage() == null ? DoNotRestartException.class.getSimpleName()
          : doNotRestart.getMessage();
      log.info("service '" + entry.name + "' ended for good: " + stopReason);
    }
    RestartBudget.Decision decision = budget(entry, doNotRestart == null ? RestartBudget.Outcome.RETURNED
        : RestartBudget.Outcome.DO_NOT_RESTART);
    if (decision instanceof RestartBudget.Decision.Restart restart) {
      scheduleRestart(entry, restart.delay(), null);
    } else if (decision instanceof RestartBudget.Decision.GiveUp giveUp) {
      entry.metrics().lastFailure = Failures.of(FailureKind.RESTART_LIMIT, "run returned normally ("
          + ServiceSpec.RESTART + " = ALWAYS) and " + giveUp.why(), "", now);
      giveUp(entry, entry.metrics().lastFailure, giveUp.why());
    } else {
      enter(entry, stopReason != null ? Phase.AtRest.endedForGood(stopReason) : Phase.AtRest.stopped(
          "run returned; not restarted (" + ServiceSpec.RESTART + " = " + entry.spec.restart() + ")"), null);
      endedForGood(entry, null);
    }
  }

  private RestartBudget.Decision budget(ServiceEntry entry, RestartBudget.Outcome outcome) {
    ServiceSpec spec = entry.spec;
    ServiceMetrics metrics = entry.metrics();
    return RestartBudget.decide(spec, outcome, metrics.restartCount, metrics.restartsInWindow(nowNanos, spec),
        metrics.consecutiveFailures, jitter.offset(spec.jitter()));
  }

  /**
   * The worker asked the supervisor to end. With exit status 0 that is a clean, requested end, not a
   * failure: the service rests STOPPED, nothing is counted, and the termination is normal (no cause). Any
   * other status is a fatal failure: the service is FAILED and the termination carries its cause.
   */
  private void fatal(ServiceEntry entry, FatalException fatal) {
    if (fatal.exitStatus() == 0) {
      String why = fatal.getMessage() == null ? "" : ": " + fatal.getMessage();
      log.info("service '" + entry.name + "' asked the supervisor to end, with exit status 0" + why);
      enter(entry, Phase.AtRest.stopped("asked the supervisor to end (exit status 0)" + why), null);
      terminate(0, entry.name, null, null);
      return;
    }
    Failure failure = Failures.of(FailureKind.FATAL, fatal, now);
    entry.metrics().counted(failure);
    enter(entry, Phase.FAILED, failure);
    terminate(fatal.exitStatus(), entry.name, failure, null);
  }

  /** @param uptime how long the failed run was RUNNING, in nanoseconds */
  private void handleFailure(ServiceEntry entry, Failure failure, long uptime) {
    entry.metrics().failed(failure, uptime, entry.spec.restartWindow());
    logFailure(entry, failure);
    RestartBudget.Decision decision = budget(entry, RestartBudget.Outcome.FAILED);
    if (decision instanceof RestartBudget.Decision.Rest) {
      enter(entry, Phase.AtRest.stopped("failed; not restarted (" + ServiceSpec.RESTART + " = "
          + entry.spec.restart() + ")"), failure);
      endedForGood(entry, failure);
    } else if (decision instanceof RestartBudget.Decision.GiveUp giveUp) {
      giveUp(entry, failure, giveUp.why());
    } else {
      Duration delay = ((RestartBudget.Decision.Restart) decision).delay();
      applyGroupDecision(entry, failure, delay, groups.onMemberFailure(entry.group, entry, nowNanos));
    }
  }

  /**
   * Applies what the tree decided about a failure of {@code culprit}: groups that fail as a whole (and the
   * supervisor ending if the root does), a pause, the culprit's restart, and what restarts with it.
   */
  private void applyGroupDecision(ServiceEntry culprit, Failure failure, Duration delay, Groups.Decision decision) {
    List<GroupNode> changed = decision.changed();
    for (int i = 0; i < changed.size(); i++) { // loops, not lambdas: nothing allocated on the restart path
      touch(changed.get(i));
    }
    for (GroupNode group : decision.failed()) {
      upkeep.failedAsWhole(group, culprit.name, failure, now);
    }
    if (decision.rootGaveUp()) {
      groups.root.failed = true;
      enter(culprit, Phase.FAILED, failure);
      terminate(1, culprit.name, groups.root.lastFailure, null);
      return;
    }
    if (decision.pause() != null) {
      upkeep.pause(decision.pause(), now, nowNanos);
    }
    if (decision.failed().isEmpty()) {
      scheduleRestart(culprit, max(delay, Groups.pauseLeft(culprit.group, nowNanos)), failure);
      restartForGroupRequests(decision.restart());
      return;
    }
    // Why its own backoff is forgotten: its group is restarted afresh, and the group's restart is the remedy.
    culprit.metrics().restartScheduled(nowNanos, culprit.spec, Duration.ZERO);
    enter(culprit, Phase.BackingOff.NOW, failure);
    restartForGroupRequests(decision.restart());
    restartForGroup(culprit, null);
  }

  private void restartForGroupRequests(Set<ServiceEntry> restart) {
    if (!restart.isEmpty()) { // ONE_FOR_ONE: empty, and not even an iterator is made
      for (ServiceEntry entry : restart) {
        restartForGroupRequest(entry);
      }
    }
  }

  /** One warning per failure, but at most one a second per service: see {@link FailureLogQuota}. */
  private void logFailure(ServiceEntry entry, Failure failure) {
    String left = entry.failureLog().admit(nowNanos);
    if (left != null) {
      log.warn("service '" + entry.name + "' failed (" + entry.metrics().consecutiveFailures + " in a row): " + failure
          + left, null);
    }
  }

  /** The service's own restart limits are used up: escalate once if its spec says so, else FAILED. */
  private void giveUp(ServiceEntry entry, Failure failure, String why) {
    Escalation escalation = entry.spec.escalate();
    if (escalation != Escalation.NONE && refreshes.claim(entry.name)) {
      escalate(entry, escalation, failure, why);
      return;
    }
    String used = escalation == Escalation.NONE ? ""
        : "; " + ServiceSpec.ESCALATE + " = " + escalation + " was used already (a reset allows it again)";
    log.error("service '" + entry.name + "' FAILED: " + why + used + "; last failure: " + failure, null);
    enter(entry, Phase.FAILED, failure);
    endedForGood(entry, failure);
  }

  /**
   * Instead of FAILED: the service rests STOPPED with its last failure, and its escalator (the bundle refresh)
   * is called off the control thread. The refresh stops the bundle, which removes this registration, and
   * starts it again, which registers the service anew; {@link BundleRefreshes} keeps that one from escalating.
   */
  private void escalate(ServiceEntry entry, Escalation escalation, Failure failure, String why) {
    log.warn("service '" + entry.name + "': " + why + "; escalating (" + ServiceSpec.ESCALATE + " = " + escalation
        + ") before declaring it FAILED; last failure: " + failure, null);
    enter(entry, new Phase.Escalating(escalation), failure, escalation);
    runThreads.escalate(entry, escalation);
  }

  /** The escalator answered; if it refused, the refresh is not counted and the service is FAILED after all. */
  @Override
  public void onEscalated(Message.Escalated m) {
    ServiceEntry entry = m.entry();
    String refusal = m.refusal();
    if (refusal == null) {
      log.info("service '" + entry.name + "': its bundle is being refreshed (" + ServiceSpec.ESCALATE + ")");
      return;
    }
    refreshes.refused(entry.name);
    ServiceEntry current = table.byName(entry.name);
    if (current != null) {
      touch(current); // the count belongs to the name, whichever registration holds it now
    }
    if (current != entry || !(entry.phase instanceof Phase.Escalating)) {
      log.info("service '" + entry.name + "': escalation refused (" + refusal + "), but it was started, reset or "
          + "removed meanwhile; left as it is");
      return;
    }
    log.error("service '" + entry.name + "' FAILED: its restarts are used up and its bundle cannot be refreshed ("
        + ServiceSpec.ESCALATE + " = " + entry.spec.escalate() + "): " + refusal + "; last failure: "
        + entry.lastFailure(), null);
    enter(entry, Phase.FAILED, entry.lastFailure());
    endedForGood(entry, entry.lastFailure());
  }

  private void scheduleRestart(ServiceEntry entry, Duration delay, Failure failure) {
    entry.metrics().restartScheduled(nowNanos, entry.spec, delay);
    if (delay.isZero()) {
      enter(entry, Phase.BackingOff.NOW, failure);
      tryStart(entry, null);
    } else {
      enter(entry, backingOff(entry, delay), failure);
    }
  }

  /** @return a BACKOFF that restarts the entry once {@code delay} is over, owning its timer */
  private Phase.BackingOff backingOff(ServiceEntry entry, Duration delay) {
    Phase.BackingOff backoff = new Phase.BackingOff(now.plus(delay));
    return backoff.ownTimer(timers.after(delay, new Message.RestartDue(entry, backoff)));
  }

  @Override
  public void onRestartDue(Message.RestartDue m) {
    ServiceEntry entry = m.entry();
    Phase.BackingOff backoff = m.backoff();
    if (!table.isCurrent(entry) || entry.phase != backoff) {
      return; // it left that backoff meanwhile (started, stopped, reset): the timer was cancelled too late
    }
    Duration pause = Groups.pauseLeft(entry.group, nowNanos);
    if (!pause.isZero()) {
      // The group paused its restarts after this one was scheduled: it waits for the pause to end.
      enter(entry, backingOff(entry, pause), null);
      return;
    }
    tryStart(entry, null);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  // ---------------------------------------------------------------- stopping

  /**
   * Asks {@code root} to stop with the given plan, and every live service that depends on it, directly or
   * not, to stop first and then wait for it. Stops begin deepest-first: a service stops only once none of
   * its dependents has a live run.
   */
  private void requestStop(ServiceEntry root, StopPlan plan) {
    if (!root.hasLiveRun()) {
      applyWithoutRun(root, plan);
      return;
    }
    plan(root, plan.strongest(root.plannedStop()));
    List<ServiceEntry> dependents = table.liveDependentsToStop(root);
    dependents.forEach(dependent -> plan(dependent, StopPlan.WAIT_FOR_DEPENDENCIES));
    maybeBeginStop(root);
    dependents.forEach(this::maybeBeginStop);
  }

  /** Nothing runs: what the stop was to be followed by applies at once. */
  private void applyWithoutRun(ServiceEntry entry, StopPlan plan) {
    switch (plan.then()) {
      case STAY_STOPPED -> {
        if (entry.phase == Phase.WAITING || entry.phase instanceof Phase.BackingOff) {
          enter(entry, stayStopped(plan), null);
        }
      }
      case REMOVE -> removeEntry(entry, null);
      case RESTART -> tryStart(entry, null);
      // A group restarts only live members, and a dependent stops only while live: nothing to do.
      case WAIT_FOR_DEPENDENCIES, RESTART_BY_GROUP, HANDLE_FAILURE -> { }
      default -> throw new AssertionError(plan);
    }
  }

  /** Plans what follows the stop of the entry's live run (replacing what was planned). */
  private void plan(ServiceEntry entry, StopPlan plan) {
    enter(entry, ((Phase.Live) entry.phase).planned(plan), null);
  }

  /** Its dependents stop first, and then wait for it: it has left RUNNING, or its run has ended. */
  private void stopDependents(ServiceEntry entry) {
    List<ServiceEntry> dependents = table.liveDependentsToStop(entry);
    for (int i = 0; i < dependents.size(); i++) { // loops, not lambdas: nothing allocated on the restart path
      plan(dependents.get(i), StopPlan.WAIT_FOR_DEPENDENCIES);
    }
    for (int i = 0; i < dependents.size(); i++) {
      maybeBeginStop(dependents.get(i));
    }
  }

  /** Begins the planned stop of the entry's run, once none of its dependents has a live run. */
  private void maybeBeginStop(ServiceEntry entry) {
    if (!(entry.phase instanceof Phase.Live live) || live.stop() == null || live instanceof Phase.Stopping) {
      return;
    }
    for (ServiceEntry dependent : table.dependentsOf(entry)) {
      if (dependent.hasLiveRun()) {
        if (dependent.plannedStop() == null) {
          // It started after the stop was asked for; it must go first all the same.
          plan(dependent, StopPlan.WAIT_FOR_DEPENDENCIES);
          maybeBeginStop(dependent);
        }
        return;
      }
    }
    Run run = live.run();
    run.requestStop();
    Scheduler.Cancellable stopTimer = timers.after(entry.spec.stopTimeout(), new Message.StopTimeout(run));
    enter(entry, new Phase.Stopping(run, live.stop(), stopTimer, null), null);
    runThreads.callStop(run);
  }

  /**
   * The worker's {@code stop()} threw: a failure of the service (counted, shown as its last failure, on the
   * update that ends the stop, and reported to a caller that removes it), but the stop goes on: {@code run}
   * may still return, else the stop timeout ends it.
   */
  @Override
  public void onStopFailed(Message.StopFailed m) {
    Run run = m.run();
    Throwable error = m.error();
    ServiceEntry entry = run.entry();
    if (!table.isCurrent(entry)) {
      return; // removed meanwhile: nobody left to show it to
    }
    Failure failure = Failures.of(FailureKind.STOP_FAILURE, error, now);
    entry.metrics().counted(failure);
    if (entry.phase instanceof Phase.Stopping stopping && stopping.run() == run) {
      enter(entry, stopping.failed(failure), null);
    }
    touch(entry);
    log.warn("service '" + entry.name + "': stop() threw; still waiting for run to return: " + failure, error);
  }

  /**
   * The stop timeout ran out (or a group's, which names the run): the run thread is interrupted and
   * abandoned, the next run of the name waits for it to return, and the stop is over.
   *
   * @param group the group whose stop timeout it was, or null for the service's own
   */
  private void stopTimeout(Run run, GroupNode group) {
    ServiceEntry entry = run.entry();
    if (!(entry.phase instanceof Phase.Stopping stopping) || stopping.run() != run) {
      return;
    }
    Thread thread = run.thread();
    String stack = thread == null ? "" : Failures.stackOf(thread);
    run.interruptIfRunning();
    String limit = group == null ? ServiceSpec.STOP_TIMEOUT + " = " + entry.spec.stopTimeout()
        : "the stop timeout of " + group + " (" + GroupSpec.STOP_TIMEOUT + " = " + group.spec.stopTimeout() + ")";
    Failure failure = Failures.of(FailureKind.STOP_TIMEOUT, "run did not return within " + limit
        + "; its thread was interrupted and abandoned" + (thread == null ? "" : " (" + thread.getName() + ")"),
        stack, now);
    entry.metrics().counted(failure);
    log.warn("service '" + entry.name + "': " + failure.message() + "\n" + stack, null);
    entry.abandoned = run;
    entry.metrics().runReturned(now);
    entry.metrics().leftRunning(nowNanos);
    enter(entry, Phase.Returned.from(State.STOPPING), null);
    finishStop(entry, stopping.stop(), failure);
  }

  /**
   * The stop asked for has happened (or was given up on): apply what was planned, then let dependencies stop.
   *
   * @param failure what went wrong with the stop (stop() threw, or the timeout), shown on the update that
   *     ends it; null if it went well
   */
  private void finishStop(ServiceEntry entry, StopPlan plan, Failure failure) {
    switch (plan.then()) {
      case STAY_STOPPED -> enter(entry, stayStopped(plan), failure);
      case WAIT_FOR_DEPENDENCIES, RESTART -> startAgain(entry, failure);
      case RESTART_BY_GROUP -> restartForGroup(entry, failure);
      case HANDLE_FAILURE -> handleFailure(entry, plan.failure(), entry.metrics().lastRunUptime);
      case REMOVE -> removeEntry(entry, failure);
      default -> throw new AssertionError(plan);
    }
    for (ServiceEntry dependency : table.dependenciesOf(entry)) {
      maybeBeginStop(dependency);
    }
    wakeDependencies(entry);
  }

  /** @return STOPPED, saying why: its group ended, the supervisor is ending, or by hand */
  private Phase.AtRest stayStopped(StopPlan plan) {
    return plan.note() != null ? Phase.AtRest.stopped(plan.note())
        : ending == null ? Phase.STOPPED_BY_HAND : Phase.STOPPED_AT_CLOSE;
  }

  /** After a stop that is to be followed by a start: start at once if possible, else wait. */
  private void startAgain(ServiceEntry entry, Failure failure) {
    tryStart(entry, failure);
    if (entry.phase instanceof Phase.Returned) { // the supervisor is ending: no start
      enter(entry, Phase.STOPPED_AT_CLOSE, failure);
    }
  }

  // ---------------------------------------------------------------- groups

  @Override
  public void onConfigureGroup(Message.ConfigureGroup m) {
    if (ending != null) {
      m.reply().completeExceptionally(Refusals.stopped(null));
      return;
    }
    upkeep.configure(m.spec());
    reply(m.reply(), null);
  }

  @Override
  public void onGroupCommand(Message.GroupCommand m) {
    GroupNode group = groups.get(m.path());
    if (group == null) {
      m.reply().completeExceptionally(Refusals.unknownGroup(m.path()));
      return;
    }
    if (ending != null) {
      m.reply().completeExceptionally(Refusals.stopped(null));
      return;
    }
    List<ServiceEntry> services = groups.servicesUnder(group);
    switch (m.action()) {
      case RESTART -> services.stream().filter(e -> e.state() != State.FAILED).forEach(this::restart);
      case RESET -> {
        upkeep.reset(group);
        services.forEach(this::reset);
      }
      case STOP -> {
        services.forEach(entry -> requestStop(entry, StopPlan.STAY_STOPPED));
        upkeep.stopBegun(group, services, m.reply());
        return; // replied when every member has stopped, or with the stragglers at the timeout
      }
      default -> throw new AssertionError(m.action());
    }
    reply(m.reply(), List.of());
  }

  /**
   * A group's stop timeout ran out: the members whose stop has begun and whose run has not returned are
   * interrupted, abandoned and named. A member still waiting for a live dependent outside the group is named
   * but left alone: dependents stop first, always (abandoning it would leave the dependent running on it).
   * A member started again after the group stop began (a new run) is no straggler.
   */
  @Override
  public void onGroupStopTimeout(Message.GroupStopTimeout m) {
    GroupStop stop = m.stop();
    if (!upkeep.timedOut(stop)) {
      return;
    }
    List<String> stuck = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (Run run : stop.waitingFor()) {
      if (run.entry().phase instanceof Phase.Stopping) {
        stuck.add(run.name());
        stopTimeout(run, stop.group);
      } else {
        waiting.add(run.name());
      }
    }
    upkeep.stragglers(stop, stuck, waiting, now);
  }

  /** A wait for a group's end, and maybe the request to end it now: see {@link Message.GroupTermination}. */
  @Override
  public void onGroupTermination(Message.GroupTermination m) {
    GroupNode group = groups.get(m.path());
    if (group == null) {
      m.reply().completeExceptionally(Refusals.unknownGroup(m.path()));
    } else if (group == groups.root) {
      publisher.whenTerminated(m.reply());
      if (m.terminate()) {
        terminate(0, null, null, null);
      }
    } else if (m.terminate()) {
      group.endWaiters.add(m.reply());
      endGroup(group, 0, null, null);
    } else {
      upkeep.awaitEnd(group, m.reply());
    }
  }

  /**
   * A significant service ended for good (FAILED, or ended and not restarted by its policy): its group ends
   * if its {@code autoShutdown} says so, OTP's significant children. Exit status 0 if it ended normally, 1
   * with its failure if it failed.
   */
  private void endedForGood(ServiceEntry entry, Failure failure) {
    GroupNode group = entry.group;
    if (!upkeep.endsWithSignificant(entry)) {
      return;
    }
    log.info(group + " ends (" + GroupSpec.AUTO_SHUTDOWN + " = " + group.spec.autoShutdown() + "): significant "
        + "service '" + entry.name + "' ended for good" + (failure == null ? "" : ": " + failure));
    if (group == groups.root) {
      terminate(failure == null ? 0 : 1, entry.name, failure, null);
    } else {
      endGroup(group, failure == null ? 0 : 1, entry.name, failure);
    }
  }

  /** Stops every service under the group (dependents first); its end waiters hear once all have stopped. */
  private void endGroup(GroupNode group, int exitStatus, String service, Failure cause) {
    List<ServiceEntry> services = groups.servicesUnder(group);
    StopPlan stop = new StopPlan(AfterStop.STAY_STOPPED, null, "stopped: its " + group + " ended");
    services.forEach(entry -> requestStop(entry, stop));
    upkeep.endBegun(group, services, new GroupStop.GroupEnd(exitStatus, service, cause));
  }

  /** A service the group restarts: stopped (dependents first) and started again; idle ones are left be. */
  private void restartForGroupRequest(ServiceEntry entry) {
    StopPlan plan = entry.plannedStop();
    if (entry.hasLiveRun() && (plan == null || plan.runsAgain()) && !entry.rejected) {
      requestStop(entry, StopPlan.RESTART_BY_GROUP);
    }
  }

  /** After a stop the group asked for: start again, or wait in BACKOFF while the group pauses restarts. */
  private void restartForGroup(ServiceEntry entry, Failure failure) {
    Duration pause = Groups.pauseLeft(entry.group, nowNanos);
    if (!pause.isZero() && ending == null) {
      enter(entry, backingOff(entry, pause), failure);
    } else {
      startAgain(entry, failure);
    }
  }

  // ---------------------------------------------------------------- state and snapshots

  private void enter(ServiceEntry entry, Phase next, Failure failure) {
    enter(entry, next, failure, null);
  }

  /**
   * The one way a service changes phase: cancels the timer of the phase it leaves (unless the next one
   * keeps it), and when the state shown changes, checks the transition and tells listeners.
   *
   * @param failure the failure shown on the status update of this change, or null
   * @param escalation the escalation this change starts, shown on its status update; usually null
   */
  private void enter(ServiceEntry entry, Phase next, Failure failure, Escalation escalation) {
    Phase left = entry.phase;
    if (left != null && left.timer() != null && left.timer() != next.timer()) {
      left.timer().cancel();
    }
    entry.phase = next;
    touch(entry);
    State previous = left == null ? null : left.state();
    State state = next.state();
    if (previous == state) {
      return;
    }
    if (previous != null && !previous.canMoveTo(state)) {
      throw new AssertionError("service '" + entry.name + "': illegal transition " + previous + " -> " + state);
    }
    entry.stateSince = now;
    entry.sequence++;
    if (publisher.wantsUpdates()) { // nobody to tell: no event to make (a crash storm makes millions)
      String stopReason = next instanceof Phase.AtRest atRest ? atRest.stopReason() : null;
      publisher.update(new StatusEvent(entry.id, entry.name, entry.spec.group(), entry.sequence, now, previous,
          state, failure, escalation, stopReason));
    }
  }

  private void touch(ServiceEntry entry) {
    publisher.touch(entry);
  }

  private void touch(GroupNode group) {
    publisher.touch(group);
  }

  private <T> void reply(CompletableFuture<T> future, T value) {
    publisher.reply(future, value);
  }
}
