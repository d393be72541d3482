package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STARTING;
import static dev.supervisor.api.State.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.DoNotRestartException;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.StatusUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RestartPolicyTest extends EngineTestBase {

  @Test
  void backoffGrowsByTheMultiplierUpToTheCap() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("flaky").restartDelay(ms(100)).backoffMultiplier(2.0).maxRestartDelay(ms(1000)),
        Workers.failing(runs));
    List<Duration> delays = new ArrayList<>();
    for (int failure = 1; failure <= 6; failure++) {
      recorder.await("flaky", BACKOFF, failure);
      engine.sync();
      ServiceInfo info = engine.info("flaky").orElseThrow();
      delays.add(info.currentDelay());
      assertEquals(failure, info.consecutiveFailures());
      assertEquals(clock.now().plus(info.currentDelay()), info.nextRestartAt().orElseThrow());
      advance(info.currentDelay());
    }
    assertEquals(List.of(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)), delays);
    recorder.await("flaky", BACKOFF, 7);
    assertEquals(7, runs.get());
    StatusUpdate update = recorder.await("flaky", BACKOFF, 1);
    assertEquals(FailureKind.EXCEPTION, update.failure().orElseThrow().kind());
    assertEquals("java.io.IOException", update.failure().orElseThrow().exceptionClass());
  }

  @Test
  void noRestartBeforeTheDelayHasPassed() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("flaky").restartDelay(ms(300)), Workers.failing(runs));
    recorder.await("flaky", BACKOFF);
    advance(ms(299));
    assertEquals(1, runs.get());
    assertEquals(BACKOFF, engine.info("flaky").orElseThrow().state());
    advance(ms(1));
    recorder.await("flaky", BACKOFF, 2);
    assertEquals(2, runs.get());
  }

  @Test
  void uncheckedExceptionsAndErrorsAreRecordedAsPanics() {
    add(spec("panics").restart(RestartPolicy.NEVER), ctx -> {
      throw new StackOverflowError("deep");
    });
    StatusUpdate stopped = recorder.await("panics", STOPPED);
    assertEquals(FailureKind.PANIC, stopped.failure().orElseThrow().kind());
    assertEquals(1, engine.info("panics").orElseThrow().failureCount());
  }

  @Test
  void onFailureDoesNotRestartAServiceThatReturned() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("job"), Workers.returning(runs));
    recorder.await("job", STOPPED);
    engine.sync();
    ServiceInfo info = engine.info("job").orElseThrow();
    assertEquals(1, info.successCount());
    assertEquals(0, info.restartCount());
    assertEquals(1, runs.get());
  }

  @Test
  void alwaysRestartsAServiceThatReturned() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("loop").restart(RestartPolicy.ALWAYS).restartDelay(ms(50)), Workers.returning(runs));
    recorder.await("loop", BACKOFF);
    advance(ms(50));
    recorder.await("loop", BACKOFF, 2);
    engine.sync();
    ServiceInfo info = engine.info("loop").orElseThrow();
    assertEquals(2, info.successCount());
    assertEquals(0, info.consecutiveFailures());
    assertEquals(ms(50), info.currentDelay(), "a restart after success uses the first delay");
  }

  /** Issue 13: restarts after normal returns were counted but never limited, a hot loop with delay 0. */
  @Test
  void alwaysRestartsAfterNormalReturnsOnlyWithinTheLimits() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("returns").restart(RestartPolicy.ALWAYS).restartDelay(Duration.ZERO).maxRestarts(3),
        Workers.returning(runs));
    StatusUpdate failed = recorder.await("returns", FAILED);
    assertEquals(FailureKind.RESTART_LIMIT, failed.failure().orElseThrow().kind());
    assertTrue(failed.failure().orElseThrow().message().contains("3 restarts reached supervisor.maxRestarts = 3"),
        failed.failure().orElseThrow().message());
    advance(Duration.ofMinutes(5));
    ServiceInfo info = engine.info("returns").orElseThrow();
    assertEquals(4, runs.get(), "the first run and three restarts");
    assertEquals(3, info.restartCount());
    assertEquals(0, info.failureCount(), "nothing failed");
    assertEquals(FAILED, info.state());
  }

  @Test
  void alwaysRestartsAfterNormalReturnsWithinTheWindowLimitToo() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("returns").restart(RestartPolicy.ALWAYS).restartDelay(Duration.ZERO).maxRestartsInWindow(2)
        .restartWindow(Duration.ofMinutes(1)), Workers.returning(runs));
    StatusUpdate failed = recorder.await("returns", FAILED);
    assertEquals(FailureKind.RESTART_LIMIT, failed.failure().orElseThrow().kind());
    assertEquals(3, runs.get());
  }

  /** Issue 13: after a long healthy run the streak and the delay of the last failures were still shown. */
  @Test
  void aRunThatOutlivesTheWindowShowsTheStreakAndDelayTheNextFailureWillUse() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    add(spec("recovers").restartDelay(ms(100)).restartWindow(Duration.ofSeconds(60)), ctx -> {
      if (runs.incrementAndGet() <= 2) {
        throw new java.io.IOException("not yet");
      }
      ctx.awaitStop();
    });
    recorder.await("recovers", BACKOFF, 1);
    advance(ms(100));
    recorder.await("recovers", BACKOFF, 2);
    advance(ms(200));
    recorder.await("recovers", RUNNING, 3); // the third run: AUTO readiness made the failed ones RUNNING too
    engine.sync();
    assertEquals(2, engine.info("recovers").orElseThrow().consecutiveFailures());
    assertEquals(ms(200), engine.info("recovers").orElseThrow().currentDelay());
    clock.advance(Duration.ofSeconds(60));
    ServiceInfo healthy = engine.info("recovers").orElseThrow();
    assertEquals(0, healthy.consecutiveFailures(), () -> healthy + " up " + healthy.currentUptime() + " runs " + runs);
    assertEquals(Duration.ZERO, healthy.currentDelay());
  }

  @Test
  void neverLeavesAFailedServiceStoppedWithItsError() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("once").restart(RestartPolicy.NEVER), Workers.failing(runs));
    StatusUpdate stopped = recorder.await("once", STOPPED);
    assertEquals("boom 1", stopped.failure().orElseThrow().message());
    advance(Duration.ofMinutes(5));
    assertEquals(1, runs.get());
  }

  @Test
  void doNotRestartEndsTheServiceWhateverThePolicy() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("done").restart(RestartPolicy.ALWAYS), ctx -> {
      runs.incrementAndGet();
      throw new DoNotRestartException("nothing left to do");
    });
    recorder.await("done", STOPPED);
    advance(Duration.ofMinutes(5));
    ServiceInfo info = engine.info("done").orElseThrow();
    assertEquals(STOPPED, info.state());
    assertEquals(0, info.failureCount());
    assertEquals(1, runs.get());
    // Issue 13: the reason was only logged; it is kept and shown.
    assertEquals("nothing left to do", info.stopReason().orElseThrow());
    assertEquals("nothing left to do", recorder.await("done", STOPPED).stopReason().orElseThrow());
    engine.start("done");
    recorder.await("done", STOPPED, 2);
    engine.sync();
    assertEquals(2, runs.get());
    assertEquals("nothing left to do", engine.info("done").orElseThrow().stopReason().orElseThrow(),
        "ended for good again, with the same reason");
  }

  @Test
  void theLifetimeCapLeadsToFailed() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("capped").restartDelay(ms(10)).maxRestarts(3), Workers.failing(runs));
    for (int i = 1; i <= 3; i++) {
      recorder.await("capped", BACKOFF, i);
      advance(Duration.ofSeconds(1));
    }
    StatusUpdate failed = recorder.await("capped", FAILED);
    assertEquals("boom 4", failed.failure().orElseThrow().message());
    ServiceInfo info = engine.info("capped").orElseThrow();
    assertEquals(3, info.restartCount());
    assertEquals(4, info.failureCount());
    assertEquals(4, runs.get());
  }

  @Test
  void theWindowCapLeadsToFailed() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("windowed").restartDelay(ms(10)).maxRestartDelay(ms(10)).restartWindow(Duration.ofSeconds(10))
        .maxRestartsInWindow(2), Workers.failing(runs));
    recorder.await("windowed", BACKOFF, 1);
    advance(ms(10));
    recorder.await("windowed", BACKOFF, 2);
    advance(ms(10));
    StatusUpdate failed = recorder.await("windowed", FAILED);
    assertTrue(failed.failure().isPresent());
    assertEquals(3, runs.get());
    assertEquals(2, engine.info("windowed").orElseThrow().restartsInWindow());
  }

  @Test
  void restartsOlderThanTheWindowNoLongerCount() {
    // Delays of 10 ms, then 11 s: the third failure comes after both earlier restarts left the 10 s window.
    // (Each failure happens exactly when its timer is due: the clock stops there, so times are exact.)
    AtomicInteger runs = new AtomicInteger();
    add(spec("windowed").restartDelay(ms(10)).backoffMultiplier(1100).maxRestartDelay(Duration.ofSeconds(11))
        .restartWindow(Duration.ofSeconds(10)).maxRestartsInWindow(2), Workers.failing(runs));
    recorder.await("windowed", BACKOFF, 1);
    advance(ms(10));
    recorder.await("windowed", BACKOFF, 2);
    engine.sync();
    assertEquals(Duration.ofSeconds(11), engine.info("windowed").orElseThrow().currentDelay());
    advance(Duration.ofSeconds(11));
    recorder.await("windowed", BACKOFF, 3);
    engine.sync();
    assertEquals(1, engine.info("windowed").orElseThrow().restartsInWindow(), "only the restart just scheduled");
    assertEquals(3, runs.get());
  }

  @Test
  void aRunThatOutlivesTheWindowResetsTheStreakAndTheDelay() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch longRunMayEnd = new CountDownLatch(1);
    add(spec("healed").restartDelay(ms(100)).restartWindow(Duration.ofSeconds(60)), ctx -> {
      if (runs.incrementAndGet() == 3) {
        longRunMayEnd.await();
      }
      throw new java.io.IOException("fail " + runs.get());
    });
    recorder.await("healed", BACKOFF, 1);
    advance(ms(100));
    recorder.await("healed", BACKOFF, 2);
    assertEquals(ms(200), engine.info("healed").orElseThrow().currentDelay());
    advance(ms(200));
    recorder.await("healed", RUNNING, 3);
    advance(Duration.ofSeconds(61));
    longRunMayEnd.countDown();
    recorder.await("healed", BACKOFF, 3);
    engine.sync();
    ServiceInfo info = engine.info("healed").orElseThrow();
    assertEquals(1, info.consecutiveFailures());
    assertEquals(ms(100), info.currentDelay());
  }

  @Test
  void zeroDelayRestartsAtOnceOnTheSameThreadPool() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("spin").restartDelay(Duration.ZERO).maxRestartDelay(Duration.ZERO).maxRestarts(20),
        Workers.failing(runs));
    recorder.await("spin", FAILED);
    assertEquals(21, runs.get());
    assertEquals(20, engine.info("spin").orElseThrow().restartCount());
  }

  @Test
  void jitterStaysWithinItsFraction() {
    dev.supervisor.api.ServiceSpec spec = dev.supervisor.api.ServiceSpec.builder("j")
        .restartDelay(ms(1000)).maxRestartDelay(Duration.ofSeconds(60)).jitter(0.1).build();
    assertEquals(ms(900), Backoff.delay(spec, 1, -0.1));
    assertEquals(ms(1100), Backoff.delay(spec, 1, 0.1));
    assertEquals(ms(8000), Backoff.delay(spec, 4, 0.0));
    assertEquals(Duration.ofSeconds(60), Backoff.delay(spec, 10_000, 0.1), "capped, even after overflow");
    for (int i = 0; i < 1000; i++) {
      double offset = Jitter.RANDOM.offset(0.1);
      assertTrue(offset >= -0.1 && offset <= 0.1, "offset " + offset);
    }
  }

  @Test
  void aStartThatFailsBeforeReadyCountsAsAFailure() {
    add(spec("early"), ctx -> {
      throw new IllegalArgumentException("bad config");
    });
    recorder.await("early", BACKOFF);
    assertTrue(recorder.states("early").contains(STARTING));
  }

  @Test
  void aFatalErrorStopsEveryServiceInReverseOrder() throws Exception {
    CountDownLatch fail = new CountDownLatch(1);
    add(spec("base"), Workers.untilStopped());
    add(spec("app").dependsOn("base"), Workers.untilStopped());
    add(spec("doomsday").restart(RestartPolicy.ALWAYS), ctx -> {
      fail.await();
      throw new dev.supervisor.api.FatalException(3, "disk gone");
    });
    recorder.await("app", RUNNING);
    recorder.await("doomsday", RUNNING);
    fail.countDown();
    StatusUpdate failed = recorder.await("doomsday", FAILED);
    assertEquals(FailureKind.FATAL, failed.failure().orElseThrow().kind());
    assertEquals("disk gone", failed.failure().orElseThrow().message());
    recorder.await("base", STOPPED);
    List<String> all = recorder.transitions();
    assertTrue(all.indexOf("app:STOPPED") < all.indexOf("base:STOPPING"), all.toString());
    advance(Duration.ofMinutes(1));
    assertEquals(1, engine.info("doomsday").orElseThrow().startCount(), "not restarted, whatever its policy");
  }
}
