package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Recorder;
import dev.supervisor.itest.workers.Recorder.Kind;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/** A worker joins in any of the three ways, and all three end up alike: supervised and RUNNING. */
class JoiningTest {

  private final Supervisors supervisors = new Supervisors();

  @AfterEach
  void close() {
    supervisors.close();
  }

  @Test
  void workerBundleJoinsInAllThreeWays() {
    supervisors.awaitRunning(StartupWorkers.all().toArray(String[]::new));

    // whiteboard and DS: owned by the worker bundle
    for (String name : List.of(StartupWorkers.CHAIN_A, StartupWorkers.DS, StartupWorkers.DS_PROTOTYPE)) {
      ServiceInfo info = supervisors.info(name).orElseThrow();
      assertTrue(info.owner().contains(Osgi.WORKERS_BUNDLE), () -> "owner of " + Supervisors.describe(info));
    }
    // every one of them really ran (with readiness AUTO, RUNNING may be reported a moment before run records)
    for (String name : StartupWorkers.all()) {
      Await.until(name + " entering run", () -> Recorder.names(0, Kind.RUN, name), runs -> !runs.isEmpty());
    }
    // the DS property type's properties were read: the DS worker has no jitter, as annotated
    assertEquals(0.0, supervisors.info(StartupWorkers.DS).orElseThrow().spec().jitter());
  }

  @Test
  void whiteboardServiceRegisteredAtRuntimeJoinsAndLeaves() {
    String name = "join.whiteboard";
    long mark = Recorder.mark();
    ServiceRegistration<Supervised> registration =
        Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, name));
    try {
      supervisors.awaitRunning(name);
      Await.until(name + " entering run once", () -> Recorder.names(mark, Kind.RUN, name),
          runs -> runs.equals(List.of(name)));
    } finally {
      registration.unregister();
    }
    supervisors.awaitGone(name);
    Await.until(name + " run ended after unregistering", () -> Recorder.names(mark, Kind.END, name),
        ended -> ended.equals(List.of(name)));
  }

  @Test
  void programmaticAddReturnsATokenThatRemoves() {
    String name = "join.api";
    long mark = Recorder.mark();
    ServiceToken token = supervisors.get().add(ServiceSpec.builder(name).build(), new BlockingWorker());
    assertEquals(name, token.name());
    supervisors.awaitRunning(name);
    // the API doc's example owner for programmatic adds is "api"; naming the calling bundle is better still
    String owner = supervisors.info(name).orElseThrow().owner();
    assertTrue(owner.equals("api") || owner.startsWith(Osgi.TEST_BUNDLE + " "), () -> "owner " + owner);

    token.remove(); // blocks until stopped
    assertEquals(List.of(name), Recorder.names(mark, Kind.END, name), "run ended when remove() returned");
    assertTrue(supervisors.info(name).isEmpty(), () -> "still supervised: " + supervisors.describeAll());
    SupervisorException again = assertThrows(SupervisorException.class, token::remove);
    assertEquals(SupervisorException.Kind.UNKNOWN_SERVICE, again.kind());
  }
}
