package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.IDLE;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STARTING;
import static dev.supervisor.api.State.STOPPED;
import static dev.supervisor.api.State.STOPPING;
import static dev.supervisor.api.State.WAITING;
import static dev.supervisor.impl.engine.Stepper.ms;
import static dev.supervisor.impl.engine.Stepper.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.FailureKind;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The life of one run: readiness, stopping (cleanly, with a stop() that throws, past the timeout), metrics. */
class LifecycleTest {
  private final Stepper s = new Stepper();

  @Test
  void explicitReadinessThatNeverComesIsAFailedStart() {
    s.add(spec("mute").readiness(Readiness.EXPLICIT).readyTimeout(Duration.ofSeconds(5)).restartDelay(ms(100)));
    Run run = s.enter("mute");
    s.advance(Duration.ofMillis(4999));
    assertEquals(STARTING, s.state("mute"));
    s.advance(ms(1));
    assertTrue(run.stopRequested(), "the run that never became ready was asked to stop");
    assertEquals(List.of("mute"), s.askedToStop());
    assertEquals(STOPPING, s.state("mute"));
    s.end("mute", new InterruptedException());
    StatusUpdate backoff = s.updates.last("mute", BACKOFF);
    assertEquals(FailureKind.READY_TIMEOUT, backoff.failure().orElseThrow().kind());
    assertTrue(backoff.failure().orElseThrow().message().contains("supervisor.readyTimeout"));
    assertEquals(List.of(IDLE, STARTING, STOPPING, BACKOFF), s.updates.states("mute"));
    assertEquals(1, s.info("mute").failureCount(), "the timeout, not the interrupt of the stop it asked for");
  }

  @Test
  void aReadyJustBeforeTheTimeoutKeepsTheRun() {
    s.add(spec("late").readiness(Readiness.EXPLICIT).readyTimeout(Duration.ofSeconds(5)));
    s.enter("late");
    s.advance(Duration.ofMillis(4999));
    s.ready("late");
    s.advance(Duration.ofMinutes(1));
    assertEquals(List.of(IDLE, STARTING, RUNNING), s.updates.states("late"));
    assertEquals(List.of(), s.askedToStop());
    assertEquals(0, s.clock.pendingTimers(), "the ready timer was cancelled");
  }

  /** Issue 13: a stop() that threw was only logged, and remove returned as if all went well. */
  @Test
  void aStopThatThrowsIsRecordedAndTheRemovalReportsIt() {
    long id = s.add(spec("clumsy"));
    s.enter("clumsy");
    CompletableFuture<Void> removal = s.remove(id);
    assertEquals(STOPPING, s.state("clumsy"));
    s.stopThrows("clumsy", new IllegalStateException("socket already closed"));
    assertEquals(FailureKind.STOP_FAILURE, s.info("clumsy").lastFailure().orElseThrow().kind(),
        "shown while it is still STOPPING");
    assertFalse(removal.isDone(), "run has not returned");

    s.end("clumsy", null);
    CompletionException failed = assertThrows(CompletionException.class, removal::join);
    SupervisorException unclean = (SupervisorException) failed.getCause();
    assertEquals(SupervisorException.Kind.STOP_FAILURE, unclean.kind());
    assertTrue(unclean.getMessage().contains("socket already closed"), unclean.getMessage());
    assertEquals(FailureKind.STOP_FAILURE, s.updates.last("clumsy", STOPPED).failure().orElseThrow().kind());
    assertFalse(s.isPublished("clumsy"), "removed all the same");
  }

  @Test
  void aRemovalThatOutlivesTheStopTimeoutIsReportedToTheCaller() {
    long id = s.add(spec("stubborn").stopTimeout(Duration.ofSeconds(10)));
    Run stubborn = s.enter("stubborn");
    CompletableFuture<Void> removal = s.remove(id);
    s.advance(Duration.ofSeconds(10).minusMillis(1));
    assertFalse(removal.isDone());
    s.advance(ms(1));
    CompletionException failed = assertThrows(CompletionException.class, removal::join);
    assertEquals(SupervisorException.Kind.STOP_FAILURE, ((SupervisorException) failed.getCause()).kind());
    assertFalse(s.isPublished("stubborn"));
    s.end(stubborn, null); // returns at last: nothing left to change
    assertFalse(s.isPublished("stubborn"));
  }

  @Test
  void aRunThatIgnoresStopIsAbandonedAndTheNextOneWaitsForItToReturn() {
    s.add(spec("stubborn").stopTimeout(Duration.ofSeconds(10)));
    Run abandoned = s.enter("stubborn");
    s.stop("stubborn");
    s.advance(Duration.ofSeconds(10));
    StatusUpdate stopped = s.updates.last("stubborn", STOPPED);
    assertEquals(FailureKind.STOP_TIMEOUT, stopped.failure().orElseThrow().kind());
    assertTrue(stopped.failure().orElseThrow().message().contains("supervisor.stopTimeout"),
        stopped.failure().orElseThrow().message());

    // It may not run twice at once: a start waits for the abandoned run to return.
    s.start("stubborn");
    assertEquals(WAITING, s.state("stubborn"));
    assertFalse(s.runs.isLaunched("stubborn"));
    s.advance(Duration.ofMinutes(1));
    assertFalse(s.runs.isLaunched("stubborn"), "however long it takes");
    s.end(abandoned, null);
    s.enter("stubborn");
    assertEquals(RUNNING, s.state("stubborn"));
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPING, STOPPED, WAITING, STARTING, RUNNING),
        s.updates.states("stubborn"));
  }

  @Test
  void metricsFollowVirtualTime() {
    s.add(spec("timed"));
    s.enter("timed");
    s.advance(Duration.ofSeconds(5));
    ServiceInfo info = s.info("timed");
    assertEquals(Duration.ofSeconds(5), info.currentUptime());
    assertEquals(Duration.ofSeconds(5), info.totalUptime());
    assertEquals(Duration.ZERO, info.timeToReady().orElseThrow());
    assertEquals(1, info.startCount());
    assertEquals(s.clock.now().minusSeconds(5), info.lastStartTime().orElseThrow());

    s.stop("timed");
    s.end("timed", null);
    s.advance(Duration.ofSeconds(7));
    s.start("timed");
    s.enter("timed");
    s.advance(Duration.ofSeconds(1));
    info = s.info("timed");
    assertEquals(Duration.ofSeconds(1), info.currentUptime());
    assertEquals(Duration.ofSeconds(6), info.totalUptime());
    assertEquals(Duration.ofSeconds(3), info.averageUptime());
    assertEquals(2, info.startCount());
    assertEquals("api", info.owner());
  }

  @Test
  void timeToReadyIsFromTheLaunchToReady() {
    s.add(spec("slow").readiness(Readiness.EXPLICIT).readyTimeout(Duration.ofMinutes(1)));
    s.advance(Duration.ofSeconds(2));
    s.enter("slow");
    s.advance(Duration.ofSeconds(3));
    s.ready("slow");
    assertEquals(Duration.ofSeconds(5), s.info("slow").timeToReady().orElseThrow());
  }

  @Test
  void eachServicesUpdatesHaveConsecutiveSequenceNumbers() {
    s.add(spec("seq").restartDelay(ms(10)).maxRestarts(3));
    s.add(spec("other"));
    s.enter("other");
    for (int i = 1; i <= 3; i++) {
      s.crash("seq");
      s.advance(ms(100));
    }
    s.crash("seq");
    assertEquals(dev.supervisor.api.State.FAILED, s.state("seq"));
    for (String name : List.of("seq", "other")) {
      List<StatusUpdate> updates = s.updates.all().stream().filter(u -> u.serviceName().equals(name)).toList();
      for (int i = 0; i < updates.size(); i++) {
        assertEquals(i + 1, updates.get(i).sequence(), updates.get(i).toString());
        assertEquals(i == 0 ? null : updates.get(i - 1).newState(), updates.get(i).oldState().orElse(null),
            updates.get(i).toString());
      }
    }
  }

  @Test
  void shutdownStopsInReverseDependencyOrder() {
    s.add(spec("a"));
    s.add(spec("b").dependsOn("a"));
    s.add(spec("c").dependsOn("b"));
    s.enterAll();
    int before = s.updates.mark();
    CompletableFuture<Void> closed = s.shutdown();
    for (String next : List.of("c", "b", "a")) {
      assertFalse(closed.isDone());
      assertEquals(List.of(next), s.askedToStop());
      s.end(next, null);
    }
    assertTrue(closed.isDone());
    assertTrue(s.terminated.join().isNormal());
    assertEquals(List.of("c:STOPPING", "c:STOPPED", "b:STOPPING", "b:STOPPED", "a:STOPPING", "a:STOPPED"),
        s.updates.transitionsSince(before));
    assertEquals(1, s.updates.terminations().size(), "listeners hear of it once, after the last update");
    assertEquals(0, s.clock.pendingTimers(), "no timer left behind");
  }

  @Test
  void shutdownEndsAtOnceWhenNothingRunsAndLeavesNoTimerBehind() {
    s.add(spec("resting").restartDelay(Duration.ofMinutes(10)).maxRestartDelay(Duration.ofMinutes(10)));
    s.crash("resting");
    s.add(spec("waiting").dependsOn("missing"));
    CompletableFuture<Void> closed = s.shutdown();
    assertTrue(closed.isDone(), "no run to wait for");
    assertEquals(STOPPED, s.state("resting"));
    assertEquals(STOPPED, s.state("waiting"), "it will not start now");
    assertEquals(0, s.clock.pendingTimers(), "the backoff's timer was cancelled");
    assertTrue(s.terminated.join().isNormal());
  }

  /** Issue 13 (main, cd8bd61): the stop failure shows on the update that ends the stop, also when it starts again. */
  @Test
  void aStopFailureDuringARestartIsShownOnTheUpdateThatEndsTheStop() {
    s.add(spec("clumsy"));
    s.enter("clumsy");
    s.restart("clumsy");
    s.stopThrows("clumsy", new IllegalStateException("socket already closed"));
    s.end("clumsy", null);
    StatusUpdate starting = s.updates.all().get(s.updates.all().size() - 1);
    assertEquals(STARTING, starting.newState());
    assertEquals(FailureKind.STOP_FAILURE, starting.failure().orElseThrow().kind());
    assertEquals(1, s.info("clumsy").failureCount());
  }

  @Test
  void aWorkerSourceIsClosedOnceAfterItsLastRunHasReturned() {
    long plain = s.add(spec("plain"));
    s.enter("plain");
    long stubborn = s.add(spec("stubborn").stopTimeout(Duration.ofSeconds(10)));
    Run abandoned = s.enter("stubborn");

    s.remove(plain);
    s.end("plain", null);
    assertEquals(List.of("plain"), s.runs.released);

    s.remove(stubborn);
    s.advance(Duration.ofSeconds(10));
    assertFalse(s.isPublished("stubborn"));
    assertEquals(List.of("plain"), s.runs.released, "not while the abandoned run may still use it");
    long again = s.add(spec("stubborn"));
    s.end(abandoned, null);
    assertEquals(List.of("plain", "stubborn"), s.runs.released, "the old registration's, once its run returned");
    s.enter("stubborn");
    s.remove(again);
    s.end("stubborn", null);
    assertEquals(List.of("plain", "stubborn", "stubborn"), s.runs.released);
  }

  @Test
  void shutdownClosesEveryWorkerSourceOnceEveryRunHasEnded() {
    s.add(spec("a"));
    s.add(spec("b").autoStart(false));
    s.enter("a");
    s.shutdown();
    assertEquals(List.of(), s.runs.released, "a is still inside run");
    s.end("a", null);
    assertEquals(List.of("a", "b"), s.runs.released.stream().sorted().toList());
  }
}
