package dev.supervisor.impl.engine;

import dev.supervisor.api.BootReport;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.api.Termination;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The supervisor: owns the control thread, the worker threads and the listener dispatcher, and turns
 * every API call into a message for the control thread. Reads ({@link #info}, {@link #services}) come from
 * published snapshots and never wait for the control thread.
 *
 * <p>Threads it starts, all named {@code supervisor-*}: {@code supervisor-control} (one; all state); the
 * worker threads ({@link RunThreadMode}: pooled platform threads called {@code supervisor-worker-idle-N}
 * while idle, or a virtual thread per call), called while busy {@code supervisor-run-<name>} (a run; a
 * restart usually runs on the thread of the run that ended), {@code supervisor-stop-<name>} (a worker's
 * {@code stop()}) or {@code supervisor-escalate-<name>} (a bundle refresh); and
 * {@code supervisor-dispatch-N} (listener delivery); with platform threads, {@code supervisor-starter}, which
 * starts new ones. The {@link SystemScheduler} adds
 * {@code supervisor-timer}. {@link #close()} ends them all (the scheduler's with its own shutdown), except
 * the thread of a run that ignored its stop timeout, which is reported: it returns once every run and every
 * call into a worker's code is over; idle worker threads are told to end by {@code supervisor-starter} and
 * end just after (ending thousands of platform threads takes the JVM seconds, which no caller waits for).
 */
public final class Engine implements Supervisor, AutoCloseable {
  private final Inbox inbox = new Inbox();
  private final PublishedView view;
  private final CompletableFuture<Termination> terminated = new CompletableFuture<>();
  private final ListenerDispatcher dispatcher;
  private final LiveRunThreads runThreads;
  private final ControlLoop controlLoop;
  private final Requests requests;
  /**
   * The last registration id handed out. Ids are given on the caller's thread, not by the control thread, so
   * that an add that does not wait ({@link #addWithoutWaiting}) knows its id at once.
   */
  private final AtomicLong lastId = new AtomicLong();

  /**
   * Creates the engine and starts its control thread.
   *
   * @param scheduler the clock and timers (not shut down by {@link #close()}: its owner does that)
   * @param jitter the source of restart-delay randomness
   * @param log where decisions and failures are written
   */
  public Engine(Scheduler scheduler, Jitter jitter, EngineLog log) {
    this(scheduler, jitter, log, RunThreadMode.PLATFORM);
  }

  /**
   * Creates the engine and starts its control thread.
   *
   * @param scheduler the clock and timers (not shut down by {@link #close()}: its owner does that)
   * @param jitter the source of restart-delay randomness
   * @param log where decisions and failures are written
   * @param threads what carries the runs: {@link RunThreadMode#VIRTUAL} on a Java without virtual threads is
   *     refused with one warning in {@code log}, and platform threads are used
   */
  public Engine(Scheduler scheduler, Jitter jitter, EngineLog log, RunThreadMode threads) {
    this.view = new PublishedView(scheduler);
    this.dispatcher = new ListenerDispatcher(log);
    this.runThreads = new LiveRunThreads(threads.carriers(inbox, log, inbox::size), inbox, log);
    Supervision supervision = new Supervision(new Timers(scheduler, inbox), jitter, log, runThreads,
        new Publisher(view.services, view.groups, dispatcher, dispatcher::execute, terminated));
    this.controlLoop = new ControlLoop(inbox, supervision, log);
    this.requests = new Requests(inbox);
    controlLoop.start();
  }

  // ---------------------------------------------------------------- for the OSGi adapter

  /**
   * Adds a worker from a source, with what carries out its {@code supervisor.escalate} (the OSGi adapter
   * refreshes the registering bundle). The escalator comes with the registration rather than with the engine:
   * the adapter knows the bundle when it adds, so nothing has to map registrations to bundles afterwards.
   * Derived dependencies ({@link ServiceSpec#derivedDependsOn()}) are a help, not a declaration: if they close
   * a cycle that the declared ones do not, they are left out, with a warning, and the service is added.
   *
   * @param spec the validated spec
   * @param source where each run's instance comes from
   * @param owner who registered it, for operators
   * @param escalator called off the control thread when the spec's escalation is due
   * @return the registration id
   * @throws SupervisorException ALREADY_EXISTS, CIRCULAR_DEPENDENCY or SUPERVISOR_STOPPED
   */
  public long add(ServiceSpec spec, WorkerSource source, String owner, Escalator escalator) {
    long id = lastId.incrementAndGet();
    return call(reply -> new Message.Add(id, spec, source, owner, escalator, false, reply));
  }

  /**
   * What {@link #addWithoutWaiting} answers at once.
   *
   * @param id the registration id, for {@link #remove(long)}, whether the add is then accepted or refused
   * @param refusal completes, on a listener-dispatch thread (never the control thread), only if the add is
   *     refused: with ALREADY_EXISTS or CIRCULAR_DEPENDENCY (the registration is then shown refused under
   *     {@code id}), or SUPERVISOR_STOPPED (the supervisor began to shut down first). An accepted add leaves it
   *     incomplete for good: it is for chaining what a refusal undoes, never for waiting on
   */
  public record PendingAdd(long id, CompletionStage<SupervisorException> refusal) {}

  /**
   * Adds a worker as {@link #add(ServiceSpec, WorkerSource, String, Escalator)} does, without waiting for the
   * control thread: for the OSGi adapter, whose whiteboard registrations come in service events on the
   * registering bundle's thread, where one round trip per service made a bundle that registers 1,000 workers
   * wait 1,000 times. A refusal cannot be thrown to a caller that has gone on: the registration is shown
   * refused instead (FAILED, with the refusal as its last failure, as {@link #reject} shows one) under the same
   * id, so {@link #remove(long)} of that id removes it whichever way it went. Requests are handled in the order
   * they are posted: a remove of the id made after this call returns finds the registration.
   *
   * @param spec the validated spec
   * @param source where each run's instance comes from
   * @param owner who registered it, for operators
   * @param escalator called off the control thread when the spec's escalation is due
   * @return its id, and its refusal should it be refused
   * @throws SupervisorException SUPERVISOR_STOPPED if the supervisor has been shut down
   */
  public PendingAdd addWithoutWaiting(ServiceSpec spec, WorkerSource source, String owner, Escalator escalator) {
    long id = lastId.incrementAndGet();
    CompletableFuture<Long> reply = requests.send(answer -> new Message.Add(id, spec, source, owner, escalator,
        true, answer));
    CompletableFuture<SupervisorException> refusal = new CompletableFuture<>();
    reply.whenComplete((accepted, error) -> {
      if (error != null) {
        // The reply may be completed on the control thread: what is chained onto a refusal must not run there.
        dispatcher.execute(() -> refusal.complete(error instanceof SupervisorException refused ? refused
            : new SupervisorException(Kind.ILLEGAL_STATE, spec.name(), "service '" + spec.name()
                + "': the supervisor could not add it: " + error, error)));
      }
    });
    return new PendingAdd(id, refusal);
  }

  /**
   * Shows a refused registration as a FAILED service whose last failure says why, until it is removed.
   *
   * @param name the name it asked for, or null; a placeholder name is used if it is unusable or taken
   * @param owner who registered it
   * @param error why it was refused
   * @return the registration id, for {@link #remove(long)}
   */
  public long reject(String name, String owner, SupervisorException error) {
    long id = lastId.incrementAndGet();
    return call(reply -> new Message.Reject(id, name, owner, error, reply));
  }

  /**
   * Removes one registration by id (whatever name it is shown under), blocking until it has stopped.
   *
   * @param id from {@link #add(ServiceSpec, WorkerSource, String, Escalator)} or {@link #reject}
   * @throws SupervisorException UNKNOWN_SERVICE if it is gone already; STOP_FAILURE if it was removed but did
   *     not stop cleanly (its stop() threw, or its run was abandoned at the stop timeout)
   */
  public void remove(long id) {
    this.<Void>call(reply -> new Message.Command(Message.Action.REMOVE, null, id, reply));
  }

  /**
   * Gives a registration new timings, limits or policy, used from the next decision on; the running worker
   * is not disturbed.
   *
   * @param id the registration
   * @param spec the new spec, with the same name and group (dependencies may change: the graph follows)
   * @throws SupervisorException UNKNOWN_SERVICE, or ILLEGAL_STATE if name, dependencies or group differ
   */
  public void updateSpec(long id, ServiceSpec spec) {
    this.<Void>call(reply -> new Message.UpdateSpec(id, spec, reply));
  }

  /** @return messages waiting for the control thread: growing when it cannot keep up (a crash storm) */
  public int queuedMessages() {
    return inbox.size();
  }

  /** Waits until every message posted before this call has been handled (a barrier for tests). */
  public void sync() {
    this.<Void>call(Message.Sync::new);
  }

  // ---------------------------------------------------------------- Supervisor

  @Override
  public ServiceToken add(ServiceSpec spec, Supervised worker) {
    return add(spec, worker, "api", Escalator.NONE);
  }

  @Override
  public ServiceToken add(ServiceSpec spec, Supplier<? extends Supervised> factory) {
    return addSource(spec, factory == null ? null : WorkerSource.fresh(spec == null ? null : spec.name(), factory),
        "api", Escalator.NONE);
  }

  /** {@link #addSource} of one instance for every run (the form EscalationTest uses). */
  public ServiceToken add(ServiceSpec spec, Supervised worker, String owner, Escalator escalator) {
    return addSource(spec, worker == null ? null : WorkerSource.of(worker), owner, escalator);
  }

  /**
   * {@link #add(ServiceSpec, Supervised)} or {@link #add(ServiceSpec, Supplier)} on behalf of a named owner
   * (the calling bundle), with what carries out the spec's escalation.
   *
   * @param spec the spec
   * @param source where each run's instance comes from
   * @param owner who adds it, for operators
   * @param escalator called off the control thread when the spec's escalation is due
   * @return the token
   */
  public ServiceToken addSource(ServiceSpec spec, WorkerSource source, String owner, Escalator escalator) {
    if (spec == null || source == null) {
      throw new SupervisorException(Kind.INVALID_ARGUMENT, spec == null ? null : spec.name(),
          "add needs a spec and a worker; got spec=" + spec + ", worker=" + source);
    }
    long id = add(spec, source, owner, escalator);
    return new EngineToken(this, spec.name(), id);
  }

  /**
   * @param token a token this engine issued
   * @return the registration id it stands for (the OSGi adapter tells who added a service by it)
   * @throws SupervisorException WRONG_SUPERVISOR for any other token
   */
  public long idOf(ServiceToken token) {
    if (!(token instanceof EngineToken mine) || mine.engine != this) {
      throw new SupervisorException(Kind.WRONG_SUPERVISOR, token == null ? null : token.name(),
          "wrong supervisor for this service token ('" + (token == null ? null : token.name()) + "')");
    }
    return mine.id;
  }

  /**
   * Removes several registrations together: every removal is asked for before any is waited for, so they
   * stop in parallel (dependents first) rather than one after the other. Blocks until all have stopped.
   *
   * @param ids registration ids; one that is gone already is skipped (it may have been removed meanwhile)
   * @throws SupervisorException SUPERVISOR_STOPPED after {@link #close()} (even for no ids); STOP_FAILURE if
   *     some were removed but did not stop cleanly: that one's own exception if it is one, else one naming all
   */
  public void removeEach(Collection<Long> ids) {
    requests.removeEach(ids);
  }

  @Override
  public void remove(ServiceToken token) {
    if (!(token instanceof EngineToken mine) || mine.engine != this) {
      throw new SupervisorException(Kind.WRONG_SUPERVISOR, token == null ? null : token.name(),
          "wrong supervisor for this service token ('" + (token == null ? null : token.name())
              + "'); no service removed");
    }
    this.<Void>call(reply -> new Message.Command(Message.Action.REMOVE, mine.name, mine.id, reply));
  }

  /**
   * Removes the service of that name, whoever added it: an engine used on its own has one caller, its owner.
   * (In OSGi each bundle's view checks that the service is the bundle's before it removes, by id.) A name that
   * is not supervised is not an error.
   */
  @Override
  public void remove(String name) {
    try {
      command(Message.Action.REMOVE, name);
    } catch (SupervisorException e) {
      if (e.kind() != Kind.UNKNOWN_SERVICE) {
        throw e;
      }
    }
  }

  /** Removes every service, as {@link #remove(String)} does each; see {@link #removeEach}. */
  @Override
  public void removeAll() {
    removeEach(view.services().stream().map(ServiceInfo::id).toList());
  }

  @Override public void start(String name) { command(Message.Action.START, name); }

  @Override public void stop(String name) { command(Message.Action.STOP, name); }

  @Override public void restart(String name) { command(Message.Action.RESTART, name); }

  @Override public void reset(String name) { command(Message.Action.RESET, name); }

  @Override public void startAll() { commandAll(Message.Action.START); }

  @Override public void stopAll() { commandAll(Message.Action.STOP); }

  @Override public void restartAll() { commandAll(Message.Action.RESTART); }

  @Override public void resetAll() { commandAll(Message.Action.RESET); }

  @Override public Optional<ServiceInfo> info(String name) { return view.service(name); }

  @Override public List<ServiceInfo> services() { return view.services(); }

  @Override
  public CompletableFuture<ServiceInfo> whenReady(String name) {
    return requests.post(name == null ? null : reply -> new Message.WatchReady(name, reply),
        "a service name is required, got null");
  }


  @Override
  public ServiceInfo awaitReady(String name, Duration timeout) throws TimeoutException, InterruptedException {
    long nanos = nanos(Requests.named(name), timeout);
    Optional<ServiceInfo> current = view.service(name);
    if (current.isPresent() && current.get().state() == dev.supervisor.api.State.RUNNING) {
      return current.get(); // ready now: no need to ask the control thread (and a zero timeout works)
    }
    CompletableFuture<ServiceInfo> future = whenReady(name);
    try {
      return future.get(nanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw Requests.rethrow(e.getCause());
    } catch (TimeoutException e) {
      future.cancel(false);
      String state = info(name).map(info -> info.state() + (info.lastFailure().isPresent()
          ? " (last failure: " + info.lastFailure().get() + ")" : "")).orElse("not registered");
      throw new TimeoutException("service '" + name + "' not RUNNING after " + timeout + "; it is " + state);
    }
  }

  @Override
  public BootReport awaitStarted(Duration timeout) throws InterruptedException {
    long nanos = nanos(null, timeout);
    if (requests.closed()) {
      throw stopped();
    }
    return StartUp.await(view, dispatcher, nanos);
  }

  @Override
  public void configureGroup(GroupSpec spec) {
    if (spec == null) {
      throw new SupervisorException(Kind.INVALID_ARGUMENT, null, "configureGroup needs a GroupSpec, got null");
    }
    this.<Void>call(reply -> new Message.ConfigureGroup(spec, reply));
  }

  @Override public Optional<GroupInfo> group(String path) { return view.group(path); }

  @Override public List<GroupInfo> groups() { return view.groups(); }

  @Override
  public void restartGroup(String path) {
    groupCommand(Message.Action.RESTART, path);
  }

  /**
   * Waits interruptibly: an interrupt ends the wait (the group goes on stopping), as the interface promises.
   */
  @Override
  public List<String> stopGroup(String path) throws InterruptedException {
    if (path == null) {
      throw new SupervisorException(Kind.INVALID_ARGUMENT, null, "a group path is required, got null");
    }
    return requests.callInterruptibly(reply -> new Message.GroupCommand(Message.Action.STOP, path, reply));
  }

  @Override
  public void resetGroup(String path) {
    groupCommand(Message.Action.RESET, path);
  }

  private List<String> groupCommand(Message.Action action, String path) {
    if (path == null) {
      throw new SupervisorException(Kind.INVALID_ARGUMENT, null, "a group path is required, got null");
    }
    return this.<List<String>>call(reply -> new Message.GroupCommand(action, path, reply));
  }

  @Override public CompletableFuture<Termination> terminateGroup(String path) { return groupEnd(path, true); }

  @Override public CompletableFuture<Termination> whenGroupTerminated(String path) { return groupEnd(path, false); }

  private CompletableFuture<Termination> groupEnd(String path, boolean terminate) {
    return path != null && path.isEmpty() && requests.closed() ? whenTerminated()
        : requests.post(path == null ? null : reply -> new Message.GroupTermination(path, terminate, reply),
            "a group path is required");
  }


  @Override
  public CompletableFuture<Termination> whenTerminated() {
    return terminated.copy();
  }

  @Override
  public Termination awaitTermination(Duration timeout) throws TimeoutException, InterruptedException {
    try {
      return terminated.get(nanos(null, timeout), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw Requests.rethrow(e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException("the supervisor is still running after " + timeout);
    }
  }

  @Override
  public void addListener(SupervisorListener listener) {
    if (listener != null) {
      dispatcher.add(listener);
    }
  }

  @Override
  public void removeListener(SupervisorListener listener) {
    if (listener != null) {
      dispatcher.remove(listener);
    }
  }

  /**
   * Stops every service in reverse dependency order, waits for every run to end (each bounded by its
   * stop timeout), then ends the supervisor's threads. Idempotent; later calls of any control method
   * throw {@code SUPERVISOR_STOPPED}.
   */
  @Override
  public void close() {
    if (requests.closed()) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    inbox.post(new Message.Shutdown(done));
    requests.close();
    done.join();
    controlLoop.stop(10);
    dispatcher.shutdown(5);
    runThreads.shutdown(5);
  }

  // ---------------------------------------------------------------- plumbing

  private void command(Message.Action action, String name) {
    this.<Void>call(reply -> new Message.Command(action, Requests.named(name), 0, reply));
  }

  private void commandAll(Message.Action action) {
    this.<Void>call(reply -> new Message.CommandAll(action, reply));
  }

  private <T> T call(Function<CompletableFuture<T>, Message> request) {
    return requests.call(request);
  }

  private static long nanos(String name, Duration timeout) {
    return Requests.nanos(name, timeout);
  }

  private static SupervisorException stopped() {
    return Requests.stopped();
  }
}
