package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.IDLE;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STARTING;
import static dev.supervisor.api.State.WAITING;
import static dev.supervisor.impl.engine.Stepper.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.SupervisorException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A ready worker going back to not ready (ctx.notReady(), as a supervised DS component does when a
 * reference goes away), and dependencies changed on a live registration (derived dependencies that appear
 * when a provider is supervised), stepped.
 */
class ReadinessAndDerivedEdgesTest {
  private final Stepper s = new Stepper();

  @Test
  void notReadyTakesDependentsDownWithoutCountingAndReadyBringsThemBack() {
    s.add(spec("store").readiness(Readiness.EXPLICIT));
    s.add(spec("api").dependsOn("store"));
    s.enter("store");
    s.ready("store");
    s.enter("api");

    int before = s.updates.mark();
    s.notReady("store");
    assertEquals(List.of("api"), s.askedToStop());
    s.returnAllStopped();
    assertEquals(List.of("store:STARTING", "api:STOPPING", "api:WAITING"), s.updates.transitionsSince(before));
    ServiceInfo info = s.info("store");
    assertEquals(0, info.failureCount());
    assertEquals(0, info.restartCount());
    assertEquals(1, info.startCount(), "the same run: no new start");
    assertTrue(s.runs.launched.isEmpty());

    s.ready("store");
    s.enter("api");
    assertEquals(RUNNING, s.state("store"));
    assertEquals(RUNNING, s.state("api"));
    assertEquals(1, s.info("store").startCount());
  }

  @Test
  void notReadyBeforeReadyOrWithAutoReadinessDoesNothing() {
    s.add(spec("explicit").readiness(Readiness.EXPLICIT));
    Run explicit = s.enter("explicit");
    s.notReady("explicit");
    s.inbox.post(new Message.NotReady(explicit)); // as if the context had let it through
    s.settle();
    assertEquals(STARTING, s.state("explicit"));
    assertEquals(List.of(IDLE, STARTING), s.updates.states("explicit"));

    s.add(spec("auto"));
    Run auto = s.enter("auto");
    s.notReady("auto");
    s.inbox.post(new Message.NotReady(auto));
    s.settle();
    assertEquals(RUNNING, s.state("auto"));
    assertEquals(List.of(IDLE, STARTING, RUNNING), s.updates.states("auto"));
  }

  /** Issue 13: under AUTO, ready() then notReady() left the service STARTING with no ready timer. */
  @Test
  void notReadyAfterReadyWithAutoReadinessDoesNothing() {
    s.add(spec("auto"));
    s.enter("auto");
    s.ready("auto");
    s.notReady("auto");
    assertEquals(RUNNING, s.state("auto"));
    assertEquals(List.of(IDLE, STARTING, RUNNING), s.updates.states("auto"));
  }

  @Test
  void aDerivedDependencyOnARunningServiceLeavesARunningWorkerAloneAndShowsApart() {
    s.add(spec("config"));
    s.add(spec("store"));
    long api = s.add(spec("api").dependsOn("config"));
    s.enterAll();

    s.updateSpec(api, spec("api").dependsOn("config").derivedDependsOn(Set.of("store")));
    ServiceInfo info = s.info("api");
    assertEquals(RUNNING, info.state(), "its new dependency runs: the worker is not disturbed");
    assertEquals(List.of(), s.askedToStop());
    assertEquals(1, info.startCount());
    assertEquals(List.of("config", "store"), info.dependencies());
    assertEquals(List.of("config"), info.spec().dependsOn());
    assertEquals(List.of("store"), info.spec().derivedDependsOn());
    assertEquals(List.of("api"), s.info("store").dependents());

    int before = s.updates.mark();
    s.stop("store");
    assertEquals(List.of("api"), s.askedToStop(), "the derived edge orders the stop: dependent first");
    assertEquals(List.of("api", "store"), s.returnAllStopped());
    assertEquals(List.of("api:STOPPING", "api:WAITING", "store:STOPPING", "store:STOPPED"),
        s.updates.transitionsSince(before));
  }

  @Test
  void aLiveServiceWhoseNewDependencyIsNotRunningStopsAndWaitsForIt() {
    long api = s.add(spec("api"));
    s.enter("api");

    s.updateSpec(api, spec("api").derivedDependsOn(Set.of("store")));
    assertEquals(List.of("api"), s.askedToStop());
    s.returnAllStopped();
    assertEquals(WAITING, s.state("api"));
    assertEquals(List.of("store"), s.info("api").missingDependencies());
    assertEquals(0, s.info("api").failureCount(), "not a failure");

    // The dependency can start although its dependent was live when the edge appeared, and the dependent follows.
    s.add(spec("store").autoStart(false));
    s.start("store");
    assertEquals(List.of("store", "api"), s.enterAll());
    assertEquals(RUNNING, s.state("api"));
    assertTrue(s.updates.indexOf("store", RUNNING) < s.updates.transitions().lastIndexOf("api:STARTING"));
  }

  @Test
  void droppingTheOnlyMissingDependencyStartsAWaitingService() {
    long app = s.add(spec("app").derivedDependsOn(Set.of("gone")));
    assertEquals(WAITING, s.state("app"));
    s.updateSpec(app, spec("app"));
    s.enter("app");
    assertEquals(List.of(IDLE, WAITING, STARTING, RUNNING), s.updates.states("app"));
  }

  @Test
  void aDependencyChangeThatWouldCloseACycleIsRefusedAndChangesNothing() {
    s.add(spec("a").dependsOn("b"));
    long b = s.add(spec("b"));
    s.enterAll();

    SupervisorException error = assertThrows(SupervisorException.class,
        () -> s.updateSpec(b, spec("b").derivedDependsOn(Set.of("a"))));
    assertEquals(SupervisorException.Kind.CIRCULAR_DEPENDENCY, error.kind());
    assertEquals(List.of(), s.info("b").dependencies());
    assertEquals(List.of("b"), s.info("a").dependencies());
    assertEquals(RUNNING, s.state("b"));
    assertEquals(List.of(), s.askedToStop());
  }

  @Test
  void derivedDependenciesThatWouldCloseACycleAreLeftOutAndTheServiceIsAdded() {
    s.add(spec("a").dependsOn("b"));
    s.add(spec("b").derivedDependsOn(Set.of("a")));
    s.enterAll();

    assertEquals(List.of(), s.info("b").spec().derivedDependsOn(), "a help, not a declaration: left out");
    assertEquals(List.of("b"), s.info("a").dependencies());
    assertEquals(RUNNING, s.state("b"));
    assertEquals(RUNNING, s.state("a"));
  }

  @Test
  void aDeclaredCycleIsRefusedWithTheCycleAsWrittenWhateverWasDerived() {
    s.add(spec("a").dependsOn("b"));
    SupervisorException error = assertThrows(SupervisorException.class,
        () -> s.add(spec("b").dependsOn("a").derivedDependsOn(Set.of("c"))));

    assertEquals(SupervisorException.Kind.CIRCULAR_DEPENDENCY, error.kind());
    assertEquals(List.of("b", "a", "b"), error.cycle());
    assertEquals(List.of("b"), s.info("a").dependencies(), "nothing changed");
  }

  @Test
  void aServiceCannotDeriveADependencyOnItself() {
    SupervisorException error = assertThrows(SupervisorException.class,
        () -> spec("self").derivedDependsOn(Set.of("self")).build());
    assertEquals(SupervisorException.Kind.DEPENDS_ON_ITSELF, error.kind());
    assertTrue(error.getMessage().contains("'self'"), error.getMessage());
  }
}
