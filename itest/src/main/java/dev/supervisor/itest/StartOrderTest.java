package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Recorder;
import dev.supervisor.itest.workers.Recorder.Kind;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * A service starts only when its dependencies are RUNNING, whatever the order they were registered in. The
 * workers use readiness EXPLICIT and signal ready right after recording their start: with AUTO the
 * supervisor counts a worker ready as it calls {@code run}, so a dependent could record its start a moment
 * before its dependency does, and the recorded order would not be the supervisor's.
 */
class StartOrderTest {

  private final Supervisors supervisors = new Supervisors();
  private final List<ServiceRegistration<Supervised>> registrations = new ArrayList<>();

  @AfterEach
  void close() {
    registrations.forEach(ServiceRegistration::unregister);
    supervisors.close();
  }

  @Test
  void workerBundleChainStartedInDependencyOrder() {
    String a = StartupWorkers.CHAIN_A;
    String b = StartupWorkers.CHAIN_B;
    String c = StartupWorkers.CHAIN_C;
    supervisors.awaitRunning(a, b, c);
    // the bundle registered c, then b, then a; the first runs must still go a, b, c
    List<String> runs = Recorder.names(0, Kind.RUN, a, b, c);
    assertEquals(List.of(a, b, c), runs.subList(0, 3), () -> "all events: " + Recorder.since(0, a, b, c));
  }

  @Test
  void chainRegisteredBackwardsWaitsForItsDependencies() {
    String a = "order.a";
    String b = "order.b";
    String c = "order.c";
    long mark = Recorder.mark();

    register(c, b);
    assertEquals(List.of(b), supervisors.awaitState(c, State.WAITING).missingDependencies());
    register(b, a);
    assertEquals(List.of(a), supervisors.awaitState(b, State.WAITING).missingDependencies());
    assertEquals(State.WAITING, supervisors.info(c).orElseThrow().state(), "c waits for b to be RUNNING");
    assertEquals(List.of(), Recorder.names(mark, Kind.RUN, a, b, c), "nothing may run before a is there");

    register(a, null);
    supervisors.awaitRunning(a, b, c);
    assertEquals(List.of(a, b, c), Recorder.names(mark, Kind.RUN, a, b, c),
        () -> "all events: " + Recorder.since(mark, a, b, c));
    assertEquals(List.of(b), supervisors.info(a).orElseThrow().dependents());
    assertEquals(List.of(b), supervisors.info(c).orElseThrow().dependencies());
  }

  @Test
  void dependsOnAcceptsAnArrayOfNames() {
    String x = "array.x";
    String y = "array.y";
    String both = "array.both";
    long mark = Recorder.mark();
    registrations.add(Registrations.whiteboard(new BlockingWorker(),
        Map.of(ServiceSpec.NAME, both, ServiceSpec.DEPENDS_ON, new String[] {x, y},
            ServiceSpec.READINESS, "EXPLICIT")));
    register(x, null);
    supervisors.awaitState(both, State.WAITING);
    register(y, null);
    supervisors.awaitRunning(x, y, both);
    List<String> runs = Recorder.names(mark, Kind.RUN, x, y, both);
    assertEquals(both, runs.get(2), () -> "runs: " + runs);
    assertEquals(List.of(x, y), supervisors.info(both).orElseThrow().dependencies());
  }

  private void register(String name, String dependsOn) {
    // EXPLICIT: ready only once run has recorded RUN, so the recorded order is the supervisor's order
    Map<String, Object> properties = dependsOn == null
        ? Map.of(ServiceSpec.NAME, name, ServiceSpec.READINESS, "EXPLICIT")
        : Map.of(ServiceSpec.NAME, name, ServiceSpec.READINESS, "EXPLICIT", ServiceSpec.DEPENDS_ON, dependsOn);
    registrations.add(0, Registrations.whiteboard(new BlockingWorker(), properties)); // latest leaves first
  }
}
