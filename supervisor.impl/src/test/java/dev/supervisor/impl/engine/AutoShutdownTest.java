package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STOPPED;
import static dev.supervisor.impl.engine.Stepper.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.AutoShutdown;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.Termination;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Significant services and auto-shutdown (OTP 24's significant children, bandmaster's Required), and a
 * group ended on purpose (the broker's Terminate / Terminated): stepped, in virtual time.
 */
class AutoShutdownTest {
  private final Stepper s = new Stepper();

  private CompletableFuture<Termination> whenEnded(String path) {
    return s.request(reply -> new Message.GroupTermination(path, false, reply));
  }

  @Test
  void aSignificantServiceThatEndsForGoodEndsItsAnySignificantGroupAndOnlyThatGroup() {
    s.configureGroup(GroupSpec.builder("job").autoShutdown(AutoShutdown.ANY_SIGNIFICANT));
    s.add(spec("job.db").group("job"));
    s.add(spec("job.import").group("job").dependsOn("job.db").significant(true).restart(RestartPolicy.ON_FAILURE));
    s.add(spec("outsider"));
    s.enterAll();
    CompletableFuture<Termination> ended = whenEnded("job");

    s.end("job.import", null); // done: ON_FAILURE does not restart a run that returned
    assertEquals(STOPPED, s.state("job.import"));
    assertEquals(List.of("job.db"), s.askedToStop(), "the group stops what is left of it");
    assertFalse(ended.isDone(), "not before every member has stopped");
    s.returnAllStopped();
    Termination end = ended.join();
    assertTrue(end.isNormal(), end.toString());
    assertEquals("job.import", end.service().orElseThrow());
    assertEquals(STOPPED, s.state("job.db"));
    assertEquals(RUNNING, s.state("outsider"), "a group's end is its own");
    assertTrue(s.terminated.isDone() == false, "the supervisor goes on");
    assertTrue(whenEnded("job").isDone(), "asked later: at once, while it has not started again");
  }

  @Test
  void allSignificantWaitsForEverySignificantMemberAndAFailureEndsItWithStatusOne() {
    s.configureGroup(GroupSpec.builder("batch").autoShutdown(AutoShutdown.ALL_SIGNIFICANT));
    s.add(spec("batch.a").group("batch").significant(true));
    s.add(spec("batch.b").group("batch").significant(true).restart(RestartPolicy.NEVER));
    s.add(spec("batch.helper").group("batch"));
    s.enterAll();
    CompletableFuture<Termination> ended = whenEnded("batch");

    s.end("batch.a", null);
    assertTrue(s.askedToStop().isEmpty(), "one of two significant members: the group goes on");
    s.end("batch.b", new IOException("disk full")); // NEVER: not restarted, so ended for good
    assertEquals(List.of("batch.helper"), s.askedToStop());
    s.returnAllStopped();
    Termination end = ended.join();
    assertEquals(1, end.exitStatus());
    assertEquals("batch.b", end.service().orElseThrow());
    assertEquals("disk full", end.cause().orElseThrow().message());
  }

  @Test
  void aSignificantRootMemberThatEndsTerminatesTheSupervisorNormally() {
    s.configureGroup(GroupSpec.builder("").autoShutdown(AutoShutdown.ANY_SIGNIFICANT));
    s.add(spec("base"));
    s.add(spec("main").dependsOn("base").significant(true));
    s.enterAll();
    s.end("main", null);
    s.returnAllStopped();
    Termination termination = s.terminated.join();
    assertTrue(termination.isNormal());
    assertEquals("main", termination.service().orElseThrow());
    assertEquals(STOPPED, s.state("base"));
  }

  @Test
  void aSignificantServiceStoppedByHandEndsNothingAndNeverDoesUnderNever() {
    s.configureGroup(GroupSpec.builder("g").autoShutdown(AutoShutdown.ANY_SIGNIFICANT));
    s.add(spec("g.main").group("g").significant(true));
    s.add(spec("g.other").group("g"));
    s.add(spec("plain").significant(true).restart(RestartPolicy.NEVER)); // root: NEVER by default
    s.enterAll();
    s.stop("g.main");
    s.returnAllStopped();
    assertEquals(RUNNING, s.state("g.other"), "a stop by hand is no end for good");
    s.end("plain", new IOException("gone"));
    assertFalse(s.terminated.isDone(), "the root's autoShutdown is NEVER");
  }

  @Test
  void terminateGroupEndsItNowAndAStartBringsItBack() {
    s.add(spec("ingest.kafka").group("ingest"));
    s.add(spec("ingest.http").group("ingest").dependsOn("ingest.kafka"));
    s.enterAll();
    CompletableFuture<Termination> ended = s.request(reply -> new Message.GroupTermination("ingest", true, reply));
    assertEquals(List.of("ingest.http"), s.askedToStop(), "dependents first");
    s.returnAllStopped();
    s.returnAllStopped();
    Termination end = ended.join();
    assertTrue(end.isNormal());
    assertTrue(end.service().isEmpty());
    assertEquals("stopped: its group 'ingest' ended", StartUp.why(s.published.get("ingest.kafka"),
        java.util.Map.copyOf(s.published)));

    s.start("ingest.kafka");
    assertFalse(whenEnded("ingest").isDone(), "started again: it has not ended any more");
  }

  @Test
  void anUnknownGroupIsRefused() {
    CompletableFuture<Termination> nowhere = whenEnded("nowhere");
    CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
        nowhere::join);
    assertEquals(SupervisorException.Kind.UNKNOWN_GROUP, ((SupervisorException) refused.getCause()).kind());
  }

  @Test
  void aSignificantServiceThatFailsForGoodIsAnEndToo() {
    s.configureGroup(GroupSpec.builder("g").autoShutdown(AutoShutdown.ANY_SIGNIFICANT));
    s.add(spec("g.flaky").group("g").significant(true).maxRestarts(1).restartDelay(java.time.Duration.ZERO));
    s.add(spec("g.other").group("g"));
    s.enterAll();
    s.end("g.flaky", new IOException("one"));
    s.enter("g.flaky");
    assertTrue(s.askedToStop().isEmpty(), "restarted: not ended yet");
    s.end("g.flaky", new IOException("two"));
    assertEquals(FAILED, s.state("g.flaky"));
    assertEquals(List.of("g.other"), s.askedToStop());
  }
}
