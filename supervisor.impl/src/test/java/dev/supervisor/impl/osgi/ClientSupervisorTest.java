package dev.supervisor.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.EngineLog;
import dev.supervisor.impl.engine.Escalator;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.SystemScheduler;
import dev.supervisor.impl.engine.TestThreads;
import dev.supervisor.impl.engine.WorkerSource;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bundle's view of the supervisor keeps exactly the tokens of what that bundle still has supervised, and
 * removes by name only what the bundle added; the operators' view removes what any bundle added, and no view
 * removes an OSGi service registration.
 */
class ClientSupervisorTest {
  private final SystemScheduler scheduler = new SystemScheduler();
  private final Engine engine = TestThreads.engine(scheduler, Jitter.NONE, EngineLog.QUIET);
  private final AddedServices added = new AddedServices(engine);

  @AfterEach
  void close() {
    engine.close();
    scheduler.shutdown();
  }

  /** Issue 13: token.remove() went around the view, which kept one dead token per add and remove. */
  @Test
  void aTokenRemovedByItselfLeavesTheBundlesSet() {
    ClientSupervisor client = new ClientSupervisor(engine, "bundle a", Escalator.NONE, added);
    for (int i = 0; i < 3; i++) {
      ServiceToken token = client.add(ServiceSpec.builder("w").build(), RunContext::awaitStop);
      assertEquals(1, client.tokenCount());
      token.remove();
      assertEquals(0, client.tokenCount(), "round " + i);
      assertTrue(engine.info("w").isEmpty());
    }
  }

  @Test
  void releasingTheViewRemovesWhatTheBundleAdded() {
    ClientSupervisor client = new ClientSupervisor(engine, "bundle a", Escalator.NONE, added);
    client.add(ServiceSpec.builder("w1").build(), RunContext::awaitStop);
    client.add(ServiceSpec.builder("w2").build(), RunContext::awaitStop);
    client.release();
    assertTrue(engine.info("w1").isEmpty() && engine.info("w2").isEmpty(), engine.services().toString());
    assertEquals(0, client.tokenCount());
  }

  @Test
  void anotherBundlesViewRemovesItAndTheOwnersSetForgetsIt() {
    ClientSupervisor a = new ClientSupervisor(engine, "bundle a", Escalator.NONE, added);
    ClientSupervisor b = new ClientSupervisor(engine, "bundle b", Escalator.NONE, added);
    ServiceToken token = a.add(ServiceSpec.builder("w").build(), RunContext::awaitStop);
    b.remove(token);
    assertEquals(0, a.tokenCount());
    assertTrue(engine.info("w").isEmpty());
    a.release(); // nothing left to remove, nothing thrown
  }

  @Test
  void aForeignTokenIsRefusedClearly() {
    ClientSupervisor client = new ClientSupervisor(engine, "bundle a", Escalator.NONE, added);
    ServiceToken foreign = new ServiceToken() {
      @Override public String name() { return "x"; }

      @Override public void remove() {}
    };
    SupervisorException refused = assertThrows(SupervisorException.class, () -> client.remove(foreign));
    assertEquals(SupervisorException.Kind.WRONG_SUPERVISOR, refused.kind());
  }

  @Test
  void aBundleRemovesItsOwnServiceByNameAndAgainIsNothing() throws Exception {
    ClientSupervisor a = new ClientSupervisor(engine, "bundle a", Escalator.NONE, added);
    a.add(ServiceSpec.builder("db").build(), RunContext::awaitStop);
    a.add(ServiceSpec.builder("app").dependsOn("db").build(), RunContext::awaitStop);
    a.awaitReady("app", Duration.ofSeconds(20));
    a.remove("db");
    assertTrue(engine.info("db").isEmpty());
    assertEquals(1, a.tokenCount(), "the view forgets what it removed by name");
    assertEquals(1, added.size());
    a.remove("db");
    a.remove("never.was");
    assertEquals(State.WAITING, engine.info("app").orElseThrow().state(), "its dependent stays, waiting");
  }

  @Test
  void anotherBundlesServiceIsRefusedNamingItsOwnerAndNotDisturbed() throws Exception {
    ClientSupervisor a = new ClientSupervisor(engine, "bundle a [1]", Escalator.NONE, added);
    ClientSupervisor b = new ClientSupervisor(engine, "bundle b [2]", Escalator.NONE, added);
    a.add(ServiceSpec.builder("w").build(), RunContext::awaitStop);
    ServiceInfo before = a.awaitReady("w", Duration.ofSeconds(20));
    SupervisorException refused = assertThrows(SupervisorException.class, () -> b.remove("w"));
    assertEquals(SupervisorException.Kind.NOT_OWNER, refused.kind());
    assertEquals("w", refused.serviceName().orElse(null));
    assertTrue(refused.getMessage().contains("bundle a [1] added it, not bundle b [2]"), refused.getMessage());
    assertRunningAsBefore(before);
    assertEquals(1, a.tokenCount());
  }

  @Test
  void anOsgiServiceRegistrationIsNobodysToRemoveByName() throws Exception {
    ClientSupervisor a = new ClientSupervisor(engine, "bundle a [1]", Escalator.NONE, added);
    AdminSupervisor admin = new AdminSupervisor(added);
    // What the OSGi adapter does for a whiteboard service: an engine registration no view added.
    engine.add(ServiceSpec.builder("board").build(), WorkerSource.of(RunContext::awaitStop), "com.acme.w [7]",
        dev.supervisor.impl.engine.Escalator.NONE);
    ServiceInfo before = engine.awaitReady("board", Duration.ofSeconds(20));
    for (Runnable call : List.<Runnable>of(() -> a.remove("board"), () -> admin.remove("board"))) {
      SupervisorException refused = assertThrows(SupervisorException.class, call::run);
      assertEquals(SupervisorException.Kind.NOT_OWNER, refused.kind());
      assertTrue(refused.getMessage().contains("OSGi service (or component) by bundle com.acme.w [7]")
          && refused.getMessage().contains("unregister it there") && refused.getMessage().contains("stop"),
          refused.getMessage());
    }
    assertRunningAsBefore(before);
    a.removeAll();
    assertTrue(engine.info("board").isPresent(), "removeAll leaves OSGi service registrations alone");
  }

  @Test
  void removeAllRemovesWhatTheBundleAddedAndNothingElse() throws Exception {
    ClientSupervisor a = new ClientSupervisor(engine, "bundle a", Escalator.NONE, added);
    ClientSupervisor b = new ClientSupervisor(engine, "bundle b", Escalator.NONE, added);
    a.add(ServiceSpec.builder("a1").build(), RunContext::awaitStop);
    a.add(ServiceSpec.builder("a2").dependsOn("a1").build(), RunContext::awaitStop);
    b.add(ServiceSpec.builder("b1").dependsOn("a1").build(), RunContext::awaitStop);
    b.awaitReady("b1", Duration.ofSeconds(20));
    a.removeAll();
    assertTrue(engine.info("a1").isEmpty() && engine.info("a2").isEmpty(), engine.services().toString());
    assertEquals(State.WAITING, engine.info("b1").orElseThrow().state(), "b's service waits for its dependency");
    assertEquals(0, a.tokenCount());
    assertEquals(1, added.size());
    a.removeAll();
  }

  @Test
  void theOperatorsViewRemovesAnyBundlesServiceAndTheAddersSetForgetsIt() throws Exception {
    ClientSupervisor a = new ClientSupervisor(engine, "bundle a", Escalator.NONE, added);
    AdminSupervisor admin = new AdminSupervisor(added);
    ServiceToken token = a.add(ServiceSpec.builder("w").build(), RunContext::awaitStop);
    a.awaitReady("w", Duration.ofSeconds(20));
    admin.remove("w");
    assertTrue(engine.info("w").isEmpty());
    assertEquals(0, a.tokenCount());
    assertEquals(0, added.size());
    admin.remove("w");
    SupervisorException gone = assertThrows(SupervisorException.class, token::remove);
    assertEquals(SupervisorException.Kind.UNKNOWN_SERVICE, gone.kind(), "the token works once, as before");
  }

  @Test
  void aNullNameIsAnInvalidArgument() {
    ClientSupervisor a = new ClientSupervisor(engine, "bundle a", Escalator.NONE, added);
    AdminSupervisor admin = new AdminSupervisor(added);
    for (Runnable call : List.<Runnable>of(() -> a.remove((String) null), () -> admin.remove(null))) {
      SupervisorException refused = assertThrows(SupervisorException.class, call::run);
      assertEquals(SupervisorException.Kind.INVALID_ARGUMENT, refused.kind());
    }
  }

  private void assertRunningAsBefore(ServiceInfo before) {
    ServiceInfo after = engine.info(before.name()).orElseThrow();
    assertEquals(State.RUNNING, after.state());
    assertEquals(before.id(), after.id());
    assertEquals(before.startCount(), after.startCount());
  }
}
