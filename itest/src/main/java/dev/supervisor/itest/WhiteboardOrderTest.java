package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * A whiteboard registration does not wait for the supervisor's control thread (issue 15): the worker is added
 * after {@code registerService} returns. What follows a registration is still ordered after it: an
 * unregistration right after it removes it, and a refusal only the supervisor can make (a name taken, a
 * cycle) is shown as a rejected registration that its own unregistration removes.
 */
class WhiteboardOrderTest {

  private final Supervisors supervisors = new Supervisors();
  private final List<ServiceRegistration<Supervised>> registrations = new ArrayList<>();

  @AfterEach
  void close() {
    registrations.forEach(ServiceRegistration::unregister);
    supervisors.close();
  }

  @Test
  void anUnregistrationRightAfterTheRegistrationRemovesIt() {
    for (int i = 0; i < 200; i++) {
      String name = "order.brief." + i;
      ServiceRegistration<Supervised> brief = Registrations.whiteboard(new BlockingWorker(),
          Map.of(ServiceSpec.NAME, name));
      brief.unregister(); // blocks until the supervisor has removed it: no wait needed afterwards
      assertEquals(Optional.empty(), supervisors.info(name).map(Supervisors::describe), name + " left behind");
    }
  }

  @Test
  void aTakenNameIsShownRejectedUnderItsOwnRegistrationAndGoesWithIt() {
    ServiceInfo holder = supervisors.awaitState(register("order.taken", Map.of()), State.RUNNING);
    ServiceRegistration<Supervised> clash = Registrations.whiteboard(new BlockingWorker(),
        Map.of(ServiceSpec.NAME, "order.taken"));

    ServiceInfo rejected = awaitRejected("a rejected registration asking for 'order.taken'",
        info -> info.name().startsWith("rejected#"));
    String message = rejected.lastFailure().orElseThrow().message();
    for (String part : List.of("'order.taken'", ServiceSpec.NAME, "\"order.taken\"", "already supervised")) {
      assertTrue(message.contains(part), () -> "the message must name " + part + ": " + message);
    }

    clash.unregister();
    assertTrue(supervisors.get().services().stream().noneMatch(info -> info.id() == rejected.id()),
        "the rejected registration goes with its service");
    ServiceInfo after = supervisors.info("order.taken").orElseThrow();
    assertEquals(holder.id(), after.id(), "the holder of the name is the same registration");
    assertEquals(State.RUNNING, after.state());
    assertEquals(holder.startCount(), after.startCount(), "the holder was not restarted");
  }

  @Test
  void aCycleIsShownRejectedNamingTheCycleAndGoesWithItsService() {
    supervisors.awaitState(register("order.cycle.a", Map.of(ServiceSpec.DEPENDS_ON, "order.cycle.b")),
        State.WAITING);
    ServiceRegistration<Supervised> b = Registrations.whiteboard(new BlockingWorker(),
        Map.of(ServiceSpec.NAME, "order.cycle.b", ServiceSpec.DEPENDS_ON, "order.cycle.a"));

    ServiceInfo rejected = awaitRejected("order.cycle.b rejected", info -> info.name().equals("order.cycle.b"));
    String message = rejected.lastFailure().orElseThrow().message();
    for (String part : List.of("'order.cycle.b'", ServiceSpec.DEPENDS_ON, "order.cycle.b -> order.cycle.a")) {
      assertTrue(message.contains(part), () -> "the message must name " + part + ": " + message);
    }
    assertEquals(State.WAITING, supervisors.info("order.cycle.a").orElseThrow().state());

    b.unregister();
    assertEquals(Optional.empty(), supervisors.info("order.cycle.b").map(Supervisors::describe));
  }

  private String register(String name, Map<String, Object> more) {
    Map<String, Object> properties = new HashMap<>(more);
    properties.put(ServiceSpec.NAME, name);
    registrations.add(Registrations.whiteboard(new BlockingWorker(), properties));
    return name;
  }

  private ServiceInfo awaitRejected(String what, Predicate<ServiceInfo> which) {
    ServiceInfo rejected = Await.until(what, () -> supervisors.get().services().stream()
        .filter(info -> info.state() == State.FAILED).filter(which).findFirst(), Optional::isPresent,
        seen -> supervisors.describeAll()).orElseThrow();
    Failure failure = rejected.lastFailure().orElseThrow();
    assertEquals(FailureKind.REJECTED, failure.kind(), failure::toString);
    assertEquals(Osgi.WORKERS_BUNDLE, rejected.owner().substring(0, rejected.owner().indexOf(' ')),
        "the registering bundle owns it");
    return rejected;
  }
}
