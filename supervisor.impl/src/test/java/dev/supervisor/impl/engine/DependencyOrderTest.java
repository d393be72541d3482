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

import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.SupervisorException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Services start after their dependencies and stop before them, stepped message by message. */
class DependencyOrderTest {
  private final Stepper s = new Stepper();

  @Test
  void startsInDependencyOrderWhateverTheOrderOfAdding() {
    s.add(spec("c").dependsOn("b"));
    s.add(spec("b").dependsOn("a"));
    s.add(spec("a"));

    assertEquals(List.of("a", "b", "c"), s.enterAll(), "one run at a time, each once its dependency RUNNING");
    assertEquals(List.of("c:IDLE", "c:WAITING", "b:IDLE", "b:WAITING", "a:IDLE", "a:STARTING",
        "a:RUNNING", "b:STARTING", "b:RUNNING", "c:STARTING", "c:RUNNING"), s.updates.transitions());
  }

  @Test
  void waitsForAMissingDependencyAndNamesIt() {
    s.add(spec("app").dependsOn("db", "cache"));
    s.add(spec("cache"));
    s.enterAll();

    ServiceInfo app = s.info("app");
    assertEquals(WAITING, app.state());
    assertEquals(List.of("db"), app.missingDependencies());
    assertEquals(List.of("app"), s.info("cache").dependents());

    s.add(spec("db"));
    assertEquals(List.of("db", "app"), s.enterAll());
    assertEquals(RUNNING, s.state("app"));
    assertEquals(List.of(), s.info("app").missingDependencies());
  }

  @Test
  void independentServicesDoNotWaitForEachOther() {
    s.add(spec("slow").readiness(Readiness.EXPLICIT));
    s.add(spec("quick"));
    s.enter("slow");
    s.enter("quick");
    assertEquals(RUNNING, s.state("quick"));
    assertEquals(STARTING, s.state("slow"), "slow has not called ready()");
    s.ready("slow");
    assertEquals(RUNNING, s.state("slow"));
  }

  @Test
  void stopAllStopsDependentsFirst() {
    s.add(spec("a"));
    s.add(spec("b").dependsOn("a"));
    s.add(spec("c").dependsOn("b"));
    s.add(spec("d").dependsOn("a"));
    s.enterAll();
    int before = s.updates.mark();

    s.stopAll();
    assertEquals(List.of("c", "d"), s.askedToStop(), "the services nothing depends on stop first");
    s.end("c", null);
    assertEquals(List.of("b", "d"), s.askedToStop(), "b once c has stopped");
    s.end("b", null);
    assertEquals(List.of("d"), s.askedToStop(), "not a while d still runs on it");
    s.end("d", null);
    assertEquals(List.of("a"), s.askedToStop());
    s.end("a", null);
    List<String> after = s.updates.transitionsSince(before);
    for (String name : List.of("a", "b", "c", "d")) {
      assertEquals(STOPPED, s.state(name));
      assertTrue(after.indexOf(name + ":STOPPING") < after.indexOf(name + ":STOPPED"), after.toString());
    }
    assertEquals(8, after.size(), "each STOPPING then STOPPED, nothing else: " + after);
  }

  @Test
  void aCycleIsRejectedAndNamedWhileTheRestRuns() {
    s.add(spec("a").dependsOn("c"));
    s.add(spec("b").dependsOn("a"));
    s.add(spec("x"));

    SupervisorException error = assertThrows(SupervisorException.class, () -> s.add(spec("c").dependsOn("b")));

    assertEquals(SupervisorException.Kind.CIRCULAR_DEPENDENCY, error.kind());
    assertEquals(List.of("c", "b", "a", "c"), error.cycle());
    assertTrue(error.getMessage().contains("c -> b -> a -> c"), error.getMessage());
    assertFalse(s.isPublished("c"));
    assertEquals(List.of("x"), s.enterAll());
    assertEquals(RUNNING, s.state("x"));
  }

  @Test
  void selfAndDuplicateDependenciesAndDuplicateNamesAreRefused() {
    SupervisorException self = assertThrows(SupervisorException.class, () -> spec("s").dependsOn("s").build());
    assertEquals(SupervisorException.Kind.DEPENDS_ON_ITSELF, self.kind());
    SupervisorException duplicate = assertThrows(SupervisorException.class,
        () -> spec("s").dependsOn("a", "a").build());
    assertEquals(SupervisorException.Kind.DUPLICATE_DEPENDENCY, duplicate.kind());
    assertTrue(duplicate.getMessage().contains("'a'"), duplicate.getMessage());

    s.add(spec("one"));
    SupervisorException twice = assertThrows(SupervisorException.class, () -> s.add(spec("one")));
    assertEquals(SupervisorException.Kind.ALREADY_EXISTS, twice.kind());
    assertEquals(List.of(IDLE, STARTING), s.updates.states("one"), "the first registration is untouched");
  }

  @Test
  void aDependencyThatLeavesRunningTakesItsDependentsDownAndBack() {
    s.add(spec("db"));
    s.add(spec("api").dependsOn("db"));
    s.add(spec("web").dependsOn("api"));
    s.enterAll();
    int before = s.updates.mark();

    s.restart("db");
    assertEquals(List.of("web", "api", "db"), s.returnAllStopped(), "dependents stop first, deepest first");
    assertEquals(List.of("db", "api", "web"), s.enterAll(), "and start again after it, in order");
    assertEquals(List.of("web:STOPPING", "web:WAITING", "api:STOPPING", "api:WAITING", "db:STOPPING",
        "db:STARTING", "db:RUNNING", "api:STARTING", "api:RUNNING", "web:STARTING", "web:RUNNING"),
        s.updates.transitionsSince(before));
  }

  @Test
  void aCrashedDependencyStopsItsDependentsUntilItRunsAgain() {
    s.add(spec("db").restartDelay(ms(500)));
    s.add(spec("api").dependsOn("db"));
    s.enterAll();

    s.end("db", new IllegalStateException("connection lost"));
    assertEquals(BACKOFF, s.state("db"));
    assertEquals(STOPPING, s.state("api"), "asked to stop: its dependency is gone");
    assertEquals(List.of("api"), s.returnAllStopped());
    assertEquals(WAITING, s.state("api"));

    s.advance(ms(499));
    assertEquals(BACKOFF, s.state("db"));
    s.advance(ms(1));
    assertEquals(List.of("db", "api"), s.enterAll());
    assertEquals(List.of(IDLE, WAITING, STARTING, RUNNING, STOPPING, WAITING, STARTING, RUNNING),
        s.updates.states("api"));
    assertEquals("connection lost", s.updates.last("db", BACKOFF).failure().orElseThrow().message());
    assertEquals(List.of(IDLE, STARTING, RUNNING, BACKOFF, STARTING, RUNNING), s.updates.states("db"));
    assertEquals(0, s.updates.count("api", STOPPED), "waiting, never stopped for good");
  }

  @Test
  void removingADependencyStopsItsDependentsWhichWaitForANewRegistration() {
    long db = s.add(spec("db"));
    s.add(spec("api").dependsOn("db"));
    s.enterAll();
    CompletableFuture<Void> removal = s.remove(db);
    assertEquals(List.of("api"), s.askedToStop(), "its dependent first");
    s.end("api", null);
    assertEquals(List.of("db"), s.askedToStop());
    s.end("db", null);
    assertTrue(removal.isDone());
    assertEquals(WAITING, s.state("api"));
    assertEquals(List.of("db"), s.info("api").missingDependencies());

    s.add(spec("db"));
    assertEquals(List.of("db", "api"), s.enterAll());
    assertEquals(RUNNING, s.state("api"));
  }
}
