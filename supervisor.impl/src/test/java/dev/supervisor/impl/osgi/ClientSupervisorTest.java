package dev.supervisor.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.EngineLog;
import dev.supervisor.impl.engine.Escalator;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.SystemScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bundle's view of the supervisor keeps exactly the tokens of what that bundle still has supervised. */
class ClientSupervisorTest {
  private final SystemScheduler scheduler = new SystemScheduler();
  private final Engine engine = new Engine(scheduler, Jitter.NONE, EngineLog.QUIET);

  @AfterEach
  void close() {
    engine.close();
    scheduler.shutdown();
  }

  /** Issue 13: token.remove() went around the view, which kept one dead token per add and remove. */
  @Test
  void aTokenRemovedByItselfLeavesTheBundlesSet() {
    ClientSupervisor client = new ClientSupervisor(engine, "bundle a", Escalator.NONE);
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
    ClientSupervisor client = new ClientSupervisor(engine, "bundle a", Escalator.NONE);
    client.add(ServiceSpec.builder("w1").build(), RunContext::awaitStop);
    client.add(ServiceSpec.builder("w2").build(), RunContext::awaitStop);
    client.release();
    assertTrue(engine.info("w1").isEmpty() && engine.info("w2").isEmpty(), engine.services().toString());
    assertEquals(0, client.tokenCount());
  }

  @Test
  void anotherBundlesViewRemovesItAndTheOwnersSetForgetsIt() {
    ClientSupervisor a = new ClientSupervisor(engine, "bundle a", Escalator.NONE);
    ClientSupervisor b = new ClientSupervisor(engine, "bundle b", Escalator.NONE);
    ServiceToken token = a.add(ServiceSpec.builder("w").build(), RunContext::awaitStop);
    b.remove(token);
    assertEquals(0, a.tokenCount());
    assertTrue(engine.info("w").isEmpty());
    a.release(); // nothing left to remove, nothing thrown
  }

  @Test
  void aForeignTokenIsRefusedClearly() {
    ClientSupervisor client = new ClientSupervisor(engine, "bundle a", Escalator.NONE);
    ServiceToken foreign = new ServiceToken() {
      @Override public String name() { return "x"; }

      @Override public void remove() {}
    };
    SupervisorException refused = assertThrows(SupervisorException.class, () -> client.remove(foreign));
    assertEquals(SupervisorException.Kind.WRONG_SUPERVISOR, refused.kind());
  }
}
