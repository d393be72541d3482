package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.IDLE;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ManualControlTest extends EngineTestBase {

  @Test
  void autoStartFalseStaysIdleUntilStarted() {
    add(spec("lazy").autoStart(false), Workers.untilStopped());
    engine.sync();
    assertEquals(IDLE, engine.info("lazy").orElseThrow().state());
    engine.start("lazy");
    recorder.await("lazy", RUNNING);
  }

  @Test
  void stopKeepsTheServiceAndStartBringsItBackIdempotently() {
    add(spec("svc"), Workers.untilStopped());
    recorder.await("svc", RUNNING);
    engine.stop("svc");
    engine.stop("svc");
    recorder.await("svc", STOPPED);
    engine.sync();
    assertEquals(STOPPED, engine.info("svc").orElseThrow().state());
    engine.start("svc");
    engine.start("svc");
    recorder.await("svc", RUNNING, 2);
    engine.sync();
    assertEquals(2, engine.info("svc").orElseThrow().startCount(), "a second start of a running service does nothing");
  }

  @Test
  void restartRunsANewAttempt() throws Exception {
    java.util.concurrent.BlockingQueue<Integer> attempts = new java.util.concurrent.LinkedBlockingQueue<>();
    add(spec("svc"), ctx -> {
      attempts.add(ctx.attempt());
      ctx.awaitStop();
    });
    assertEquals(1, attempts.poll(20, TimeUnit.SECONDS));
    // The run has begun, but RUNNING may still wait in the event lane, and a request overtakes events:
    // restart once RUNNING has been seen, so that both runs reach it.
    recorder.await("svc", RUNNING);
    engine.restart("svc");
    // RUNNING (AUTO) may be seen a moment before run's first line: wait for the worker's own word.
    assertEquals(2, attempts.poll(20, TimeUnit.SECONDS));
    recorder.await("svc", RUNNING, 2);
    assertEquals(0, engine.info("svc").orElseThrow().failureCount(), "a requested stop is not a failure");
  }

  @Test
  void resetClearsCountersAndRevivesAFailedService() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("capped").restartDelay(ms(10)).maxRestarts(1), Workers.failing(runs));
    recorder.await("capped", BACKOFF);
    advance(ms(10));
    recorder.await("capped", FAILED);

    SupervisorException refused = assertThrows(SupervisorException.class, () -> engine.start("capped"));
    assertEquals(Kind.ILLEGAL_STATE, refused.kind());
    assertTrue(refused.getMessage().contains("reset"), refused.getMessage());

    engine.reset("capped");
    recorder.await("capped", BACKOFF, 2);
    engine.sync();
    ServiceInfo info = engine.info("capped").orElseThrow();
    assertEquals(1, info.restartCount(), "counted afresh since the reset");
    assertEquals(1, info.consecutiveFailures());
    assertEquals(3, runs.get());
  }

  @Test
  void resetCutsABackoffShort() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("slow").restartDelay(Duration.ofMinutes(10)).maxRestartDelay(Duration.ofMinutes(10)),
        Workers.failing(runs));
    recorder.await("slow", BACKOFF);
    engine.reset("slow");
    recorder.await("slow", BACKOFF, 2);
    assertEquals(2, runs.get());
  }

  @Test
  void unknownNamesGetAClearError() {
    for (Runnable call : List.<Runnable>of(() -> engine.start("nope"), () -> engine.stop("nope"),
        () -> engine.restart("nope"), () -> engine.reset("nope"))) {
      SupervisorException error = assertThrows(SupervisorException.class, call::run);
      assertEquals(Kind.UNKNOWN_SERVICE, error.kind());
      assertTrue(error.getMessage().contains("'nope'"), error.getMessage());
    }
    assertTrue(engine.info("nope").isEmpty());
  }

  @Test
  void removeStopsAndForgetsAndATokenWorksOnce() {
    ServiceToken token = add(spec("temp"), Workers.untilStopped());
    recorder.await("temp", RUNNING);
    token.remove();
    assertTrue(engine.info("temp").isEmpty(), "gone as soon as remove returns");
    StatusUpdate last = recorder.await("temp", STOPPED);
    int updatesBefore = recorder.awaitRemoval("temp");
    assertTrue(recorder.all().indexOf(last) < updatesBefore, "listeners hear of the removal after the last update");
    SupervisorException twice = assertThrows(SupervisorException.class, token::remove);
    assertEquals(Kind.UNKNOWN_SERVICE, twice.kind());
  }

  @Test
  void aTokenFromAnotherSupervisorIsRefusedAndNothingIsRemoved() {
    add(spec("mine"), Workers.untilStopped());
    try (Engine other = new Engine(clock, Jitter.NONE, EngineLog.QUIET)) {
      ServiceToken foreign = other.add(spec("mine").build(), Workers.untilStopped());
      SupervisorException error = assertThrows(SupervisorException.class, () -> engine.remove(foreign));
      assertEquals(Kind.WRONG_SUPERVISOR, error.kind());
      assertTrue(engine.info("mine").isPresent());
      assertTrue(other.info("mine").isPresent());
    }
  }

  @Test
  void awaitReadyReturnsWhenRunningAndFailsOnFailedOrRemoval() throws Exception {
    Workers.Explicit worker = new Workers.Explicit();
    add(spec("db").readiness(dev.supervisor.api.Readiness.EXPLICIT), worker);
    CompletableFuture<ServiceInfo> ready = engine.whenReady("db");
    worker.entered.await();
    assertTrue(!ready.isDone());
    worker.context.ready();
    assertEquals(RUNNING, engine.awaitReady("db", Duration.ofSeconds(20)).state());
    assertEquals(RUNNING, ready.get(20, TimeUnit.SECONDS).state());

    // EXPLICIT and never ready: it fails before it could ever count as RUNNING.
    add(spec("doomed").readiness(dev.supervisor.api.Readiness.EXPLICIT).maxRestarts(0).restart(dev.supervisor.api.RestartPolicy.ON_FAILURE).maxRestartsInWindow(1)
        .restartDelay(ms(10)), ctx -> { throw new java.io.IOException("no"); });
    recorder.await("doomed", BACKOFF);
    CompletableFuture<ServiceInfo> never = engine.whenReady("doomed");
    advance(ms(10));
    ExecutionException failed = assertThrows(ExecutionException.class, () -> never.get(20, TimeUnit.SECONDS));
    assertEquals(Kind.START_FAILURE, ((SupervisorException) failed.getCause()).kind());

    ServiceToken idle = add(spec("idle").autoStart(false), Workers.untilStopped());
    CompletableFuture<ServiceInfo> gone = engine.whenReady("idle");
    idle.remove();
    ExecutionException removed = assertThrows(ExecutionException.class, () -> gone.get(20, TimeUnit.SECONDS));
    assertEquals(Kind.UNKNOWN_SERVICE, ((SupervisorException) removed.getCause()).kind());

    SupervisorException isFailed = assertThrows(SupervisorException.class,
        () -> engine.awaitReady("doomed", Duration.ofSeconds(20)));
    assertTrue(isFailed.getMessage().contains("FAILED"), isFailed.getMessage());
    add(spec("sleeper").autoStart(false), Workers.untilStopped());
    java.util.concurrent.TimeoutException timeout = assertThrows(java.util.concurrent.TimeoutException.class,
        () -> engine.awaitReady("sleeper", Duration.ofMillis(1)));
    assertTrue(timeout.getMessage().contains("IDLE"), timeout.getMessage());
  }

  @Test
  void allCommandsActOnEveryService() {
    add(spec("a"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    recorder.await("b", RUNNING);
    engine.stopAll();
    recorder.await("a", STOPPED);
    engine.startAll();
    recorder.await("b", RUNNING, 2);
    engine.restartAll();
    recorder.await("b", RUNNING, 3);
    recorder.await("a", RUNNING, 3);
    engine.resetAll();
    engine.sync();
    assertEquals(2, engine.services().size());
    assertEquals(List.of("a", "b"), engine.services().stream().map(ServiceInfo::name).toList());
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
  void concurrentCommandsFromManyThreadsLeaveAConsistentState() throws Exception {
    add(spec("a"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    recorder.await("b", RUNNING);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          engine.restart("a");
          engine.stop("b");
          engine.start("b");
          engine.reset("a");
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertTrue(!thread.isAlive(), thread.getName() + " is stuck");
    }
    engine.start("a");
    engine.start("b");
    engine.awaitReady("b", Duration.ofSeconds(20));
    assertEquals(RUNNING, engine.info("a").orElseThrow().state());
  }

  @Test
  void aSpecUpdateAppliesFromTheNextDecisionWithoutDisturbingTheRun() throws Exception {
    java.util.concurrent.CountDownLatch fail = new java.util.concurrent.CountDownLatch(1);
    long id = engine.add(spec("svc").restartDelay(ms(100)).build(), WorkerSource.of(ctx -> {
      fail.await();
      throw new java.io.IOException("later");
    }), "test", Escalator.NONE);
    recorder.await("svc", RUNNING);
    engine.updateSpec(id, spec("svc").restartDelay(ms(700)).maxRestartDelay(Duration.ofSeconds(30)).build());
    assertEquals(ms(700), engine.info("svc").orElseThrow().spec().restartDelay(), "shown at once");
    assertEquals(RUNNING, engine.info("svc").orElseThrow().state(), "the run goes on");
    assertEquals(1, engine.info("svc").orElseThrow().startCount());
    fail.countDown();
    recorder.await("svc", BACKOFF);
    assertEquals(ms(700), engine.info("svc").orElseThrow().currentDelay(), "the next decision used it");

    SupervisorException refused = assertThrows(SupervisorException.class,
        () -> engine.updateSpec(id, spec("svc").group("elsewhere").build()));
    assertEquals(Kind.ILLEGAL_STATE, refused.kind());
  }
}
