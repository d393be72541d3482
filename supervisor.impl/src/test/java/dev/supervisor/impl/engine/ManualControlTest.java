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
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Readiness;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Commands (start, stop, restart, reset, remove, the *All ones, spec updates) and readiness waits, stepped. */
class ManualControlTest {
  private final Stepper s = new Stepper();

  @Test
  void autoStartFalseStaysIdleUntilStarted() {
    s.add(spec("lazy").autoStart(false));
    s.advance(Duration.ofMinutes(1));
    assertEquals(IDLE, s.state("lazy"));
    assertFalse(s.runs.isLaunched("lazy"));
    s.start("lazy");
    s.enter("lazy");
    assertEquals(List.of(IDLE, STARTING, RUNNING), s.updates.states("lazy"));
  }

  /** Issue 15: an idle registration keeps no metrics; a reset does not make them, its first start does. */
  @Test
  void anIdleServiceSharesTheZeroCountsUntilItFirstStarts() {
    s.add(spec("lazy").autoStart(false));
    s.reset("lazy");
    assertSame(MetricsSnapshot.NONE, s.published.get("lazy").metrics(), "idle, even after a reset");
    assertEquals(0, s.info("lazy").startCount());
    s.start("lazy");
    s.enter("lazy");
    assertNotSame(MetricsSnapshot.NONE, s.published.get("lazy").metrics());
    assertEquals(1, s.info("lazy").startCount());
    assertEquals(0, MetricsSnapshot.NONE.startCount(), "the shared zeros were not touched");
  }

  @Test
  void stopKeepsTheServiceAndStartBringsItBackIdempotently() {
    s.add(spec("svc"));
    s.enter("svc");
    s.stop("svc");
    s.stop("svc");
    assertEquals(List.of("svc"), s.askedToStop(), "stop() is called once");
    s.end("svc", null);
    assertEquals(STOPPED, s.state("svc"));
    s.start("svc");
    s.start("svc");
    assertEquals(1, s.runs.launched.size(), "a second start of a starting service does nothing");
    s.enter("svc");
    s.start("svc");
    assertTrue(s.runs.launched.isEmpty(), "nor of a running one");
    assertEquals(2, s.info("svc").startCount());
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPING, STOPPED, STARTING, RUNNING), s.updates.states("svc"));
  }

  @Test
  void restartRunsANewAttempt() {
    s.add(spec("svc"));
    assertEquals(1, s.enter("svc").attempt());
    s.restart("svc");
    assertEquals(List.of("svc"), s.askedToStop());
    s.end("svc", new InterruptedException());
    assertEquals(2, s.enter("svc").attempt());
    assertEquals(RUNNING, s.state("svc"));
    assertEquals(0, s.info("svc").failureCount(), "a requested stop is not a failure");
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPING, STARTING, RUNNING), s.updates.states("svc"));
  }

  @Test
  void resetClearsCountersAndRevivesAFailedService() {
    s.add(spec("capped").restartDelay(ms(10)).maxRestarts(1));
    s.crash("capped");
    s.advance(ms(10));
    s.crash("capped");
    assertEquals(FAILED, s.state("capped"));

    SupervisorException refused = assertThrows(SupervisorException.class, () -> s.start("capped"));
    assertEquals(Kind.ILLEGAL_STATE, refused.kind());
    assertTrue(refused.getMessage().contains("reset"), refused.getMessage());

    s.reset("capped");
    s.crash("capped");
    ServiceInfo info = s.info("capped");
    assertEquals(BACKOFF, info.state());
    assertEquals(1, info.restartCount(), "counted afresh since the reset");
    assertEquals(1, info.consecutiveFailures());
    assertEquals(3, s.updates.count("capped", STARTING));
  }

  @Test
  void resetCutsABackoffShort() {
    s.add(spec("slow").restartDelay(Duration.ofMinutes(10)).maxRestartDelay(Duration.ofMinutes(10)));
    s.crash("slow");
    s.reset("slow");
    assertTrue(s.runs.isLaunched("slow"), "started at once, with no time passing");
    s.crash("slow");
    assertEquals(List.of(IDLE, STARTING, RUNNING, BACKOFF, STARTING, RUNNING, BACKOFF), s.updates.states("slow"));
    assertEquals(1, s.clock.pendingTimers(), "the cut backoff's timer was cancelled; the new one's is left");
  }

  @Test
  void unknownNamesGetAClearError() {
    for (Runnable call : List.<Runnable>of(() -> s.start("nope"), () -> s.stop("nope"), () -> s.restart("nope"),
        () -> s.reset("nope"))) {
      SupervisorException error = assertThrows(SupervisorException.class, call::run);
      assertEquals(Kind.UNKNOWN_SERVICE, error.kind());
      assertTrue(error.getMessage().contains("'nope'"), error.getMessage());
    }
    assertFalse(s.isPublished("nope"));
  }

  @Test
  void removeStopsAndForgetsAndWorksOnce() {
    long id = s.add(spec("temp"));
    s.enter("temp");
    CompletableFuture<Void> removal = s.remove(id);
    assertFalse(removal.isDone(), "not before its run has returned");
    assertEquals(STOPPING, s.state("temp"));
    s.end("temp", null);
    assertTrue(removal.isDone() && !removal.isCompletedExceptionally());
    assertFalse(s.isPublished("temp"), "gone as soon as remove returns");
    assertEquals(List.of(IDLE, STARTING, RUNNING, STOPPING, STOPPED), s.updates.states("temp"));
    assertEquals(s.updates.all().size(), s.updates.removalOf("temp"), "listeners hear of the removal after the last update");

    CompletionException twice = assertThrows(CompletionException.class, () -> s.remove(id).join());
    assertEquals(Kind.UNKNOWN_SERVICE, ((SupervisorException) twice.getCause()).kind());
  }

  @Test
  void whenReadyCompletesWhenRunningAndFailsOnFailedOrRemoval() {
    s.add(spec("db").readiness(Readiness.EXPLICIT));
    CompletableFuture<ServiceInfo> ready = s.whenReady("db");
    s.enter("db");
    assertFalse(ready.isDone(), "entered, not ready");
    s.ready("db");
    assertEquals(RUNNING, ready.join().state());
    assertEquals(RUNNING, s.whenReady("db").join().state(), "at once for a RUNNING service");

    // EXPLICIT and never ready: it fails before it could ever count as RUNNING.
    s.add(spec("doomed").readiness(Readiness.EXPLICIT).restart(RestartPolicy.ON_FAILURE).maxRestartsInWindow(1)
        .restartDelay(ms(10)));
    s.crash("doomed");
    CompletableFuture<ServiceInfo> never = s.whenReady("doomed");
    s.advance(ms(10));
    assertFalse(never.isDone(), "restarted, STARTING");
    s.crash("doomed");
    assertEquals(FAILED, s.state("doomed"));
    CompletionException failed = assertThrows(CompletionException.class, never::join);
    assertEquals(Kind.START_FAILURE, ((SupervisorException) failed.getCause()).kind());
    CompletionException isFailed = assertThrows(CompletionException.class, () -> s.whenReady("doomed").join());
    assertTrue(isFailed.getCause().getMessage().contains("FAILED"), isFailed.getCause().getMessage());

    long idle = s.add(spec("idle").autoStart(false));
    CompletableFuture<ServiceInfo> gone = s.whenReady("idle");
    s.remove(idle);
    CompletionException removed = assertThrows(CompletionException.class, gone::join);
    assertEquals(Kind.UNKNOWN_SERVICE, ((SupervisorException) removed.getCause()).kind());
  }

  @Test
  void whenReadyWaitsForANameThatIsNotRegisteredYetAndFailsIfTheSupervisorEndsFirst() {
    CompletableFuture<ServiceInfo> early = s.whenReady("late");
    CompletableFuture<ServiceInfo> givenUp = s.whenReady("late");
    givenUp.cancel(false);
    assertFalse(early.isDone(), "the provider's bundle may simply not have started yet");
    s.add(spec("late"));
    assertFalse(early.isDone(), "registered, not RUNNING yet");
    s.enter("late");
    assertEquals(RUNNING, early.join().state());

    CompletableFuture<ServiceInfo> never = s.whenReady("never");
    s.shutdown();
    assertFalse(never.isDone(), "the supervisor has not ended yet: late's run has not returned");
    s.returnAllStopped();
    CompletionException ended = assertThrows(CompletionException.class, never::join);
    assertEquals(Kind.SUPERVISOR_STOPPED, ((SupervisorException) ended.getCause()).kind());
  }

  @Test
  void allCommandsActOnEveryService() {
    s.add(spec("a"));
    s.add(spec("b").dependsOn("a"));
    s.enterAll();
    s.stopAll();
    assertEquals(List.of("b", "a"), s.returnAllStopped());
    assertEquals(List.of(STOPPED, STOPPED), List.of(s.state("a"), s.state("b")));
    s.startAll();
    assertEquals(List.of("a", "b"), s.enterAll());
    s.restartAll();
    assertEquals(List.of("b", "a"), s.returnAllStopped());
    assertEquals(List.of("a", "b"), s.enterAll());
    assertEquals(3, s.updates.count("a", RUNNING));
    assertEquals(3, s.updates.count("b", RUNNING));
    int before = s.updates.mark();
    s.resetAll();
    assertEquals(List.of(), s.updates.transitionsSince(before), "a reset of running services changes no state");
    assertEquals(0, s.info("a").restartCount(), "but clears their restart counters");
    assertEquals(3, s.info("a").startCount(), "not the history");
  }

  @Test
  void callsAfterShutdownAreRefused() {
    s.add(spec("svc"));
    s.enter("svc");
    CompletableFuture<Void> closed = s.shutdown();
    assertFalse(closed.isDone(), "not before the run has returned");
    s.end("svc", null);
    assertTrue(closed.isDone());
    assertEquals(STOPPED, s.state("svc"));
    SupervisorException error = assertThrows(SupervisorException.class, () -> s.start("svc"));
    assertEquals(Kind.SUPERVISOR_STOPPED, error.kind());
    SupervisorException late = assertThrows(SupervisorException.class, () -> s.add(spec("late")));
    assertEquals(Kind.SUPERVISOR_STOPPED, late.kind());
    assertTrue(s.terminated.join().isNormal());
  }

  @Test
  void aSpecUpdateAppliesFromTheNextDecisionWithoutDisturbingTheRun() {
    long id = s.add(spec("svc").restartDelay(ms(100)));
    s.enter("svc");
    s.updateSpec(id, spec("svc").restartDelay(ms(700)).maxRestartDelay(Duration.ofSeconds(30)));
    assertEquals(ms(700), s.info("svc").spec().restartDelay(), "shown at once");
    assertEquals(RUNNING, s.state("svc"), "the run goes on");
    assertTrue(s.askedToStop().isEmpty());
    assertEquals(1, s.info("svc").startCount());
    s.end("svc", new IOException("later"));
    assertEquals(BACKOFF, s.state("svc"));
    assertEquals(ms(700), s.info("svc").currentDelay(), "the next decision used it");

    SupervisorException refused = assertThrows(SupervisorException.class,
        () -> s.updateSpec(id, spec("svc").group("elsewhere")));
    assertEquals(Kind.ILLEGAL_STATE, refused.kind());
  }

  @Test
  void anIdleServiceIsRemovedWithoutAStop() {
    long id = s.add(spec("gone").autoStart(false));
    s.remove(id);
    StatusUpdate last = s.updates.all().get(s.updates.all().size() - 1);
    assertEquals(IDLE, last.newState(), "an IDLE service is removed without a stop");
    assertFalse(s.isPublished("gone"));
    assertEquals(1, s.updates.removalOf("gone"));
  }

  @Test
  void aRejectedRegistrationIsShownFailedWithWhyUntilItIsRemoved() {
    s.add(spec("taken"));
    SupervisorException why = new SupervisorException(Kind.INVALID_PROPERTY, "bad", "supervisor.restartDelay: 'soon'");
    long bad = s.call(reply -> new Message.Reject(s.nextId(), "bad", "bundle b [8]", why, reply));
    long clash = s.call(reply -> new Message.Reject(s.nextId(), "taken", "bundle b [8]", why, reply));
    ServiceInfo info = s.info("bad");
    assertEquals(FAILED, info.state());
    assertEquals(dev.supervisor.api.FailureKind.REJECTED, info.lastFailure().orElseThrow().kind());
    assertTrue(s.published.keySet().stream().anyMatch(name -> name.startsWith("rejected#" + clash)),
        () -> "a taken name is shown under a placeholder: " + s.published.keySet());
    assertEquals(List.of("taken"), s.group("").members(), "rejected registrations belong to no group");
    SupervisorException refused = assertThrows(SupervisorException.class, () -> s.start("bad"));
    assertTrue(refused.getMessage().contains("'soon'"), refused.getMessage());
    s.reset("bad");
    assertEquals(FAILED, s.state("bad"), "a reset cannot make it valid");
    assertFalse(s.runs.isLaunched("bad"));
    assertTrue(s.remove(bad).isDone());
    assertFalse(s.isPublished("bad"));
  }
  @Test
  void anAddThatNobodyWaitsForIsShownRefusedUnderItsOwnIdWithTheRefusalAsItsFailure() {
    s.add(spec("taken"));
    s.add(spec("a").dependsOn("b"));
    s.enterAll();
    var clash = s.addWithoutWaiting(spec("taken"), "bundle b [8]");
    var cycle = s.addWithoutWaiting(spec("b").dependsOn("a"), "bundle b [8]");

    SupervisorException clashed = refusal(clash.getValue());
    assertEquals(Kind.ALREADY_EXISTS, clashed.kind());
    ServiceInfo shownClash = s.published.values().stream().filter(i -> i.id() == clash.getKey()).findFirst().orElseThrow();
    assertTrue(shownClash.name().startsWith("rejected#" + clash.getKey()), shownClash.name());
    assertEquals(FAILED, shownClash.state());
    assertEquals(clashed.getMessage(), shownClash.lastFailure().orElseThrow().message(), "the engine's own words");
    assertEquals(dev.supervisor.api.FailureKind.REJECTED, shownClash.lastFailure().orElseThrow().kind());

    SupervisorException cycled = refusal(cycle.getValue());
    assertEquals(Kind.CIRCULAR_DEPENDENCY, cycled.kind());
    ServiceInfo shownCycle = s.info("b");
    assertEquals(cycle.getKey(), shownCycle.id(), "a free name is shown as it is, under the id the caller holds");
    assertEquals(cycled.getMessage(), shownCycle.lastFailure().orElseThrow().message());
    assertEquals(List.of("b"), s.info("a").dependencies(), "the refused one is linked to nothing");
    assertFalse(s.runs.isLaunched("b"));

    assertTrue(s.remove(cycle.getKey()).isDone());
    assertFalse(s.isPublished("b"));
    assertTrue(s.remove(clash.getKey()).isDone());
    assertEquals(RUNNING, s.state("taken"), "the holder of the name is not touched");
  }

  @Test
  void anAddThatNobodyWaitsForAndARemoveRightAfterItLeaveNothing() {
    var added = s.addWithoutWaiting(spec("brief"), "bundle b [8]");
    CompletableFuture<Void> removed = s.remove(added.getKey());
    s.enterAll();

    assertEquals(added.getKey(), added.getValue().join(), "accepted, under the id it was given");
    assertTrue(removed.isDone());
    assertFalse(s.isPublished("brief"));
  }

  private static SupervisorException refusal(CompletableFuture<Long> reply) {
    CompletionException failed = assertThrows(CompletionException.class, reply::join);
    return (SupervisorException) failed.getCause();
  }
}
