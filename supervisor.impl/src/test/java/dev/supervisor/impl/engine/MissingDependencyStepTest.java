package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.BootReport;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dependency that is never registered is reported once its grace period is over, and the boot report
 * says what everything waits on; stepped by hand, in virtual time.
 */
class MissingDependencyStepTest {
  private final Stepper s = new Stepper();

  private void add(ServiceSpec spec) {
    s.<Long>request(reply -> new Message.Add(s.nextId(), spec, WorkerSource.of(ctx -> { }), "test", Escalator.NONE,
        false, reply));
  }

  private void enterAll() {
    while (!s.runs.launched.isEmpty()) {
      s.runs.enter(s.runs.launched.iterator().next());
      s.settle();
    }
  }

  private Snapshot shown(String name) {
    return s.published.get(name);
  }

  @Test
  void aMisspeltDependencyIsReportedAfterItsGraceWithTheClosestNameAndStillWaitedFor() {
    add(ServiceSpec.builder("db").build());
    add(ServiceSpec.builder("api").dependsOn("dbb").missingDependencyGrace(Duration.ofSeconds(30)).build());
    enterAll();
    assertEquals(State.WAITING, shown("api").state());
    assertEquals(List.of("dbb"), shown("api").missingDependencies());
    assertEquals(List.of(), shown("api").overdueDependencies(), "within its grace");
    assertFalse(StartUp.settled(Map.copyOf(s.published)), "a missing name may still come within its grace");

    s.advance(Duration.ofSeconds(29));
    assertEquals(List.of(), shown("api").overdueDependencies());
    s.advance(Duration.ofSeconds(1));
    assertEquals(List.of("dbb"), shown("api").overdueDependencies());
    assertEquals(State.WAITING, shown("api").state(), "still waited for: OSGi bundles may come late");
    BootReport report = StartUp.report(Map.copyOf(s.published), Instant.EPOCH, StartUp.settled(Map.copyOf(s.published)));
    assertTrue(report.settled(), report.toString());
    assertEquals("waiting on 'dbb' (not registered for PT30S or more; did you mean 'db'?)",
        report.services().get(0).why().orElseThrow(), report.toString());
    assertEquals(List.of("api"), report.notRunning().stream().map(BootReport.Line::name).toList());

    add(ServiceSpec.builder("dbb").build());
    enterAll();
    assertEquals(State.RUNNING, shown("api").state());
    assertEquals(List.of(), shown("api").overdueDependencies());
    assertTrue(StartUp.report(Map.copyOf(s.published), Instant.EPOCH, true).allRunning());
  }

  @Test
  void aDependencyThatComesWithinItsGraceIsNeverReportedAndLeavesNoTimerBehind() {
    add(ServiceSpec.builder("api").dependsOn("db").build());
    int timersWhileMissing = s.clock.pendingTimers();
    s.advance(Duration.ofSeconds(10));
    add(ServiceSpec.builder("db").build());
    enterAll();
    assertEquals(timersWhileMissing - 1, s.clock.pendingTimers(), "the grace timer was cancelled");
    s.advance(Duration.ofMinutes(5));
    assertEquals(List.of(), shown("api").overdueDependencies());
    assertEquals(State.RUNNING, shown("api").state());
  }

  @Test
  void aDependencyThatGoesAwayStartsItsGraceAnewForItsDependents() {
    add(ServiceSpec.builder("db").build());
    add(ServiceSpec.builder("api").dependsOn("db").missingDependencyGrace(Duration.ofSeconds(5)).build());
    enterAll();
    s.clock.advance(Duration.ofMinutes(1)); // a long healthy time: none of it counts toward the grace
    Run db = s.runs.inside.stream().filter(run -> run.name().equals("db")).findFirst().orElseThrow();
    s.<Void>request(reply -> new Message.Command(Message.Action.REMOVE, "db", 0, reply));
    // The dependent stops first; then db's run is asked to stop and ends.
    Run api = s.runs.stopCalled.iterator().next();
    s.runs.end(api, null);
    s.settle();
    s.runs.end(db, null);
    s.settle();
    assertEquals(List.of("db"), shown("api").missingDependencies());
    s.advance(Duration.ofSeconds(4));
    assertEquals(List.of(), shown("api").overdueDependencies());
    s.advance(Duration.ofSeconds(1));
    assertEquals(List.of("db"), shown("api").overdueDependencies());
  }

  @Test
  void startUpIsNotSettledWhileAServiceStartsAndIsOnceEverythingRunsOrRests() {
    add(ServiceSpec.builder("db").build());
    add(ServiceSpec.builder("api").dependsOn("db").build());
    add(ServiceSpec.builder("manual").autoStart(false).build());
    assertFalse(StartUp.settled(Map.copyOf(s.published)), "db is STARTING");
    enterAll();
    Map<String, Snapshot> now = Map.copyOf(s.published);
    assertTrue(StartUp.settled(now));
    assertEquals("not started: supervisor.autoStart = false", StartUp.why(now.get("manual"), now));
  }

  @Test
  void aServiceWaitingOnAFailedDependencyHasSettledAndTheReportSaysOnWhat() {
    add(ServiceSpec.builder("db").restart(dev.supervisor.api.RestartPolicy.NEVER).build());
    add(ServiceSpec.builder("api").dependsOn("db").build());
    enterAll();
    s.runs.end(s.runs.inside.stream().filter(run -> run.name().equals("db")).findFirst().orElseThrow(),
        new IllegalStateException("disk full"));
    s.settle();
    assertFalse(StartUp.settled(Map.copyOf(s.published)), "api is STOPPING: its run has not returned yet");
    s.runs.end(s.runs.stopCalled.iterator().next(), null);
    s.settle();
    Map<String, Snapshot> now = Map.copyOf(s.published);
    assertEquals(State.STOPPED, now.get("db").state());
    assertTrue(StartUp.settled(now));
    assertEquals("waiting on 'db' (STOPPED)", StartUp.why(now.get("api"), now));
    assertEquals("failed; not restarted (supervisor.restart = NEVER)", StartUp.why(now.get("db"), now));
  }

  @Test
  void theClosestNameIsAFewEditsAwayOrNone() {
    assertEquals("db", ClosestName.among("dbb", List.of("db", "cache")).orElseThrow());
    assertEquals("orders", ClosestName.among("odrers", List.of("orders", "ordering")).orElseThrow());
    assertTrue(ClosestName.among("payments", List.of("db", "cache")).isEmpty());
    assertTrue(ClosestName.among("a", List.of("a")).isEmpty(), "not itself");
  }
}
