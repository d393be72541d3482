package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STARTING;
import static dev.supervisor.api.State.STOPPED;
import static dev.supervisor.api.State.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.FailureKind;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.StatusUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LifecycleTest extends EngineTestBase {

  @Test
  void explicitReadinessThatNeverComesIsAFailedStart() throws Exception {
    Workers.Explicit worker = new Workers.Explicit();
    add(spec("mute").readiness(Readiness.EXPLICIT).readyTimeout(Duration.ofSeconds(5)).restartDelay(ms(100)),
        worker);
    worker.entered.await();
    advance(Duration.ofMillis(4999));
    assertEquals(STARTING, engine.info("mute").orElseThrow().state());
    advance(ms(1));
    StatusUpdate backoff = recorder.await("mute", BACKOFF);
    assertEquals(FailureKind.READY_TIMEOUT, backoff.failure().orElseThrow().kind());
    assertTrue(backoff.failure().orElseThrow().message().contains("supervisor.readyTimeout"));
    assertTrue(worker.context.stopRequested(), "the run that never became ready was asked to stop");
    assertEquals(List.of(dev.supervisor.api.State.IDLE, STARTING, STOPPING, BACKOFF), recorder.states("mute"));
  }

  /** Issue 13: a stop() that threw was only logged, and remove returned as if all went well. */
  @Test
  void aStopThatThrowsIsRecordedAndTheRemovalReportsIt() throws Exception {
    java.util.concurrent.CountDownLatch mayReturn = new java.util.concurrent.CountDownLatch(1);
    dev.supervisor.api.ServiceToken token = add(spec("clumsy"), new dev.supervisor.api.Supervised() {
      @Override
      public void run(dev.supervisor.api.RunContext ctx) throws Exception {
        mayReturn.await();
      }

      @Override
      public void stop() {
        throw new IllegalStateException("socket already closed");
      }
    });
    recorder.await("clumsy", RUNNING);
    java.util.concurrent.CompletableFuture<Void> removal =
        java.util.concurrent.CompletableFuture.runAsync(token::remove);
    recorder.await("clumsy", STOPPING);
    // The run returns only once the supervisor has seen stop() throw (its failure is shown while STOPPING).
    for (int i = 0; i < 2_000 && engine.info("clumsy").orElseThrow().lastFailure().isEmpty(); i++) {
      engine.sync();
      Thread.onSpinWait();
    }
    assertEquals(FailureKind.STOP_FAILURE, engine.info("clumsy").orElseThrow().lastFailure().orElseThrow().kind());
    mayReturn.countDown();
    java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> removal.get(20, TimeUnit.SECONDS));
    dev.supervisor.api.SupervisorException unclean = (dev.supervisor.api.SupervisorException) failed.getCause();
    assertEquals(dev.supervisor.api.SupervisorException.Kind.STOP_FAILURE, unclean.kind());
    assertTrue(unclean.getMessage().contains("socket already closed"), unclean.getMessage());
    StatusUpdate stopped = recorder.await("clumsy", STOPPED);
    assertEquals(FailureKind.STOP_FAILURE, stopped.failure().orElseThrow().kind());
    assertTrue(engine.info("clumsy").isEmpty(), "removed all the same");
  }

  @Test
  void aRemovalThatOutlivesTheStopTimeoutIsReportedToTheCaller() throws Exception {
    Workers.Stubborn worker = new Workers.Stubborn();
    dev.supervisor.api.ServiceToken token = add(spec("stubborn").stopTimeout(Duration.ofSeconds(10)), worker);
    recorder.await("stubborn", RUNNING);
    java.util.concurrent.CompletableFuture<Void> removal =
        java.util.concurrent.CompletableFuture.runAsync(token::remove);
    recorder.await("stubborn", STOPPING);
    advance(Duration.ofSeconds(10));
    java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> removal.get(20, TimeUnit.SECONDS));
    assertEquals(dev.supervisor.api.SupervisorException.Kind.STOP_FAILURE,
        ((dev.supervisor.api.SupervisorException) failed.getCause()).kind());
    worker.release.countDown();
  }

  @Test
  void aRunThatIgnoresStopIsInterruptedThenAbandonedAndReported() throws Exception {
    Workers.Stubborn worker = new Workers.Stubborn();
    add(spec("stubborn").stopTimeout(Duration.ofSeconds(10)), worker);
    recorder.await("stubborn", RUNNING);
    engine.stop("stubborn");
    recorder.await("stubborn", STOPPING);
    advance(Duration.ofSeconds(10));
    StatusUpdate stopped = recorder.await("stubborn", STOPPED);
    assertTrue(worker.interrupted.await(20, TimeUnit.SECONDS), "the run thread was interrupted");
    assertEquals(FailureKind.STOP_TIMEOUT, stopped.failure().orElseThrow().kind());
    assertTrue(stopped.failure().orElseThrow().stackTrace().contains("Stubborn.run"),
        stopped.failure().orElseThrow().stackTrace());

    // It may not run twice at once: a start waits for the abandoned run to return.
    engine.start("stubborn");
    engine.sync();
    assertEquals(dev.supervisor.api.State.WAITING, engine.info("stubborn").orElseThrow().state());
    worker.release.countDown();
    recorder.await("stubborn", RUNNING, 2);
    worker.release.countDown();
  }

  @Test
  void stopIsCalledOnceOnAnotherThreadWhileRunBlocks() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicInteger stopCalls = new AtomicInteger();
    List<String> stopThread = new ArrayList<>();
    add(spec("socket"), new dev.supervisor.api.Supervised() {
      @Override
      public void run(dev.supervisor.api.RunContext ctx) throws Exception {
        stopped.await();
      }

      @Override
      public void stop() {
        stopCalls.incrementAndGet();
        stopThread.add(Thread.currentThread().getName());
        stopped.countDown();
      }
    });
    recorder.await("socket", RUNNING);
    engine.stop("socket");
    recorder.await("socket", STOPPED);
    assertEquals(1, stopCalls.get());
    assertTrue(stopThread.get(0).startsWith("supervisor-stop-socket"), stopThread.toString());
  }

  @Test
  void metricsFollowVirtualTime() {
    add(spec("timed"), Workers.untilStopped());
    recorder.await("timed", RUNNING);
    engine.sync();
    advance(Duration.ofSeconds(5));
    ServiceInfo info = engine.info("timed").orElseThrow();
    assertEquals(Duration.ofSeconds(5), info.currentUptime());
    assertEquals(Duration.ofSeconds(5), info.totalUptime());
    assertEquals(Duration.ZERO, info.timeToReady().orElseThrow());
    assertEquals(1, info.startCount());
    assertEquals(clock.now().minusSeconds(5), info.lastStartTime().orElseThrow());

    engine.stop("timed");
    recorder.await("timed", STOPPED);
    advance(Duration.ofSeconds(7));
    engine.start("timed");
    recorder.await("timed", RUNNING, 2);
    engine.sync();
    advance(Duration.ofSeconds(1));
    info = engine.info("timed").orElseThrow();
    assertEquals(Duration.ofSeconds(1), info.currentUptime());
    assertEquals(Duration.ofSeconds(6), info.totalUptime());
    assertEquals(Duration.ofSeconds(3), info.averageUptime());
    assertEquals(2, info.startCount());
    assertEquals("api", info.owner());
  }

  @Test
  void updatesArriveInOrderWithConsecutiveSequenceNumbers() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("seq").restartDelay(ms(10)).maxRestarts(3), Workers.failing(runs));
    for (int i = 1; i <= 3; i++) {
      recorder.await("seq", BACKOFF, i);
      advance(ms(100));
    }
    recorder.await("seq", dev.supervisor.api.State.FAILED);
    long expected = 1;
    for (StatusUpdate update : recorder.all()) {
      assertEquals(expected++, update.sequence(), update.toString());
    }
    assertTrue(recorder.all().get(0).oldState().isEmpty());
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
    unblock.countDown();
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
}
