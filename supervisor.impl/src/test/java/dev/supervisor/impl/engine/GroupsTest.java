package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STOPPED;
import static dev.supervisor.api.State.STOPPING;
import static dev.supervisor.impl.engine.Stepper.ms;
import static dev.supervisor.impl.engine.Stepper.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.supervisor.api.FailureKind;
import dev.supervisor.api.FatalException;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.Strategy;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.Termination;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** Supervision groups: failure intensity and pauses, strategies, escalation up the tree, group stops; stepped. */
class GroupsTest {
  private final Stepper s = new Stepper();

  @Test
  void decayFollowsTheClosedForm() {
    Duration halfLife = Duration.ofSeconds(30);
    for (double count : new double[] {1, 3.5, 17}) {
      for (long millis : new long[] {0, 1, 15_000, 30_000, 90_000, 600_000}) {
        double expected = count * Math.pow(2, -millis / 30_000.0);
        assertEquals(expected, FailureIntensity.decayed(count, Duration.ofMillis(millis), halfLife), 1e-12,
            count + " after " + millis + " ms");
      }
    }
    FailureIntensity intensity = new FailureIntensity();
    long t0 = 7_000_000_000L; // a monotonic reading in nanoseconds
    long second = 1_000_000_000L;
    intensity.recordFailure(t0, halfLife);
    intensity.recordFailure(t0 + 10 * second, halfLife);
    double afterSecond = 1 * Math.pow(2, -10 / 30.0) + 1;
    assertEquals(afterSecond, intensity.current(t0 + 10 * second, halfLife), 1e-12);
    assertEquals(afterSecond / 2, intensity.current(t0 + 40 * second, halfLife), 1e-12);
  }

  @Test
  void theSnapshotShowsTheLiveDecayedCount() {
    s.configureGroup(GroupSpec.builder("g").failureDecay(Duration.ofSeconds(10)));
    s.add(spec("s").group("g").restartDelay(Duration.ofHours(1)).maxRestartDelay(Duration.ofHours(1)));
    s.crash("s");
    assertEquals(1.0, s.group("g").failureCount(), 1e-12);
    s.advance(Duration.ofSeconds(10));
    assertEquals(0.5, s.group("g").failureCount(), 1e-12);
    s.advance(Duration.ofSeconds(20));
    assertEquals(0.125, s.group("g").failureCount(), 1e-12);
  }

  @Test
  void pastTheThresholdEveryRestartPausesThenTheCountResets() {
    s.configureGroup(GroupSpec.builder("g").failureThreshold(2).failureDecay(Duration.ofMinutes(10))
        .failureBackoff(Duration.ofSeconds(10)));
    s.add(spec("flaky").group("g").restartDelay(ms(10)).maxRestartDelay(ms(10)));
    s.crash("flaky");
    s.advance(ms(10));
    s.crash("flaky");
    assertEquals(RUNNING, s.group("g").state(), "count 2 is not past the threshold of 2");
    s.advance(ms(10));
    s.crash("flaky");
    GroupInfo paused = s.group("g");
    assertEquals(BACKOFF, paused.state());
    assertEquals(s.clock.now().plusSeconds(10), paused.backoffUntil().orElseThrow());
    assertEquals(s.clock.now().plusSeconds(10), s.info("flaky").nextRestartAt().orElseThrow(),
        "the restart waits for the group's pause, not just its own 10 ms");

    s.advance(Duration.ofMillis(9_999));
    assertFalse(s.runs.isLaunched("flaky"), "no restart during the pause");
    s.advance(ms(1));
    s.crash("flaky");
    assertEquals(4, s.info("flaky").startCount());
    GroupInfo after = s.group("g");
    assertEquals(RUNNING, after.state());
    assertEquals(1.0, after.failureCount(), 1e-12, "reset to zero when the pause ended, then one new failure");
  }

  @Test
  void oneForOneRestartsOnlyTheFailedMember() {
    s.configureGroup(GroupSpec.builder("g").strategy(Strategy.ONE_FOR_ONE));
    s.add(spec("a").group("g"));
    s.add(spec("b").group("g"));
    s.enterAll();
    s.end("a", new IOException("a crashed"));
    assertEquals(List.of(), s.askedToStop(), "b is left alone");
    s.advance(ms(100));
    s.enter("a");
    assertEquals(2, s.info("a").startCount());
    assertEquals(1, s.info("b").startCount());
  }

  @Test
  void oneForAllRestartsEveryMemberInDependencyOrder() {
    s.configureGroup(GroupSpec.builder("g").strategy(Strategy.ONE_FOR_ALL));
    s.add(spec("db").group("g"));
    s.add(spec("api").group("g").dependsOn("db"));
    s.add(spec("worker").group("g"));
    s.add(spec("outsider"));
    s.enterAll();
    int before = s.updates.mark();

    s.end("worker", new IOException("worker crashed"));
    assertEquals(BACKOFF, s.state("worker"));
    assertEquals(List.of("api"), s.askedToStop(), "dependents stop first");
    s.end("api", null);
    assertEquals(List.of("db"), s.askedToStop());
    s.end("db", null);
    assertEquals(List.of("db", "api"), s.enterAll(), "dependencies start first");
    s.advance(ms(100));
    s.enter("worker");

    assertEquals(2, s.info("db").startCount());
    assertEquals(2, s.info("api").startCount());
    assertEquals(1, s.info("outsider").startCount(), "outside the group: untouched");
    assertEquals(List.of("worker:BACKOFF", "api:STOPPING", "api:WAITING", "db:STOPPING", "db:STARTING",
        "db:RUNNING", "api:STARTING", "api:RUNNING", "worker:STARTING", "worker:RUNNING"),
        s.updates.transitionsSince(before));
  }

  @Test
  void restForOneRestartsTheFailedMemberAndThoseStartedAfterIt() {
    s.configureGroup(GroupSpec.builder("g").strategy(Strategy.REST_FOR_ONE));
    for (String name : List.of("first", "second", "third")) {
      s.add(spec(name).group("g").autoStart(false));
    }
    for (String name : List.of("first", "second", "third")) {
      s.start(name);
      s.enter(name);
    }
    s.end("second", new IOException("second crashed"));
    assertEquals(List.of("third"), s.askedToStop(), "started after the failed one");
    s.returnAllStopped();
    s.enter("third");
    s.advance(ms(100));
    s.enter("second");
    assertEquals(1, s.info("first").startCount(), "started before the failed one: untouched");
    assertEquals(2, s.info("second").startCount());
    assertEquals(2, s.info("third").startCount());
  }

  @Test
  void escalationGoesUpThreeLevelsAndTheRootGivingUpEndsTheSupervisor() {
    for (String path : List.of("", "a", "a/b", "a/b/c")) {
      s.configureGroup(GroupSpec.builder(path).maxRestarts(1).restartWindow(Duration.ofMinutes(1))
          .failureThreshold(Double.POSITIVE_INFINITY));
    }
    s.add(spec("bystander").group("a"));
    s.enter("bystander");
    s.add(spec("leaf").group("a/b/c").restartDelay(Duration.ZERO).maxRestartDelay(Duration.ZERO));

    // Each level gives up at every second failure that reaches it: c at 2, 4, ..., b at 4, 8, ..., a at 8
    // and 16, the root at 16, when the supervisor ends. The bystander, in 'a', honours every stop it is asked.
    int runs = 0;
    for (int step = 0; !s.terminated.isDone(); step++) {
      if (step > 100) {
        fail("the supervisor did not end; updates: " + s.updates.transitions());
      }
      s.returnAllStopped();
      if (s.runs.isLaunched("bystander")) {
        s.enter("bystander");
      }
      if (s.runs.isLaunched("leaf")) {
        s.crash("leaf");
        runs++;
      }
    }
    Termination termination = s.terminated.join();
    assertEquals(16, runs);
    assertEquals(1, termination.exitStatus());
    assertEquals("leaf", termination.service().orElseThrow());
    assertTrue(termination.cause().orElseThrow().message().contains("group ''"),
        termination.cause().orElseThrow().message());
    assertEquals(8, s.group("a/b/c").escalations());
    assertEquals(4, s.group("a/b").escalations());
    assertEquals(2, s.group("a").escalations());
    assertEquals(1, s.group("").escalations());
    assertEquals(FAILED, s.group("").state());
    assertEquals(FAILED, s.state("leaf"));
    assertEquals(STOPPED, s.state("bystander"));
    assertEquals(2, s.info("bystander").startCount(), "restarted with 'a' when 'a' failed, at the 8th failure");
    SupervisorException stopped = assertThrows(SupervisorException.class, () -> s.start("bystander"));
    assertEquals(SupervisorException.Kind.SUPERVISOR_STOPPED, stopped.kind());
  }

  @Test
  void aParentRestartsAFailedChildGroupAsOneMemberByItsOwnStrategy() {
    s.configureGroup(GroupSpec.builder("a").strategy(Strategy.ONE_FOR_ALL));
    s.configureGroup(GroupSpec.builder("a/b").maxRestarts(1).restartWindow(Duration.ofMinutes(1)));
    s.add(spec("sibling").group("a"));
    s.add(spec("peer").group("a/b"));
    s.add(spec("leaf").group("a/b").restartDelay(Duration.ZERO).maxRestartDelay(Duration.ZERO));
    s.enter("sibling");
    s.enter("peer");
    // Failure 1 is within a/b's limit; failure 2 exceeds it: a/b fails as a whole, and 'a' (ONE_FOR_ALL)
    // restarts all of its members, the child group a/b (peer, leaf) and the sibling.
    s.enter("leaf");
    s.end("leaf", new IOException("leaf failure 1"));
    s.enter("leaf");
    s.end("leaf", new IOException("leaf failure 2"));
    assertEquals(List.of("peer", "sibling"), s.askedToStop());
    s.returnAllStopped();
    s.enterAll();
    assertEquals(RUNNING, s.state("leaf"));
    assertEquals(3, s.updates.count("leaf", RUNNING));
    assertEquals(2, s.updates.count("peer", RUNNING));
    assertEquals(2, s.updates.count("sibling", RUNNING));
    assertEquals(1, s.group("a/b").escalations());
    assertEquals(0, s.group("a/b").restartsInWindow(), "a restarted group starts with a clean slate");
    assertEquals(1, s.group("a").restartsInWindow(), "the parent counted the child group's failure");
    assertTrue(s.group("a/b").lastFailure().orElseThrow().message().contains("leaf failure 2"));
    assertEquals(2, s.info("sibling").startCount());
    assertEquals(2, s.info("peer").startCount());
  }

  @Test
  void aFatalErrorTerminatesWithItsStatusAndListenersHearOfIt() {
    s.add(spec("base"));
    s.add(spec("fatal").dependsOn("base"));
    s.enterAll();
    s.end("fatal", new FatalException(7, "unrecoverable"));
    assertFalse(s.terminated.isDone(), "base is still to stop");
    s.returnAllStopped();
    Termination termination = s.terminated.join();
    assertEquals(7, termination.exitStatus());
    assertEquals("fatal", termination.service().orElseThrow());
    assertFalse(termination.isNormal());
    assertEquals(FailureKind.FATAL, termination.cause().orElseThrow().kind());
    assertEquals(List.of(termination), s.updates.terminations());
    assertEquals(STOPPED, s.state("base"));
  }

  @Test
  void aWorkerThatAsksToEndWithStatusZeroEndsEverythingInReverseOrderAsANormalTermination() {
    s.add(spec("base"));
    s.add(spec("batch").dependsOn("base"));
    s.enterAll();
    s.end("batch", new FatalException(0, "all records imported"));
    assertEquals(STOPPED, s.state("batch"), "a requested end, not a failure");
    assertEquals(0, s.info("batch").failureCount());
    assertTrue(s.info("batch").lastFailure().isEmpty());
    assertFalse(s.terminated.isDone(), "base is still to stop");
    s.returnAllStopped();
    Termination termination = s.terminated.join();
    assertTrue(termination.isNormal(), termination.toString());
    assertEquals(0, termination.exitStatus());
    assertEquals("batch", termination.service().orElseThrow(), "who asked for it");
    assertEquals(STOPPED, s.state("base"));
  }

  @Test
  void aShutdownIsANormalTermination() {
    s.add(spec("x"));
    s.enter("x");
    s.shutdown();
    s.returnAllStopped();
    Termination termination = s.terminated.join();
    assertTrue(termination.isNormal());
    assertEquals(0, termination.exitStatus());
    assertTrue(termination.service().isEmpty());
  }

  /**
   * Group "g" (stop timeout 3 s) with "polite" and "stubborn" (which ignores its stop) RUNNING, then stopGroup:
   * polite stops, stubborn is still STOPPING.
   *
   * @return what stopGroup will answer
   */
  private CompletableFuture<List<String>> stopGroupWithAStraggler() {
    s.configureGroup(GroupSpec.builder("g").stopTimeout(Duration.ofSeconds(3)));
    s.add(spec("polite").group("g"));
    s.add(spec("stubborn").group("g").stopTimeout(Duration.ofMinutes(1)));
    s.enterAll();
    CompletableFuture<List<String>> report = s.stopGroup("g");
    assertEquals(List.of("polite", "stubborn"), s.askedToStop());
    s.end("polite", null);
    assertEquals(STOPPED, s.state("polite"));
    assertEquals(STOPPING, s.state("stubborn"));
    assertFalse(report.isDone());
    return report;
  }

  @Test
  void stoppingAGroupWaitsForItsStopTimeoutAndNamesTheStragglers() {
    CompletableFuture<List<String>> report = stopGroupWithAStraggler();
    s.advance(Duration.ofSeconds(3).minusMillis(1));
    assertFalse(report.isDone());
    s.advance(ms(1));
    assertEquals(List.of("stubborn"), report.join());
    assertTrue(s.group("g").lastFailure().orElseThrow().message().contains("[stubborn]"));
    assertEquals(FailureKind.STOP_TIMEOUT, s.updates.last("stubborn", STOPPED).failure().orElseThrow().kind(),
        "abandoned at the group's timeout, not its own minute");
  }

  @Test
  void stoppingAGroupWhoseMembersStopAnswersAtOnceWithNoStragglers() {
    s.configureGroup(GroupSpec.builder("g").stopTimeout(Duration.ofSeconds(3)));
    s.add(spec("one").group("g"));
    s.add(spec("two").group("g"));
    s.enterAll();
    CompletableFuture<List<String>> report = s.stopGroup("g");
    s.returnAllStopped();
    assertEquals(List.of(), report.join());
    assertEquals(0, s.clock.pendingTimers(), "the group's stop timer was cancelled");
  }

  /**
   * Issue 13: at the group's stop timeout, a member never asked to stop (its dependent outside the group was
   * still stopping) was abandoned all the same, and the dependent kept running on it.
   */
  @Test
  void aMemberWaitingForADependentOutsideTheGroupIsNamedButNotAbandoned() {
    s.configureGroup(GroupSpec.builder("g").stopTimeout(Duration.ofSeconds(3)));
    s.add(spec("db").group("g"));
    s.add(spec("app").dependsOn("db").stopTimeout(Duration.ofMinutes(1)));
    s.enterAll();
    CompletableFuture<List<String>> report = s.stopGroup("g");
    assertEquals(List.of("app"), s.askedToStop(), "the dependent outside the group first");
    s.advance(Duration.ofSeconds(3));
    assertEquals(List.of("db"), report.join());
    assertEquals(RUNNING, s.state("db"), "not abandoned: its dependent is still live");
    assertEquals(0, s.info("db").failureCount());
    assertTrue(s.group("g").lastFailure().orElseThrow().message().contains("waiting for their dependents"),
        s.group("g").lastFailure().orElseThrow().message());
    s.end("app", null);
    assertEquals(List.of("db"), s.askedToStop(), "once its dependent has returned");
    s.end("db", null);
    assertEquals(STOPPED, s.state("db"));
  }

  @Test
  void aMemberStartedAgainDuringAGroupStopIsNoStraggler() {
    CompletableFuture<List<String>> report = stopGroupWithAStraggler();
    s.start("polite"); // started by hand while the group still waits for its straggler
    s.enter("polite");

    s.advance(Duration.ofSeconds(3));
    assertEquals(List.of("stubborn"), report.join());
    assertEquals(RUNNING, s.state("polite"), "its new run was not abandoned");
    assertEquals(List.of("stubborn"), s.askedToStop(), "nor asked to stop: only the abandoned run is still inside");
  }

  @Test
  void groupsAreCreatedOnFirstUseAndListTheirMembersAndChildren() {
    s.add(spec("k1").group("ingest/kafka"));
    s.add(spec("k2").group("ingest/kafka"));
    s.add(spec("f").group("ingest"));
    s.enter("k1");
    assertEquals(List.of("ingest/kafka"), s.group("ingest").children());
    assertEquals(List.of("f"), s.group("ingest").members());
    assertEquals(List.of("k1", "k2"), s.group("ingest/kafka").members());
    assertEquals(List.of("ingest"), s.group("").children());
    assertEquals("ingest/kafka", s.info("k1").group());
    assertEquals("ingest/kafka", s.updates.last("k1", RUNNING).group());
    assertEquals(List.of("", "ingest", "ingest/kafka"), s.publishedGroups.keySet().stream().sorted().toList());
    assertEquals(Strategy.ONE_FOR_ONE, s.group("ingest").spec().strategy());
    SupervisorException unknown = assertThrows(SupervisorException.class, () -> s.restartGroup("nope"));
    assertTrue(unknown.getMessage().contains("'nope'"));
  }

  @Test
  void badGroupSpecsNameTheGroupThePropertyAndTheValue() {
    SupervisorException error = assertThrows(SupervisorException.class,
        () -> GroupSpec.builder("g").failureThreshold(Double.NaN).build());
    assertTrue(error.getMessage().contains("group 'g'") && error.getMessage().contains(GroupSpec.FAILURE_THRESHOLD)
        && error.getMessage().contains("NaN"), error.getMessage());
    assertThrows(SupervisorException.class, () -> GroupSpec.builder("/abs").build());
    assertThrows(SupervisorException.class, () -> GroupSpec.builder("g").maxRestarts(-1).build());
  }

  @Test
  void restartingAGroupStopsDependentsFirstAndStartsDependenciesFirst() {
    s.add(spec("db").group("g"));
    s.add(spec("api").group("g").dependsOn("db"));
    s.add(spec("outsider"));
    s.enterAll();
    int before = s.updates.mark();
    s.restartGroup("g");
    assertEquals(List.of("api"), s.askedToStop());
    s.end("api", null);
    assertEquals(List.of("db"), s.askedToStop());
    s.end("db", null);
    assertEquals(List.of("db", "api"), s.enterAll());
    assertEquals(List.of("api:STOPPING", "api:WAITING", "db:STOPPING", "db:STARTING", "db:RUNNING", "api:STARTING",
        "api:RUNNING"), s.updates.transitionsSince(before));
    assertEquals(1, s.info("outsider").startCount());
  }

  @Test
  void aMemberRestartedDuringAGroupStopIsNoStraggler() {
    s.configureGroup(GroupSpec.builder("g").stopTimeout(Duration.ofSeconds(3)));
    s.add(spec("m").group("g"));
    s.enter("m");
    CompletableFuture<List<String>> report = s.stopGroup("g");
    s.restartGroup("g");
    s.end("m", null);
    s.enter("m");
    s.advance(Duration.ofSeconds(3));
    assertEquals(List.of(), report.join());
    assertEquals(RUNNING, s.state("m"));
  }

  /**
   * Found by stepping: a group stop used to ask whether a member had a live run, not whether the stop asked
   * of it was over, so a member started again during a group stop (by restartGroup, or start by hand) kept
   * the stop waiting for the group's whole stop timeout, which then recorded a STOP_TIMEOUT naming no one.
   */
  @Test
  void aGroupStopIsOverOnceEveryStopItAskedForIsOverEvenIfAMemberStartedAgain() {
    s.configureGroup(GroupSpec.builder("g").stopTimeout(Duration.ofSeconds(3)));
    s.add(spec("m").group("g"));
    s.enter("m");
    CompletableFuture<List<String>> report = s.stopGroup("g");
    s.restartGroup("g");
    s.end("m", null);
    assertTrue(report.isDone(), "m has stopped; its new run is no part of the stop");
    assertEquals(List.of(), report.join());
    s.enter("m");
    s.advance(Duration.ofSeconds(3));
    assertTrue(s.group("g").lastFailure().isEmpty(), () -> "nothing was late: " + s.group("g").lastFailure());
  }

  @Test
  void aRestartScheduledBeforeThePauseBeganWaitsForItToo() {
    s.configureGroup(GroupSpec.builder("g").failureThreshold(1).failureDecay(Duration.ofMinutes(10))
        .failureBackoff(Duration.ofSeconds(10)));
    s.add(spec("a").group("g").restartDelay(ms(100)).maxRestartDelay(ms(100)));
    s.add(spec("b").group("g").restartDelay(ms(100)).maxRestartDelay(ms(100)));
    s.enterAll();
    s.end("a", new IOException("a crashed")); // count 1: not past the threshold; a restarts in 100 ms
    s.end("b", new IOException("b crashed")); // count 2: the group pauses for 10 s
    assertEquals(BACKOFF, s.group("g").state());
    s.advance(ms(100));
    assertFalse(s.runs.isLaunched("a"), "a's restart came due during the pause: it waits for the pause");
    assertEquals(BACKOFF, s.state("a"));
    s.advance(Duration.ofSeconds(10).minusMillis(100));
    assertTrue(s.runs.isLaunched("a") && s.runs.isLaunched("b"), "both once the pause is over");
  }
}
