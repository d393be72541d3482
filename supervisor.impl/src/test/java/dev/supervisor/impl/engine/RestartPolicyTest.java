package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.IDLE;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STARTING;
import static dev.supervisor.api.State.STOPPED;
import static dev.supervisor.api.State.STOPPING;
import static dev.supervisor.impl.engine.Stepper.ms;
import static dev.supervisor.impl.engine.Stepper.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.DoNotRestartException;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.FatalException;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Termination;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What follows the end of a run (restart after a backoff, rest, give up), stepped message by message. */
class RestartPolicyTest {
  private final Stepper s = new Stepper();

  @Test
  void backoffGrowsByTheMultiplierUpToTheCap() {
    s.add(spec("flaky").restartDelay(ms(100)).backoffMultiplier(2.0).maxRestartDelay(ms(1000)));
    List<Duration> delays = new ArrayList<>();
    for (int failure = 1; failure <= 6; failure++) {
      s.crash("flaky");
      ServiceInfo info = s.info("flaky");
      assertEquals(BACKOFF, info.state());
      delays.add(info.currentDelay());
      assertEquals(failure, info.consecutiveFailures());
      assertEquals(s.clock.now().plus(info.currentDelay()), info.nextRestartAt().orElseThrow());
      s.advance(info.currentDelay().minusMillis(1));
      assertFalse(s.runs.isLaunched("flaky"), "not before its delay");
      s.advance(ms(1));
    }
    assertEquals(List.of(ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)), delays);
    s.crash("flaky");
    assertEquals(7, s.updates.count("flaky", BACKOFF));
    assertEquals(7, s.info("flaky").startCount());
    StatusUpdate first = s.updates.all().stream().filter(u -> u.newState() == BACKOFF).findFirst().orElseThrow();
    assertEquals(FailureKind.EXCEPTION, first.failure().orElseThrow().kind());
    assertEquals("java.io.IOException", first.failure().orElseThrow().exceptionClass());
    assertEquals("boom 1", first.failure().orElseThrow().message());
  }

  @Test
  void noRestartBeforeTheDelayHasPassed() {
    s.add(spec("flaky").restartDelay(ms(300)));
    s.crash("flaky");
    s.advance(ms(299));
    assertEquals(BACKOFF, s.state("flaky"));
    assertFalse(s.runs.isLaunched("flaky"));
    s.advance(ms(1));
    s.crash("flaky");
    assertEquals(List.of(IDLE, STARTING, RUNNING, BACKOFF, STARTING, RUNNING, BACKOFF), s.updates.states("flaky"));
    assertEquals(2, s.info("flaky").startCount());
  }

  @Test
  void uncheckedExceptionsAndErrorsAreRecordedAsPanics() {
    s.add(spec("panics").restart(RestartPolicy.NEVER));
    s.enter("panics");
    s.end("panics", new StackOverflowError("deep"));
    StatusUpdate stopped = s.updates.last("panics", STOPPED);
    assertEquals(FailureKind.PANIC, stopped.failure().orElseThrow().kind());
    assertEquals(1, s.info("panics").failureCount());
  }

  @Test
  void onFailureDoesNotRestartAServiceThatReturned() {
    s.add(spec("job"));
    s.enter("job");
    s.end("job", null);
    ServiceInfo info = s.info("job");
    assertEquals(STOPPED, info.state());
    assertEquals(1, info.successCount());
    assertEquals(0, info.restartCount());
    s.advance(Duration.ofMinutes(5));
    assertFalse(s.runs.isLaunched("job"));
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPED), s.updates.states("job"));
  }

  @Test
  void alwaysRestartsAServiceThatReturned() {
    s.add(spec("loop").restart(RestartPolicy.ALWAYS).restartDelay(ms(50)));
    s.enter("loop");
    s.end("loop", null);
    assertEquals(BACKOFF, s.state("loop"));
    s.advance(ms(50));
    s.enter("loop");
    s.end("loop", null);
    ServiceInfo info = s.info("loop");
    assertEquals(BACKOFF, info.state());
    assertEquals(2, info.successCount());
    assertEquals(0, info.consecutiveFailures());
    assertEquals(ms(50), info.currentDelay(), "a restart after success uses the first delay");
  }

  /** Issue 13: restarts after normal returns were counted but never limited, a hot loop with delay 0. */
  @Test
  void alwaysRestartsAfterNormalReturnsOnlyWithinTheLimits() {
    s.add(spec("returns").restart(RestartPolicy.ALWAYS).restartDelay(Duration.ZERO).maxRestarts(3));
    int runs = returnEveryRun("returns");
    StatusUpdate failed = s.updates.last("returns", FAILED);
    assertEquals(FailureKind.RESTART_LIMIT, failed.failure().orElseThrow().kind());
    assertTrue(failed.failure().orElseThrow().message().contains("3 restarts reached supervisor.maxRestarts = 3"),
        failed.failure().orElseThrow().message());
    s.advance(Duration.ofMinutes(5));
    ServiceInfo info = s.info("returns");
    assertEquals(4, runs, "the first run and three restarts");
    assertEquals(3, info.restartCount());
    assertEquals(0, info.failureCount(), "nothing failed");
    assertEquals(FAILED, info.state());
    assertFalse(s.runs.isLaunched("returns"));
  }

  @Test
  void alwaysRestartsAfterNormalReturnsWithinTheWindowLimitToo() {
    s.add(spec("returns").restart(RestartPolicy.ALWAYS).restartDelay(Duration.ZERO).maxRestartsInWindow(2)
        .restartWindow(Duration.ofMinutes(1)));
    assertEquals(3, returnEveryRun("returns"));
    assertEquals(FailureKind.RESTART_LIMIT, s.updates.last("returns", FAILED).failure().orElseThrow().kind());
  }

  /** Issue 13: after a long healthy run the streak and the delay of the last failures were still shown. */
  @Test
  void aRunThatOutlivesTheWindowShowsTheStreakAndDelayTheNextFailureWillUse() {
    s.add(spec("recovers").restartDelay(ms(100)).restartWindow(Duration.ofSeconds(60)));
    s.crash("recovers");
    s.advance(ms(100));
    s.crash("recovers");
    s.advance(ms(200));
    s.enter("recovers");
    assertEquals(2, s.info("recovers").consecutiveFailures());
    assertEquals(ms(200), s.info("recovers").currentDelay());
    s.advance(Duration.ofSeconds(60).minusMillis(1));
    assertEquals(2, s.info("recovers").consecutiveFailures(), "not quite the window yet");
    s.advance(ms(1));
    ServiceInfo healthy = s.info("recovers");
    assertEquals(0, healthy.consecutiveFailures(), healthy::toString);
    assertEquals(Duration.ZERO, healthy.currentDelay());
  }

  @Test
  void neverLeavesAFailedServiceStoppedWithItsError() {
    s.add(spec("once").restart(RestartPolicy.NEVER));
    s.crash("once");
    assertEquals("boom 1", s.updates.last("once", STOPPED).failure().orElseThrow().message());
    s.advance(Duration.ofMinutes(5));
    assertEquals(1, s.info("once").startCount());
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPED), s.updates.states("once"));
  }

  @Test
  void doNotRestartEndsTheServiceWhateverThePolicy() {
    s.add(spec("done").restart(RestartPolicy.ALWAYS));
    s.enter("done");
    s.end("done", new DoNotRestartException("nothing left to do"));
    s.advance(Duration.ofMinutes(5));
    ServiceInfo info = s.info("done");
    assertEquals(STOPPED, info.state());
    assertEquals(0, info.failureCount());
    assertEquals(1, info.startCount());
    // Issue 13: the reason was only logged; it is kept and shown.
    assertEquals("nothing left to do", info.stopReason().orElseThrow());
    assertEquals("nothing left to do", s.updates.last("done", STOPPED).stopReason().orElseThrow());
    s.start("done");
    s.enter("done");
    s.end("done", new DoNotRestartException("nothing left to do"));
    assertEquals(2, s.info("done").startCount());
    assertEquals(2, s.updates.count("done", STOPPED));
    assertEquals("nothing left to do", s.info("done").stopReason().orElseThrow(),
        "ended for good again, with the same reason");
  }

  @Test
  void theLifetimeCapLeadsToFailed() {
    s.add(spec("capped").restartDelay(ms(10)).maxRestarts(3));
    for (int i = 1; i <= 3; i++) {
      s.crash("capped");
      assertEquals(BACKOFF, s.state("capped"));
      s.advance(Duration.ofSeconds(1));
    }
    s.crash("capped");
    assertEquals("boom 4", s.updates.last("capped", FAILED).failure().orElseThrow().message());
    ServiceInfo info = s.info("capped");
    assertEquals(3, info.restartCount());
    assertEquals(4, info.failureCount());
    assertEquals(4, info.startCount());
  }

  @Test
  void theWindowCapLeadsToFailed() {
    s.add(spec("windowed").restartDelay(ms(10)).maxRestartDelay(ms(10)).restartWindow(Duration.ofSeconds(10))
        .maxRestartsInWindow(2));
    s.crash("windowed");
    s.advance(ms(10));
    s.crash("windowed");
    s.advance(ms(10));
    s.crash("windowed");
    assertTrue(s.updates.last("windowed", FAILED).failure().isPresent());
    assertEquals(3, s.info("windowed").startCount());
    assertEquals(2, s.info("windowed").restartsInWindow());
  }

  @Test
  void restartsOlderThanTheWindowNoLongerCount() {
    // Delays of 10 ms, then 11 s: the third failure comes after both earlier restarts left the 10 s window.
    s.add(spec("windowed").restartDelay(ms(10)).backoffMultiplier(1100).maxRestartDelay(Duration.ofSeconds(11))
        .restartWindow(Duration.ofSeconds(10)).maxRestartsInWindow(2));
    s.crash("windowed");
    s.advance(ms(10));
    s.crash("windowed");
    assertEquals(Duration.ofSeconds(11), s.info("windowed").currentDelay());
    s.advance(Duration.ofSeconds(11));
    s.crash("windowed");
    assertEquals(BACKOFF, s.state("windowed"));
    assertEquals(1, s.info("windowed").restartsInWindow(), "only the restart just scheduled");
    assertEquals(3, s.info("windowed").startCount());
  }

  @Test
  void aRunThatOutlivesTheWindowResetsTheStreakAndTheDelay() {
    s.add(spec("healed").restartDelay(ms(100)).restartWindow(Duration.ofSeconds(60)));
    s.crash("healed");
    s.advance(ms(100));
    s.crash("healed");
    assertEquals(ms(200), s.info("healed").currentDelay());
    s.advance(ms(200));
    s.enter("healed");
    s.advance(Duration.ofSeconds(61));
    s.end("healed", new IOException("fail 3"));
    ServiceInfo info = s.info("healed");
    assertEquals(BACKOFF, info.state());
    assertEquals(1, info.consecutiveFailures());
    assertEquals(ms(100), info.currentDelay());
  }

  @Test
  void zeroDelayRestartsAtOnceWithoutWaitingForTime() {
    s.add(spec("spin").restartDelay(Duration.ZERO).maxRestartDelay(Duration.ZERO).maxRestarts(20));
    int runs = 0;
    while (s.runs.isLaunched("spin")) {
      s.crash("spin");
      runs++;
    }
    assertEquals(FAILED, s.state("spin"));
    assertEquals(21, runs, "each restart launched at once, with no time passing");
    assertEquals(20, s.info("spin").restartCount());
    assertEquals(0, s.clock.pendingTimers());
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
    // Before run is entered (its instance could not be had), and inside run before an EXPLICIT ready().
    s.add(spec("early"));
    s.end("early", new IllegalArgumentException("bad config"));
    s.add(spec("unready").readiness(Readiness.EXPLICIT));
    s.enter("unready");
    s.end("unready", new IOException("no config"));
    for (String name : List.of("early", "unready")) {
      assertEquals(List.of(IDLE, STARTING, BACKOFF), s.updates.states(name));
      assertEquals(1, s.info(name).failureCount());
    }
  }

  @Test
  void aFatalErrorStopsEveryServiceInReverseOrder() {
    s.add(spec("base"));
    s.add(spec("app").dependsOn("base"));
    s.add(spec("doomsday").restart(RestartPolicy.ALWAYS));
    s.enterAll();

    s.end("doomsday", new FatalException(3, "disk gone"));
    StatusUpdate failed = s.updates.last("doomsday", FAILED);
    assertEquals(FailureKind.FATAL, failed.failure().orElseThrow().kind());
    assertEquals("disk gone", failed.failure().orElseThrow().message());
    assertEquals(List.of("app"), s.askedToStop());
    s.end("app", null);
    assertEquals(List.of("base"), s.askedToStop());
    assertFalse(s.terminated.isDone(), "not before every run has ended");
    s.end("base", null);
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPING, STOPPED), s.updates.states("base"));
    assertTrue(s.updates.indexOf("app", STOPPED) < s.updates.indexOf("base", STOPPING));
    Termination termination = s.terminated.join();
    assertEquals(3, termination.exitStatus());
    assertEquals("doomsday", termination.service().orElseThrow());
    s.advance(Duration.ofMinutes(1));
    assertEquals(1, s.info("doomsday").startCount(), "not restarted, whatever its policy");
    assertFalse(s.runs.isLaunched("doomsday"));
  }

  /** Each launched run of {@code name} enters and returns, until none is launched. @return how many ran */
  private int returnEveryRun(String name) {
    int runs = 0;
    while (s.runs.isLaunched(name)) {
      s.enter(name);
      s.end(name, null);
      runs++;
    }
    return runs;
  }
}
