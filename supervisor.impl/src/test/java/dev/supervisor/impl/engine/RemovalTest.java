package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STOPPING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Removal by name, of everything, and of several registrations at once, as the engine used on its own does
 * them (its one caller owns everything; ownership between bundles is the OSGi adapter's: ClientSupervisorTest).
 */
class RemovalTest extends EngineTestBase {

  @Test
  void removeByNameStopsDependentsFirstAndIsIdempotent() {
    add(spec("db"), Workers.untilStopped());
    add(spec("app").dependsOn("db"), Workers.untilStopped());
    recorder.await("app", RUNNING);
    engine.remove("db");
    assertTrue(engine.info("db").isEmpty(), "gone as soon as remove returns");
    recorder.awaitRemoval("db"); // listeners hear of it after its last update
    List<String> seen = recorder.transitions();
    assertTrue(seen.indexOf("app:STOPPED") < seen.indexOf("db:STOPPING"), seen::toString);
    engine.remove("db"); // gone already: nothing happens
    engine.remove("never.was");
    engine.sync();
    assertTrue(engine.info("app").isPresent(), "only the named service is removed");
  }

  @Test
  void removeAllRemovesEveryServiceDependentsFirst() {
    add(spec("db"), Workers.untilStopped());
    add(spec("cache").dependsOn("db"), Workers.untilStopped());
    add(spec("app").dependsOn("cache"), Workers.untilStopped());
    recorder.await("app", RUNNING);
    engine.removeAll();
    assertEquals(List.of(), engine.services());
    List.of("app", "cache", "db").forEach(recorder::awaitRemoval);
    List<String> seen = recorder.transitions();
    assertTrue(seen.indexOf("app:STOPPED") < seen.indexOf("cache:STOPPING"), seen::toString);
    assertTrue(seen.indexOf("cache:STOPPED") < seen.indexOf("db:STOPPING"), seen::toString);
    engine.removeAll(); // nothing left: nothing happens
  }

  @Test
  void aStopFailureStillRemovesEveryOneAndIsReportedOnce() throws Exception {
    Workers.Stubborn stubborn = new Workers.Stubborn();
    add(spec("clean"), Workers.untilStopped());
    add(spec("stubborn").stopTimeout(Duration.ofSeconds(10)), stubborn);
    recorder.await("clean", RUNNING);
    assertTrue(stubborn.inside.await(20, TimeUnit.SECONDS)); // a stop asked earlier would skip run: no timeout
    CompletableFuture<Void> removal = CompletableFuture.runAsync(engine::removeAll);
    recorder.await("stubborn", STOPPING);
    // clean's run ends once its stop() call is over, on another thread: before the clock moves, not after.
    recorder.awaitRemoval("clean");
    advance(Duration.ofSeconds(10));
    SupervisorException unclean = stopFailureOf(removal);
    assertEquals("stubborn", unclean.serviceName().orElse(null), unclean.getMessage());
    assertEquals(List.of(), engine.services());
    stubborn.release.countDown();
  }

  @Test
  void twoStopFailuresAreNamedInOneError() throws Exception {
    Workers.Stubborn first = new Workers.Stubborn();
    Workers.Stubborn second = new Workers.Stubborn();
    add(spec("stubborn.1").stopTimeout(Duration.ofSeconds(10)), first);
    add(spec("stubborn.2").stopTimeout(Duration.ofSeconds(10)), second);
    // Each inside run before the removal: a stop asked earlier would skip run, and no timeout would come.
    assertTrue(first.inside.await(20, TimeUnit.SECONDS));
    assertTrue(second.inside.await(20, TimeUnit.SECONDS));
    CompletableFuture<Void> removal = CompletableFuture.runAsync(engine::removeAll);
    recorder.await("stubborn.1", STOPPING);
    recorder.await("stubborn.2", STOPPING);
    advance(Duration.ofSeconds(10));
    SupervisorException unclean = stopFailureOf(removal);
    assertTrue(unclean.getMessage().startsWith("2 services were removed, but did not stop cleanly"),
        unclean.getMessage());
    assertTrue(unclean.getMessage().contains("'stubborn.1'") && unclean.getMessage().contains("'stubborn.2'"),
        unclean.getMessage());
    first.release.countDown();
    second.release.countDown();
  }

  private static SupervisorException stopFailureOf(CompletableFuture<Void> removal) {
    ExecutionException failed = assertThrows(ExecutionException.class, () -> removal.get(20, TimeUnit.SECONDS));
    SupervisorException unclean = (SupervisorException) failed.getCause();
    assertEquals(Kind.STOP_FAILURE, unclean.kind(), unclean::getMessage);
    return unclean;
  }

  @Test
  void removeEachSkipsWhatIsGoneAlready() {
    long id = engine.idOf(add(spec("once"), Workers.untilStopped()));
    engine.removeEach(List.of(id));
    engine.removeEach(List.of(id, 12345L));
    assertTrue(engine.info("once").isEmpty());
  }

  @Test
  void badArgumentsAreRefusedByKind() {
    assertEquals(Kind.INVALID_ARGUMENT,
        assertThrows(SupervisorException.class, () -> engine.remove((String) null)).kind());
    assertEquals(Kind.INVALID_ARGUMENT, assertThrows(SupervisorException.class, () -> engine.start(null)).kind());
    assertEquals(Kind.INVALID_ARGUMENT,
        assertThrows(SupervisorException.class, () -> engine.resetGroup(null)).kind());
    SupervisorException noGroup = assertThrows(SupervisorException.class, () -> engine.restartGroup("no/such"));
    assertEquals(Kind.UNKNOWN_GROUP, noGroup.kind());
    assertTrue(noGroup.getMessage().contains("'no/such'"), noGroup.getMessage());
    assertEquals(Kind.UNKNOWN_GROUP, assertThrows(SupervisorException.class, () -> engine.stopGroup("no")).kind());
  }

  @Test
  void afterCloseRemovalIsRefusedAsEveryControlCallIs() {
    add(spec("w"), Workers.untilStopped());
    engine.close();
    for (Runnable call : List.<Runnable>of(() -> engine.remove("w"), () -> engine.remove("never.was"),
        engine::removeAll, () -> engine.removeEach(List.of()))) {
      assertEquals(Kind.SUPERVISOR_STOPPED, assertThrows(SupervisorException.class, call::run).kind());
    }
  }
}
