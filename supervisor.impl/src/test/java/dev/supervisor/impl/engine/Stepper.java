package dev.supervisor.impl.engine;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Termination;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Steps the supervision state machine by hand, as suture's tests feed their supervisor: the real
 * {@link Supervision}, {@link Inbox} and {@link Publisher}, virtual time, and scripted runs instead of
 * threads. A test posts a message (the calls named after {@code Supervisor}'s: {@link #add}, {@link #stop},
 * ...), which is handled at once with everything it set off ({@link #settle()}), and decides itself when a
 * run is entered, becomes ready, returns, throws or ignores its stop ({@link #enter}, {@link #ready},
 * {@link #end}). No thread, no deadline: after every message the engine's invariants are checked
 * ({@link Invariants}), and what listeners are told is in {@link #updates} as soon as it is handled.
 */
final class Stepper {
  final VirtualScheduler clock = new VirtualScheduler();
  final Inbox inbox = new Inbox();
  final ScriptedRuns runs = new ScriptedRuns(inbox);
  /** Every status update, removal and termination, delivered on the stepping thread. */
  final StatusLog updates = new StatusLog();
  final ListenerDispatcher dispatcher = InlineDispatch.dispatcher();
  /** What Engine's readers see ({@code info}, {@code group}), read at the virtual time. */
  final PublishedView view = new PublishedView(clock);
  final ConcurrentHashMap<String, Snapshot> published = view.services;
  final ConcurrentHashMap<String, GroupSnapshot> publishedGroups = view.groups;
  final CompletableFuture<Termination> terminated = new CompletableFuture<>();
  final Supervision supervision;
  /** Whether the invariants are checked after every message: O(services) each, too slow for huge tests. */
  private final boolean checkEveryMessage;
  long handled;
  private long lastId;

  Stepper() {
    this(true);
  }

  /** @param checkEveryMessage false for tests of thousands of services: they call {@link #checkInvariants} */
  Stepper(boolean checkEveryMessage) {
    this(checkEveryMessage, EngineLog.QUIET);
  }

  /** @param log where the engine writes its decisions (a test may record them) */
  Stepper(EngineLog log) {
    this(true, log);
  }

  private Stepper(boolean checkEveryMessage, EngineLog log) {
    this.checkEveryMessage = checkEveryMessage;
    dispatcher.add(updates);
    supervision = new Supervision(new Timers(clock, inbox), Jitter.NONE, log, runs,
        new Publisher(published, publishedGroups, dispatcher, Runnable::run, terminated));
  }

  /** A spec with jitter off, so delays are exact. */
  static ServiceSpec.Builder spec(String name) {
    return ServiceSpec.builder(name).jitter(0.0);
  }

  static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  // ---------------------------------------------------------------- stepping

  /**
   * Handles every message that waits, one at a time, checking the invariants after each; when none waits,
   * calls the escalator the engine asked for (off the machine, as the run threads do), and goes on.
   */
  void settle() {
    while (step() || runs.callNextEscalator()) {
      // until nothing waits
    }
  }

  /**
   * Handles the next message only (a request before events posted earlier, as the {@link Inbox} orders
   * them): for a test that forces an order, posting several messages before any is handled.
   *
   * @return false if no message waited
   */
  boolean step() {
    Message message = inbox.poll();
    if (message == null) {
      return false;
    }
    supervision.handle(message);
    supervision.deliver();
    handled++;
    if (checkEveryMessage) {
      checkInvariants("after " + message);
    }
    return true;
  }

  void checkInvariants(String when) {
    List<String> violations = supervision.invariantViolations();
    if (!violations.isEmpty()) {
      throw new AssertionError(when + ": " + violations);
    }
  }

  /** Posts a request and settles; @return its reply (done, or still waiting for a run to end) */
  <T> CompletableFuture<T> request(Function<CompletableFuture<T>, Message> request) {
    CompletableFuture<T> reply = new CompletableFuture<>();
    inbox.post(request.apply(reply));
    settle();
    return reply;
  }

  /**
   * Posts a request that is answered at once, as {@code Engine}'s blocking calls are.
   *
   * @return its answer
   * @throws RuntimeException what the engine refused it with (a {@code SupervisorException})
   */
  <T> T call(Function<CompletableFuture<T>, Message> request) {
    CompletableFuture<T> reply = request(request);
    if (!reply.isDone()) {
      throw new AssertionError("not answered: it waits for a run to end (use request() for that)");
    }
    try {
      return reply.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException refusal ? refusal : e;
    }
  }

  /** Moves virtual time on; what each timer posts is handled when it is due, before the next timer runs. */
  void advance(Duration by) {
    settle();
    clock.advance(by, this::settle);
  }

  // ---------------------------------------------------------------- requests

  /** @return the registration id of a service added by the plain API (no bundle to refresh) */
  long add(ServiceSpec.Builder spec) {
    return add(spec.build(), "api", Escalator.NONE);
  }

  /**
   * Adds a service whose escalation {@code escalator} carries out (called, as the run threads would, once
   * the engine asks; what it answers is posted back at once).
   *
   * @return the registration id
   */
  long add(ServiceSpec spec, String owner, Escalator escalator) {
    runs.escalators.put(spec.name(), escalator);
    long id = nextId();
    return call(reply -> new Message.Add(id, spec, WorkerSource.of(ScriptedRuns.SCRIPTED), owner, escalator, false,
        reply));
  }

  /**
   * Adds as {@code Engine.addWithoutWaiting} does: a refusal is shown under the id rather than thrown.
   *
   * @return the id, and the reply (failed with the refusal, if refused)
   */
  Map.Entry<Long, CompletableFuture<Long>> addWithoutWaiting(ServiceSpec.Builder spec, String owner) {
    long id = nextId();
    ServiceSpec built = spec.build();
    return Map.entry(id, request(reply -> new Message.Add(id, built, WorkerSource.of(ScriptedRuns.SCRIPTED), owner,
        Escalator.NONE, true, reply)));
  }

  /** @return a new registration id, as {@code Engine} hands them out with each add or reject */
  long nextId() {
    return ++lastId;
  }

  void start(String name) { command(Message.Action.START, name); }

  void stop(String name) { command(Message.Action.STOP, name); }

  void restart(String name) { command(Message.Action.RESTART, name); }

  void reset(String name) { command(Message.Action.RESET, name); }

  private void command(Message.Action action, String name) {
    this.<Void>call(reply -> new Message.Command(action, name, 0, reply));
  }

  /** @return done once the registration is gone (failed if its stop was not clean) */
  CompletableFuture<Void> remove(long id) {
    return request(reply -> new Message.Command(Message.Action.REMOVE, null, id, reply));
  }

  void startAll() { commandAll(Message.Action.START); }

  void stopAll() { commandAll(Message.Action.STOP); }

  void restartAll() { commandAll(Message.Action.RESTART); }

  void resetAll() { commandAll(Message.Action.RESET); }

  private void commandAll(Message.Action action) {
    this.<Void>call(reply -> new Message.CommandAll(action, reply));
  }

  void updateSpec(long id, ServiceSpec.Builder spec) {
    this.<Void>call(reply -> new Message.UpdateSpec(id, spec.build(), reply));
  }

  void configureGroup(GroupSpec.Builder spec) {
    this.<Void>call(reply -> new Message.ConfigureGroup(spec.build(), reply));
  }

  /** @return the stragglers, once every member has stopped or the group's stop timeout ran out */
  CompletableFuture<List<String>> stopGroup(String path) {
    return request(reply -> new Message.GroupCommand(Message.Action.STOP, path, reply));
  }

  void restartGroup(String path) {
    this.<List<String>>call(reply -> new Message.GroupCommand(Message.Action.RESTART, path, reply));
  }

  CompletableFuture<ServiceInfo> whenReady(String name) {
    CompletableFuture<ServiceInfo> future = new CompletableFuture<>();
    inbox.post(new Message.WatchReady(name, future));
    settle();
    return future;
  }

  /** {@code Engine.close()}'s message: @return done once every run has ended */
  CompletableFuture<Void> shutdown() {
    return request(Message.Shutdown::new);
  }

  // ---------------------------------------------------------------- what is published

  /** @return what {@code Engine.info} would show now; fails the test if nothing is published for it */
  ServiceInfo info(String name) {
    return view.service(name).orElseThrow(
        () -> new AssertionError("nothing is published for '" + name + "'; published: " + published.keySet()));
  }

  boolean isPublished(String name) {
    return published.containsKey(name);
  }

  State state(String name) {
    return info(name).state();
  }

  /** @return what {@code Engine.group} would show now */
  GroupInfo group(String path) {
    return view.group(path).orElseThrow(
        () -> new AssertionError("no group '" + path + "'; groups: " + publishedGroups.keySet()));
  }

  // ---------------------------------------------------------------- runs, by service name

  /** The launched run of {@code name} enters run (AUTO readiness: it is RUNNING). @return that run */
  Run enter(String name) {
    Run run = runs.launched(name);
    runs.enter(run);
    settle();
    return run;
  }

  /** Enters every launched run, and each launched meanwhile, in launch order. @return their names in that order */
  List<String> enterAll() {
    List<String> entered = new ArrayList<>();
    while (!runs.launched.isEmpty()) {
      Run run = runs.launched.iterator().next();
      entered.add(run.name());
      runs.enter(run);
      settle();
    }
    return entered;
  }

  /**
   * Every run asked to stop returns, and each asked meanwhile, in the order asked: workers that honour
   * their stop. @return their names in that order
   */
  List<String> returnAllStopped() {
    List<String> returned = new ArrayList<>();
    while (!runs.stopCalled.isEmpty()) {
      Run run = runs.stopCalled.iterator().next();
      returned.add(run.name());
      end(run, null);
    }
    return returned;
  }

  /** @return the names of the runs whose stop() was called and that have not returned, sorted */
  List<String> askedToStop() {
    return runs.stopCalled.stream().map(Run::name).sorted().toList();
  }

  /** The current run of {@code name} calls ctx.ready(). */
  void ready(String name) {
    runs.current(name).ready();
    settle();
  }

  /** The current run of {@code name} calls ctx.notReady(). */
  void notReady(String name) {
    runs.current(name).notReady();
    settle();
  }

  /** The current run of {@code name} returns ({@code error} null) or throws {@code error}. */
  void end(String name, Throwable error) {
    end(runs.current(name), error);
  }

  void end(Run run, Throwable error) {
    runs.end(run, error);
    settle();
  }

  /** The launched run of {@code name} enters and throws, as a worker that fails every run does. */
  void crash(String name) {
    Run run = enter(name);
    end(run, new IOException("boom " + run.attempt()));
  }

  /** The current run of {@code name}, asked to stop, has its stop() throw {@code error}. */
  void stopThrows(String name, RuntimeException error) {
    Run run = runs.current(name);
    if (!runs.stopCalled.contains(run)) {
      throw new AssertionError("stop() was not called on " + run);
    }
    inbox.post(new Message.StopFailed(run, error));
    settle();
  }
}
