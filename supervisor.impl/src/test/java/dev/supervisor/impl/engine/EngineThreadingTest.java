package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STOPPED;
import static dev.supervisor.api.State.STOPPING;
import static dev.supervisor.api.State.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.FatalException;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.api.Termination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@link Engine} on real threads: what the stepped tests cannot show, because it is about threads (a run
 * thread named, interrupted and abandoned, {@code stop()} on a thread of its own, listeners on theirs, every
 * thread ended by close, callers on many threads) or about the facade itself (tokens, blocking calls). Time
 * is virtual; waits have a generous deadline only so that a broken engine fails instead of hanging, and
 * nothing is timed. The logic of supervision is tested stepped ({@link Stepper}).
 */
class EngineThreadingTest extends EngineTestBase {

  @Test
  void concurrentCommandsFromManyThreadsLeaveAConsistentState() throws Exception {
    add(spec("a"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    recorder.await("b", RUNNING);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          engine.restart("a");
          engine.stop("b");
          engine.start("b");
          engine.reset("a");
        }
      }, "commands-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(thread.isAlive(), thread.getName() + " is stuck");
    }
    engine.start("a");
    engine.start("b");
    assertEquals(RUNNING, engine.awaitReady("b", Duration.ofSeconds(20)).state());
    assertEquals(RUNNING, engine.info("a").orElseThrow().state());
  }

  @Test
  void aTokenFromAnotherSupervisorIsRefusedAndNothingIsRemoved() {
    add(spec("mine"), Workers.untilStopped());
    try (Engine other = TestThreads.engine(clock, Jitter.NONE, EngineLog.QUIET)) {
      ServiceToken foreign = other.add(spec("mine").build(), Workers.untilStopped());
      SupervisorException error = assertThrows(SupervisorException.class, () -> engine.remove(foreign));
      assertEquals(Kind.WRONG_SUPERVISOR, error.kind());
      assertTrue(engine.info("mine").isPresent());
      assertTrue(other.info("mine").isPresent());
    }
  }

  @Test
  void awaitReadyAnswersARunningServiceAtOnceAndSaysWhatAServiceIsWhenItTimesOut() throws Exception {
    add(spec("up"), Workers.untilStopped());
    recorder.await("up", RUNNING);
    engine.sync();
    // Issue 13: a zero timeout timed out even for a RUNNING service.
    assertEquals(RUNNING, engine.awaitReady("up", Duration.ZERO).state());
    add(spec("sleeper").autoStart(false), Workers.untilStopped());
    TimeoutException timeout = assertThrows(TimeoutException.class,
        () -> engine.awaitReady("sleeper", Duration.ofMillis(1)));
    assertTrue(timeout.getMessage().contains("IDLE"), timeout.getMessage());
  }

  @Test
  void callsAfterCloseAreRefused() {
    add(spec("svc"), Workers.untilStopped());
    recorder.await("svc", RUNNING);
    engine.close();
    recorder.await("svc", STOPPED);
    SupervisorException error = assertThrows(SupervisorException.class, () -> engine.start("svc"));
    assertEquals(Kind.SUPERVISOR_STOPPED, error.kind());
    assertThrows(SupervisorException.class, () -> add(spec("late"), Workers.untilStopped()));
  }

  @Test
  void runIsOnANamedThreadAndStopIsCalledOnceOnAnotherWhileRunBlocks() throws Exception {
    CountDownLatch inRun = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicInteger stopCalls = new AtomicInteger();
    AtomicReference<String> runThread = new AtomicReference<>();
    AtomicReference<String> stopThread = new AtomicReference<>();
    add(spec("socket"), new Supervised() {
      @Override
      public void run(RunContext ctx) throws Exception {
        runThread.set(Thread.currentThread().getName());
        inRun.countDown();
        stopped.await();
      }

      @Override
      public void stop() {
        stopCalls.incrementAndGet();
        stopThread.set(Thread.currentThread().getName());
        stopped.countDown();
      }
    });
    assertTrue(inRun.await(20, TimeUnit.SECONDS)); // a stop asked earlier would find run not called yet
    engine.stop("socket");
    recorder.await("socket", STOPPED);
    assertEquals(1, stopCalls.get());
    assertEquals("supervisor-run-socket", runThread.get());
    assertEquals("supervisor-stop-socket", stopThread.get());
  }

  /**
   * A worker whose run returns as soon as it is asked to stop, while its stop() is still going and then
   * throws: the end of the run waits for stop(), so the removal hears of the failure (before, the run's end
   * was handled first and the removal said all went well).
   */
  @Test
  void aStopThatThrowsAfterRunHasReturnedIsStillReportedToTheRemover() throws Exception {
    java.util.concurrent.CountDownLatch inStop = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch mayThrow = new java.util.concurrent.CountDownLatch(1);
    dev.supervisor.api.ServiceToken token = add(spec("closer"), new Supervised() {
      @Override
      public void run(RunContext ctx) throws InterruptedException {
        ctx.awaitStop();
      }

      @Override
      public void stop() {
        inStop.countDown();
        try {
          mayThrow.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("port still bound");
      }
    });
    recorder.await("closer", RUNNING);
    java.util.concurrent.CompletableFuture<Void> removal = java.util.concurrent.CompletableFuture.runAsync(token::remove);
    assertTrue(inStop.await(20, java.util.concurrent.TimeUnit.SECONDS));
    mayThrow.countDown();
    java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> removal.get(20, java.util.concurrent.TimeUnit.SECONDS));
    SupervisorException unclean = (SupervisorException) failed.getCause();
    assertEquals(SupervisorException.Kind.STOP_FAILURE, unclean.kind());
    assertTrue(unclean.getMessage().contains("port still bound"), unclean.getMessage());
  }

  @Test
  void aRunThatIgnoresStopIsInterruptedAndAbandonedAndTheNextRunDoesNotOverlapIt() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    Workers.Stubborn stubborn = new Workers.Stubborn();
    add(spec("stubborn").stopTimeout(Duration.ofSeconds(10)), ctx -> {
      mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
      try {
        if (ctx.attempt() == 1) {
          stubborn.run(ctx);
        } else {
          ctx.awaitStop();
        }
      } finally {
        inside.decrementAndGet();
      }
    });
    assertTrue(stubborn.inside.await(20, TimeUnit.SECONDS));
    recorder.await("stubborn", RUNNING);
    engine.stop("stubborn");
    recorder.await("stubborn", STOPPING);
    advance(Duration.ofSeconds(10));
    StatusUpdate stopped = recorder.await("stubborn", STOPPED);
    assertTrue(stubborn.interrupted.await(20, TimeUnit.SECONDS), "the run thread was interrupted");
    Failure failure = stopped.failure().orElseThrow();
    assertEquals(FailureKind.STOP_TIMEOUT, failure.kind());
    assertTrue(failure.message().contains("supervisor-run-stubborn"), failure.message());
    assertTrue(failure.stackTrace().contains("Stubborn.run"), failure.stackTrace());

    engine.start("stubborn");
    engine.sync();
    assertEquals(WAITING, engine.info("stubborn").orElseThrow().state());
    stubborn.release.countDown();
    recorder.await("stubborn", RUNNING, 2);
    assertEquals(1, mostInside.get(), "never two runs of one name at once");
  }

  @Test
  void aListenerGetsEveryUpdateInOrderOnItsOwnThread() {
    List<String> threadNames = new CopyOnWriteArrayList<>();
    engine.addListener(update -> threadNames.add(Thread.currentThread().getName()));
    AtomicInteger runs = new AtomicInteger();
    add(spec("seq").restartDelay(Duration.ZERO).maxRestartDelay(Duration.ZERO).maxRestarts(50),
        Workers.failing(runs));
    recorder.await("seq", FAILED);
    List<StatusUpdate> all = recorder.all();
    for (int i = 0; i < all.size(); i++) {
      assertEquals(i + 1, all.get(i).sequence(), all.get(i).toString());
    }
    assertEquals(51, runs.get());
    assertTrue(threadNames.stream().allMatch(name -> name.startsWith("supervisor-dispatch-")), threadNames::toString);
  }

  @Test
  void aSlowOrThrowingListenerStallsNeitherSupervisionNorOtherListeners() throws Exception {
    CountDownLatch unblock = new CountDownLatch(1);
    engine.addListener(update -> {
      try {
        unblock.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    engine.addListener(update -> {
      throw new IllegalStateException("listener bug");
    });
    add(spec("a"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    recorder.await("b", RUNNING);
    engine.stop("b");
    recorder.await("b", STOPPED);
    assertEquals(STOPPED, engine.info("b").orElseThrow().state());
    unblock.countDown();
  }

  @Test
  void onPlatformThreadsARestartRunsOnTheThreadOfTheRunThatEnded() throws Exception {
    Assumptions.assumeTrue(TestThreads.mode() == RunThreadMode.PLATFORM, "virtual threads are not reused");
    List<Thread> runThreads = new CopyOnWriteArrayList<>();
    CountDownLatch fourthRun = new CountDownLatch(1);
    add(spec("flapper").restartDelay(Duration.ZERO), ctx -> {
      runThreads.add(Thread.currentThread());
      if (runThreads.size() < 4) {
        throw new IllegalStateException("run " + runThreads.size());
      }
      fourthRun.countDown();
      ctx.awaitStop();
    });
    assertTrue(fourthRun.await(20, TimeUnit.SECONDS), "runs: " + runThreads);
    // It made itself idle before it posted its run's end, so the decision to restart finds it first.
    assertEquals(1, runThreads.stream().distinct().count(), runThreads.toString());
  }

  @Test
  void closeStopsInReverseOrderAndEndsEveryThread() throws Exception {
    add(spec("a"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    add(spec("c").dependsOn("b"), Workers.untilStopped());
    recorder.await("c", RUNNING);
    engine.close();
    List<String> all = recorder.transitions();
    assertTrue(all.indexOf("c:STOPPED") < all.indexOf("b:STOPPING"), all.toString());
    assertTrue(all.indexOf("b:STOPPED") < all.indexOf("a:STOPPING"), all.toString());
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("supervisor-")) {
        thread.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(thread.isAlive(), thread.getName() + " still alive after close");
      }
    }
  }

  @Test
  void stopGroupBlocksItsCallerUntilTheGroupHasStoppedAndAnInterruptEndsTheWait() throws Exception {
    engine.configureGroup(GroupSpec.builder("g").stopTimeout(Duration.ofMinutes(1)).build());
    Workers.Stubborn stubborn = new Workers.Stubborn();
    add(spec("polite").group("g"), Workers.untilStopped());
    add(spec("stubborn").group("g").stopTimeout(Duration.ofMinutes(1)), stubborn);
    recorder.await("polite", RUNNING);
    assertTrue(stubborn.inside.await(20, TimeUnit.SECONDS));
    CompletableFuture<Object> interrupted = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        interrupted.complete(engine.stopGroup("g"));
      } catch (Throwable e) {
        interrupted.complete(e);
      }
    }, "stop-group-caller");
    caller.start();
    recorder.await("polite", STOPPED);
    recorder.await("stubborn", STOPPING);
    assertFalse(interrupted.isDone(), "stubborn has not stopped");
    caller.interrupt();
    assertTrue(interrupted.get(20, TimeUnit.SECONDS) instanceof InterruptedException, () -> interrupted.join().toString());
    stubborn.release.countDown();
    recorder.await("stubborn", STOPPED);
    assertEquals(List.of(), engine.stopGroup("g"), "a group that has stopped answers at once");
  }

  @Test
  void aFatalErrorEndsTheEngineAndAwaitTerminationAndListenersHearOfIt() throws Exception {
    CompletableFuture<Termination> heard = new CompletableFuture<>();
    engine.addListener(new SupervisorListener() {
      @Override public void statusChanged(StatusUpdate update) {}

      @Override public void supervisorTerminated(Termination termination) { heard.complete(termination); }
    });
    add(spec("base"), Workers.untilStopped());
    add(spec("fatal").dependsOn("base"), ctx -> {
      throw new FatalException(7, "unrecoverable");
    });
    Termination termination = engine.awaitTermination(Duration.ofSeconds(20));
    assertEquals(7, termination.exitStatus());
    assertEquals(termination, heard.get(20, TimeUnit.SECONDS));
    assertEquals(termination, engine.whenTerminated().get(20, TimeUnit.SECONDS));
    assertEquals(STOPPED, engine.info("base").orElseThrow().state());
    assertThrows(SupervisorException.class, () -> engine.start("base"));
  }
  @Test
  void anAddThatDoesNotWaitIsFoundByARemoveRightAfterIt() {
    for (int i = 0; i < 100; i++) {
      Engine.PendingAdd added = engine.addWithoutWaiting(spec("brief-" + i).build(),
          WorkerSource.of(Workers.untilStopped()), "test", Escalator.NONE);
      engine.remove(added.id()); // would throw UNKNOWN_SERVICE had it overtaken the add
      assertTrue(engine.info("brief-" + i).isEmpty());
    }
  }

  @Test
  void anAddThatDoesNotWaitAndIsRefusedIsShownUnderItsIdAndItsRefusalIsHandedOver() throws Exception {
    add(spec("taken"), Workers.untilStopped());
    recorder.await("taken", RUNNING);
    Engine.PendingAdd clash = engine.addWithoutWaiting(spec("taken").build(), WorkerSource.of(Workers.untilStopped()),
        "bundle b [8]", Escalator.NONE);

    SupervisorException refused = clash.refusal().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(Kind.ALREADY_EXISTS, refused.kind());
    var shown = engine.services().stream().filter(info -> info.id() == clash.id()).findFirst().orElseThrow();
    assertEquals(FAILED, shown.state());
    assertEquals(refused.getMessage(), shown.lastFailure().orElseThrow().message());
    engine.remove(clash.id());
    assertEquals(RUNNING, engine.info("taken").orElseThrow().state());
  }

  @Test
  void anAddThatDoesNotWaitIsRefusedAtOnceOnceTheEngineIsClosed() {
    engine.close();
    SupervisorException refused = assertThrows(SupervisorException.class, () -> engine.addWithoutWaiting(
        spec("late").build(), WorkerSource.of(Workers.untilStopped()), "test", Escalator.NONE));
    assertEquals(Kind.SUPERVISOR_STOPPED, refused.kind());
  }
}
