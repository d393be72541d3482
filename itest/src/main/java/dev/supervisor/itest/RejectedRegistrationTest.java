package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Recorder;
import dev.supervisor.itest.workers.Recorder.Kind;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * A registration with a bad {@code supervisor.*} property is rejected on its own, with a message that names
 * the service, the property and the value; every other worker carries on.
 */
class RejectedRegistrationTest {

  private final Supervisors supervisors = new Supervisors();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private final List<StatusUpdate> updates = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() {
    SupervisorListener listener = updates::add;
    registrations.add(Osgi.context().registerService(SupervisorListener.class, listener, null));
  }

  @AfterEach
  void close() {
    registrations.forEach(ServiceRegistration::unregister);
    supervisors.close();
  }

  @Test
  void unknownRestartPolicyIsRejected() {
    assertRejected("rejected.restart", ServiceSpec.RESTART, "SOMETIMES");
  }

  @Test
  void unparsableDurationIsRejected() {
    assertRejected("rejected.delay", ServiceSpec.RESTART_DELAY, "-5s");
  }

  @Test
  void negativeDurationIsRejected() {
    assertRejected("rejected.negative", ServiceSpec.RESTART_DELAY, "PT-5S");
  }

  @Test
  void missingNameIsRejected() {
    ServiceRegistration<Supervised> nameless =
        Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.RESTART, "ALWAYS"));
    registrations.add(nameless);
    String serviceId = String.valueOf(nameless.getReference().getProperty(Constants.SERVICE_ID));

    ServiceInfo rejected = Await.until("a FAILED entry naming " + ServiceSpec.NAME,
        () -> supervisors.get().services().stream().filter(i -> i.state() == State.FAILED)
            .filter(i -> i.lastFailure().map(f -> f.message().contains(ServiceSpec.NAME)).orElse(false))
            .findFirst(),
        Optional::isPresent, seen -> supervisors.describeAll()).orElseThrow();
    Failure failure = rejected.lastFailure().orElseThrow();
    assertEquals(FailureKind.REJECTED, failure.kind(), failure::toString);
    assertTrue(failure.message().contains("null"), () -> "message must show the value: " + failure.message());
    // no name to show: the entry must still say which service it is (service id or registering bundle)
    String shown = rejected.name() + " " + rejected.owner() + " " + failure.message();
    assertTrue(shown.contains(serviceId) || rejected.owner().contains(Osgi.WORKERS_BUNDLE),
        () -> "rejected entry does not identify service " + serviceId + ": " + Supervisors.describe(rejected));
    Await.until("a FAILED status update naming " + ServiceSpec.NAME, () -> updates,
        seen -> seen.stream().anyMatch(u -> u.newState() == State.FAILED
            && u.failure().map(f -> f.message().contains(ServiceSpec.NAME)).orElse(false)));
    assertOthersUnharmed();

    nameless.unregister();
    registrations.remove(nameless);
    Await.until("the rejected nameless entry removed with its service",
        () -> supervisors.get().services().stream().filter(i -> i.id() == rejected.id())
            .collect(Collectors.toList()),
        List::isEmpty);
  }

  private void assertRejected(String name, String property, String value) {
    String good = name + ".neighbour";
    long mark = Recorder.mark();
    List<Long> startsBefore = startCounts();
    ServiceRegistration<Supervised> bad = Registrations.whiteboard(new BlockingWorker(),
        Map.of(ServiceSpec.NAME, name, property, value));
    registrations.add(bad);
    registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, good)));

    ServiceInfo info = supervisors.awaitState(name, State.FAILED);
    Failure failure = info.lastFailure().orElseThrow(() -> new AssertionError("no failure: "
        + Supervisors.describe(info)));
    assertEquals(FailureKind.REJECTED, failure.kind(), failure::toString);
    for (String part : List.of(name, property, value)) {
      assertTrue(failure.message().contains(part), () -> "message must name " + part + ": " + failure.message());
    }
    StatusUpdate update = Await.until("a FAILED status update for " + name, () -> updates.stream()
        .filter(u -> u.serviceName().equals(name) && u.newState() == State.FAILED).findFirst(),
        Optional::isPresent, seen -> "updates: " + updates).orElseThrow();
    assertEquals(Optional.of(FailureKind.REJECTED), update.failure().map(Failure::kind));
    assertEquals(List.of(), Recorder.names(mark, Kind.RUN, name), "a rejected worker must never run");

    // nothing else disturbed: a good registration beside it runs, the others were not restarted
    supervisors.awaitRunning(good);
    assertOthersUnharmed();
    assertEquals(startsBefore, startCounts(), "other workers restarted");

    bad.unregister();
    registrations.remove(bad);
    supervisors.awaitGone(name);
  }

  private void assertOthersUnharmed() {
    for (String other : StartupWorkers.all()) {
      assertEquals(State.RUNNING, supervisors.awaitState(other, State.RUNNING).state());
    }
  }

  /** Start counts of the worker bundle's startup workers (the chain and the DS singleton). */
  private List<Long> startCounts() {
    return List.of(StartupWorkers.CHAIN_A, StartupWorkers.CHAIN_B, StartupWorkers.CHAIN_C, StartupWorkers.DS)
        .stream().map(n -> supervisors.awaitState(n, State.RUNNING).startCount()).collect(Collectors.toList());
  }
}
