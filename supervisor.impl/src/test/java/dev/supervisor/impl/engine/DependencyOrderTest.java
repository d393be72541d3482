package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STARTING;
import static dev.supervisor.api.State.STOPPED;
import static dev.supervisor.api.State.STOPPING;
import static dev.supervisor.api.State.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DependencyOrderTest extends EngineTestBase {

  private int indexOf(String name, State state) {
    List<String> all = recorder.transitions();
    int index = all.indexOf(name + ":" + state);
    assertTrue(index >= 0, name + " never entered " + state + ": " + all);
    return index;
  }

  @Test
  void startsInDependencyOrderWhateverTheOrderOfAdding() {
    add(spec("c").dependsOn("b"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    add(spec("a"), Workers.untilStopped());
    recorder.await("c", RUNNING);

    assertTrue(indexOf("a", RUNNING) < indexOf("b", STARTING), recorder.transitions().toString());
    assertTrue(indexOf("b", RUNNING) < indexOf("c", STARTING), recorder.transitions().toString());
    assertEquals(List.of(State.IDLE, WAITING, STARTING, RUNNING), recorder.states("c"));
  }

  @Test
  void waitsForAMissingDependencyAndNamesIt() {
    add(spec("app").dependsOn("db", "cache"), Workers.untilStopped());
    add(spec("cache"), Workers.untilStopped());
    recorder.await("cache", RUNNING);
    engine.sync();

    ServiceInfo app = engine.info("app").orElseThrow();
    assertEquals(WAITING, app.state());
    assertEquals(List.of("db"), app.missingDependencies());
    assertEquals(List.of("app"), engine.info("cache").orElseThrow().dependents());

    add(spec("db"), Workers.untilStopped());
    recorder.await("app", RUNNING);
    assertEquals(List.of(), engine.info("app").orElseThrow().missingDependencies());
  }

  @Test
  void independentServicesDoNotWaitForEachOther() throws Exception {
    Workers.Explicit slow = new Workers.Explicit();
    add(spec("slow").readiness(Readiness.EXPLICIT), slow);
    add(spec("quick"), Workers.untilStopped());
    recorder.await("quick", RUNNING);
    slow.entered.await();
    assertEquals(STARTING, engine.info("slow").orElseThrow().state(), "slow has not called ready()");
    slow.context.ready();
    recorder.await("slow", RUNNING);
  }

  @Test
  void stopAllStopsDependentsFirst() {
    add(spec("a"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    add(spec("c").dependsOn("b"), Workers.untilStopped());
    add(spec("d").dependsOn("a"), Workers.untilStopped());
    recorder.await("c", RUNNING);
    recorder.await("d", RUNNING);

    engine.stopAll();
    recorder.await("a", STOPPED);

    assertTrue(indexOf("c", STOPPED) < indexOf("b", STOPPING), recorder.transitions().toString());
    assertTrue(indexOf("b", STOPPED) < indexOf("a", STOPPING), recorder.transitions().toString());
    assertTrue(indexOf("d", STOPPED) < indexOf("a", STOPPING), recorder.transitions().toString());
  }

  @Test
  void aCycleIsRejectedAndNamedWhileTheRestRuns() {
    add(spec("a").dependsOn("c"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    add(spec("x"), Workers.untilStopped());

    SupervisorException error = assertThrows(SupervisorException.class,
        () -> add(spec("c").dependsOn("b"), Workers.untilStopped()));

    assertEquals(SupervisorException.Kind.CIRCULAR_DEPENDENCY, error.kind());
    assertEquals(List.of("c", "b", "a", "c"), error.cycle());
    assertTrue(error.getMessage().contains("c -> b -> a -> c"), error.getMessage());
    assertTrue(engine.info("c").isEmpty());
    recorder.await("x", RUNNING);
  }

  @Test
  void selfAndDuplicateDependenciesAndDuplicateNamesAreRefused() {
    SupervisorException self = assertThrows(SupervisorException.class, () -> spec("s").dependsOn("s").build());
    assertEquals(SupervisorException.Kind.DEPENDS_ON_ITSELF, self.kind());
    SupervisorException duplicate = assertThrows(SupervisorException.class,
        () -> spec("s").dependsOn("a", "a").build());
    assertEquals(SupervisorException.Kind.DUPLICATE_DEPENDENCY, duplicate.kind());
    assertTrue(duplicate.getMessage().contains("'a'"), duplicate.getMessage());

    add(spec("one"), Workers.untilStopped());
    SupervisorException twice = assertThrows(SupervisorException.class,
        () -> add(spec("one"), Workers.untilStopped()));
    assertEquals(SupervisorException.Kind.ALREADY_EXISTS, twice.kind());
  }

  @Test
  void aDependencyThatLeavesRunningTakesItsDependentsDownAndBack() {
    add(spec("db"), Workers.untilStopped());
    add(spec("api").dependsOn("db"), Workers.untilStopped());
    add(spec("web").dependsOn("api"), Workers.untilStopped());
    recorder.await("web", RUNNING);

    int before = recorder.transitions().size();
    engine.restart("db");
    recorder.await("web", RUNNING, 2);

    List<String> all = recorder.transitions().subList(before, recorder.transitions().size());
    assertEquals(List.of("web:STOPPING", "web:WAITING", "api:STOPPING", "api:WAITING", "db:STOPPING"),
        all.subList(0, 5), "dependents stop first, deepest first");
    assertTrue(all.indexOf("db:RUNNING") < all.indexOf("api:STARTING"), all.toString());
    assertTrue(all.indexOf("api:RUNNING") < all.indexOf("web:STARTING"), all.toString());
  }

  @Test
  void aCrashedDependencyStopsItsDependentsUntilItRunsAgain() {
    java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CountDownLatch crash = new java.util.concurrent.CountDownLatch(1);
    add(spec("db").restartDelay(ms(500)), ctx -> {
      if (runs.incrementAndGet() == 1) {
        crash.await();
        throw new IllegalStateException("connection lost");
      }
      ctx.awaitStop();
    });
    add(spec("api").dependsOn("db"), Workers.untilStopped());
    recorder.await("api", RUNNING);

    crash.countDown();
    recorder.await("db", State.BACKOFF);
    recorder.await("api", WAITING);
    engine.sync();
    assertEquals(WAITING, engine.info("api").orElseThrow().state());

    advance(ms(500));
    recorder.await("api", RUNNING, 2);
    StatusUpdate backoff = recorder.await("db", State.BACKOFF);
    assertEquals("connection lost", backoff.failure().orElseThrow().message());
  }
}
