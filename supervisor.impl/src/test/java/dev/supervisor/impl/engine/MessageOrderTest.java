package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.FAILED;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.Readiness;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Races that real threads make rare and stepping makes certain: two messages posted before either is handled,
 * in each order (a run's entry and its end, ready and the ready timeout, a return and the stop timeout), and
 * commands that arrive while a stop is under way.
 */
class MessageOrderTest {
  private final Stepper s = new Stepper();

  @Test
  void aRunThatEndsBeforeItsEntryIsHandledIsNeverShownRunning() {
    s.add(spec("svc"));
    Run run = s.runs.launched("svc");
    s.runs.enter(run); // RunEntered waits in the event lane
    s.inbox.post(new Message.Command(Message.Action.STOP, "svc", 0, new CompletableFuture<>()));
    assertTrue(s.step(), "the stop, a request, goes first");
    assertEquals(STOPPING, s.state("svc"));
    s.runs.end(run, null); // the end of a run asked to stop is urgent: it overtakes RunEntered
    assertTrue(s.step());
    assertEquals(STOPPED, s.state("svc"));
    s.settle(); // the stale RunEntered
    assertEquals(List.of(IDLE, STARTING, STOPPING, STOPPED), s.updates.states("svc"));
    assertEquals(0, s.info("svc").failureCount());
  }

  @Test
  void aReadyPostedBeforeTheReadyTimeoutFiresWins() {
    s.add(spec("db").readiness(Readiness.EXPLICIT).readyTimeout(Duration.ofSeconds(5)));
    s.enter("db");
    s.runs.current("db").ready();
    s.clock.advance(Duration.ofSeconds(5)); // ReadyTimeout is posted behind Ready
    s.settle();
    assertEquals(RUNNING, s.state("db"));
    assertEquals(List.of(), s.askedToStop());
    assertEquals(0, s.info("db").failureCount());
  }

  @Test
  void aReadyPostedAfterTheReadyTimeoutFiredComesTooLate() {
    s.add(spec("db").readiness(Readiness.EXPLICIT).readyTimeout(Duration.ofSeconds(5)).restartDelay(ms(100)));
    s.enter("db");
    s.clock.advance(Duration.ofSeconds(5));
    s.runs.current("db").ready(); // posted behind ReadyTimeout
    s.settle();
    assertEquals(STOPPING, s.state("db"));
    assertEquals(List.of("db"), s.askedToStop());
    s.end("db", null);
    assertEquals(FailureKind.READY_TIMEOUT, s.updates.last("db", BACKOFF).failure().orElseThrow().kind());
    assertEquals(List.of(IDLE, STARTING, STOPPING, BACKOFF), s.updates.states("db"));
  }

  @Test
  void aRunThatReturnsAsItsStopTimeoutFiresStopsCleanly() {
    s.add(spec("svc").stopTimeout(Duration.ofSeconds(10)));
    Run run = s.enter("svc");
    s.stop("svc");
    s.runs.end(run, null);
    s.clock.advance(Duration.ofSeconds(10)); // StopTimeout posted behind RunEnded
    s.settle();
    assertEquals(STOPPED, s.state("svc"));
    assertTrue(s.updates.last("svc", STOPPED).failure().isEmpty());
    assertEquals(0, s.info("svc").failureCount());
    s.start("svc");
    assertTrue(s.runs.isLaunched("svc"), "nothing abandoned to wait for");
  }

  @Test
  void aRunThatReturnsJustAfterItsStopTimeoutWasAbandonedAndTheNextStartNeedNotWait() {
    s.add(spec("svc").stopTimeout(Duration.ofSeconds(10)));
    Run run = s.enter("svc");
    s.stop("svc");
    s.clock.advance(Duration.ofSeconds(10));
    s.runs.end(run, null); // RunEnded posted behind StopTimeout
    s.settle();
    assertEquals(FailureKind.STOP_TIMEOUT, s.updates.last("svc", STOPPED).failure().orElseThrow().kind());
    s.start("svc");
    assertTrue(s.runs.isLaunched("svc"), "the abandoned run has returned already");
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPING, STOPPED, STARTING), s.updates.states("svc"));
  }

  @Test
  void aDependentLaunchedButNotEnteredWhenItsDependencyLeavesEndsWithoutAStopCall() {
    s.add(spec("db").readiness(Readiness.EXPLICIT));
    s.add(spec("api").dependsOn("db"));
    s.enter("db");
    s.ready("db");
    assertTrue(s.runs.isLaunched("api"));
    s.notReady("db");
    assertEquals(STOPPING, s.state("api"));
    assertEquals(List.of(), s.askedToStop(), "no instance yet: stop() has nothing to be called on");
    s.enter("api"); // sees the stop request and ends at once
    assertEquals(WAITING, s.state("api"));
    s.ready("db");
    s.enter("api");
    assertEquals(List.of(IDLE, WAITING, STARTING, STOPPING, WAITING, STARTING, RUNNING), s.updates.states("api"));
  }

  @Test
  void aStartWhileStoppingForGoodRunsAgainOnceTheRunHasReturned() {
    s.add(spec("svc"));
    s.enter("svc");
    s.stop("svc");
    s.start("svc"); // the last word is "run"
    s.end("svc", null);
    assertEquals(STARTING, s.state("svc"));
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPING, STARTING), s.updates.states("svc"));
  }

  @Test
  void aRestartWhileBeingRemovedDoesNotBringItBack() {
    long id = s.add(spec("svc"));
    s.enter("svc");
    CompletableFuture<Void> removal = s.remove(id);
    s.restart("svc");
    s.end("svc", null);
    assertTrue(removal.isDone() && !removal.isCompletedExceptionally());
    assertFalse(s.isPublished("svc"));
    assertTrue(s.runs.launched.isEmpty());
  }

  @Test
  void aNewRegistrationOfANameWaitsForTheAbandonedRunOfTheOldOne() {
    long old = s.add(spec("svc").stopTimeout(Duration.ofSeconds(10)));
    Run abandoned = s.enter("svc");
    s.stop("svc");
    s.advance(Duration.ofSeconds(10));
    s.remove(old).join();
    s.add(spec("svc"));
    assertEquals(WAITING, s.state("svc"), "the old run may still be inside run");
    assertFalse(s.runs.isLaunched("svc"));
    s.end(abandoned, null);
    s.enter("svc");
    assertEquals(RUNNING, s.state("svc"));
  }

  @Test
  void aResetWhileTheEscalatorIsBusyLeavesItsRefusalWithoutEffect() {
    s.add(spec("w").maxRestarts(0).maxRestartsInWindow(1).restartDelay(Duration.ZERO)
        .escalate(Escalation.REFRESH_BUNDLE).build(), "bundle a [7]", (name, escalation) -> {
          s.reset(name); // an operator's reset, while the refresh is being tried
          throw new IllegalStateException("cannot refresh");
        });
    s.crash("w");
    s.crash("w");
    assertEquals(STOPPED, s.state("w"), "reset: no longer escalating, and not FAILED by the late refusal");
    assertEquals(0, s.updates.count("w", FAILED));
    assertEquals(0, s.info("w").bundleRefreshes(), "the refused refresh is not counted");
  }

  /**
   * Found by stepping: a run whose stop is only planned (it waits for its dependents to stop first, so it
   * was not asked yet: stopRequested() is false) and that throws meanwhile used to be handled as if it had
   * stopped on request: logged as "threw while stopping (not counted as a failure)", not counted, not shown.
   */
  @Test
  void aRunThatThrowsWhileItsStopWaitsForItsDependentsHasFailed() {
    s.add(spec("db"));
    s.add(spec("api").dependsOn("db"));
    s.enterAll();
    s.stop("db");
    assertEquals(List.of("api"), s.askedToStop(), "db's stop waits for api's");
    s.end("db", new java.io.IOException("db crashed"));
    assertEquals(1, s.info("db").failureCount(), "a crash, not a stop: db was never asked to stop");
    assertEquals("db crashed", s.info("db").lastFailure().orElseThrow().message());
    assertEquals("db crashed", s.updates.last("db", STOPPED).failure().orElseThrow().message(), "shown on the update");
  }
}
