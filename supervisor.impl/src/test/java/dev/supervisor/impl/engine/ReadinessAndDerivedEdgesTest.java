package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.SupervisorException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A ready worker going back to not ready (ctx.notReady(), as a supervised DS component does when a
 * reference goes away), and dependencies changed on a live registration (derived dependencies that appear
 * when a provider is supervised).
 */
class ReadinessAndDerivedEdgesTest extends EngineTestBase {

  /** @return the registration id, which updateSpec takes */
  private long addWithId(ServiceSpec.Builder spec) {
    return engine.add(spec.build(), WorkerSource.of(Workers.untilStopped()), "test", Escalator.NONE);
  }

  @Test
  void notReadyTakesDependentsDownWithoutCountingAndReadyBringsThemBack() throws Exception {
    Workers.Explicit store = new Workers.Explicit();
    add(spec("store").readiness(Readiness.EXPLICIT), store);
    add(spec("api").dependsOn("store"), Workers.untilStopped());
    store.entered.await();
    store.context.ready();
    recorder.await("api", RUNNING);

    int before = recorder.transitions().size();
    store.context.notReady();
    recorder.await("api", WAITING, 2); // the first WAITING was before store was ready
    engine.sync();

    List<String> after = recorder.transitions().subList(before, recorder.transitions().size());
    assertEquals(List.of("store:STARTING", "api:STOPPING", "api:WAITING"), after);
    ServiceInfo info = engine.info("store").orElseThrow();
    assertEquals(0, info.failureCount());
    assertEquals(0, info.restartCount());
    assertEquals(1, info.startCount(), "the same run: no new start");

    store.context.ready();
    recorder.await("api", RUNNING, 2);
    assertEquals(RUNNING, engine.info("store").orElseThrow().state());
    assertEquals(1, engine.info("store").orElseThrow().startCount());
  }

  @Test
  void notReadyBeforeReadyOrWithAutoReadinessDoesNothing() throws Exception {
    Workers.Explicit explicit = new Workers.Explicit();
    add(spec("explicit").readiness(Readiness.EXPLICIT), explicit);
    explicit.entered.await();
    recorder.await("explicit", State.STARTING);
    explicit.context.notReady();
    engine.sync();
    assertEquals(State.STARTING, engine.info("explicit").orElseThrow().state());
    assertEquals(List.of(State.IDLE, State.STARTING), recorder.states("explicit"));

    Workers.Explicit auto = new Workers.Explicit();
    add(spec("auto"), auto);
    auto.entered.await();
    recorder.await("auto", RUNNING);
    auto.context.notReady();
    engine.sync();
    assertEquals(RUNNING, engine.info("auto").orElseThrow().state());
  }

  /** Issue 13: under AUTO, ready() then notReady() left the service STARTING with no ready timer. */
  @Test
  void notReadyAfterReadyWithAutoReadinessDoesNothing() throws Exception {
    Workers.Explicit auto = new Workers.Explicit();
    add(spec("auto"), auto);
    auto.entered.await();
    recorder.await("auto", RUNNING);
    auto.context.ready();
    auto.context.notReady();
    engine.sync();
    assertEquals(RUNNING, engine.info("auto").orElseThrow().state());
    assertEquals(List.of(State.IDLE, State.STARTING, State.RUNNING), recorder.states("auto"));
  }

  /** Issue 13: a zero timeout timed out even for a RUNNING service. */
  @Test
  void awaitReadyWithAZeroTimeoutAnswersForARunningService() throws Exception {
    add(spec("up"), Workers.untilStopped());
    recorder.await("up", RUNNING);
    engine.sync();
    assertEquals(RUNNING, engine.awaitReady("up", Duration.ZERO).state());
  }

  @Test
  void aDerivedDependencyOnARunningServiceLeavesARunningWorkerAloneAndShowsApart() {
    add(spec("config"), Workers.untilStopped());
    add(spec("store"), Workers.untilStopped());
    long api = addWithId(spec("api").dependsOn("config"));
    recorder.await("api", RUNNING);
    recorder.await("store", RUNNING);

    engine.updateSpec(api, spec("api").dependsOn("config").derivedDependsOn(Set.of("store")).build());
    ServiceInfo info = engine.info("api").orElseThrow();
    assertEquals(RUNNING, info.state(), "its new dependency runs: the worker is not disturbed");
    assertEquals(1, info.startCount());
    assertEquals(List.of("config", "store"), info.dependencies());
    assertEquals(List.of("config"), info.spec().dependsOn());
    assertEquals(List.of("store"), info.spec().derivedDependsOn());
    assertEquals(List.of("api"), engine.info("store").orElseThrow().dependents());

    int before = recorder.transitions().size();
    engine.stop("store");
    recorder.await("store", State.STOPPED);
    List<String> after = recorder.transitions().subList(before, recorder.transitions().size());
    assertEquals(List.of("api:STOPPING", "api:WAITING", "store:STOPPING", "store:STOPPED"), after,
        "the derived edge orders the stop: dependent first");
  }

  @Test
  void aLiveServiceWhoseNewDependencyIsNotRunningStopsAndWaitsForIt() {
    long api = addWithId(spec("api"));
    recorder.await("api", RUNNING);

    engine.updateSpec(api, spec("api").derivedDependsOn(Set.of("store")).build());
    recorder.await("api", WAITING);
    assertEquals(List.of("store"), engine.info("api").orElseThrow().missingDependencies());
    assertEquals(0, engine.info("api").orElseThrow().failureCount(), "not a failure");

    // The dependency can start although its dependent was live when the edge appeared, and the dependent follows.
    add(spec("store").autoStart(false), Workers.untilStopped());
    engine.start("store");
    recorder.await("api", RUNNING, 2);
    List<String> all = recorder.transitions();
    assertTrue(all.indexOf("store:RUNNING") < all.lastIndexOf("api:STARTING"), all.toString());
  }

  @Test
  void droppingTheOnlyMissingDependencyStartsAWaitingService() {
    long app = addWithId(spec("app").derivedDependsOn(Set.of("gone")));
    recorder.await("app", WAITING);
    engine.updateSpec(app, spec("app").build());
    recorder.await("app", RUNNING);
  }

  @Test
  void aDependencyChangeThatWouldCloseACycleIsRefusedAndChangesNothing() {
    add(spec("a").dependsOn("b"), Workers.untilStopped());
    long b = addWithId(spec("b"));
    recorder.await("a", RUNNING);

    SupervisorException error = assertThrows(SupervisorException.class,
        () -> engine.updateSpec(b, spec("b").derivedDependsOn(Set.of("a")).build()));
    assertEquals(SupervisorException.Kind.CIRCULAR_DEPENDENCY, error.kind());
    assertEquals(List.of(), engine.info("b").orElseThrow().dependencies());
    assertEquals(List.of("b"), engine.info("a").orElseThrow().dependencies());
    assertEquals(RUNNING, engine.info("b").orElseThrow().state());
  }

  @Test
  void aServiceCannotDeriveADependencyOnItself() {
    SupervisorException error = assertThrows(SupervisorException.class,
        () -> spec("self").derivedDependsOn(Set.of("self")).build());
    assertEquals(SupervisorException.Kind.DEPENDS_ON_ITSELF, error.kind());
    assertTrue(error.getMessage().contains("'self'"), error.getMessage());
  }
}
