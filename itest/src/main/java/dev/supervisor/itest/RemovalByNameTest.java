package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorAdmin;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.StartupWorkers;
import java.io.IOException;
import java.util.List;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Removal by name (issue 14, section 4) in Felix with SCR and the built bundles: a bundle removes by name
 * what it added through the Supervisor service, and nothing of another bundle's; an operator removes over
 * JMX (a real remote connector) what any bundle added, and no one removes a whiteboard registration by name.
 * Every refusal leaves the service RUNNING on the same run.
 */
class RemovalByNameTest {

  private static JmxClient jmx;

  private final Supervisors supervisors = new Supervisors();
  private final ServiceTracker<SupervisorAdmin, SupervisorAdmin> admins =
      new ServiceTracker<>(Osgi.context(), SupervisorAdmin.class, null);

  @BeforeAll
  static void connect() throws IOException {
    jmx = new JmxClient();
  }

  @AfterAll
  static void disconnect() throws IOException {
    jmx.close();
  }

  @AfterEach
  void close() {
    supervisors.get().removeAll(); // whatever a failed test left of what it added
    admins.close();
    supervisors.close();
  }

  @Test
  void aBundleRemovesItsOwnServicesByNameAndAll() {
    Supervisor supervisor = supervisors.get();
    supervisor.add(ServiceSpec.builder("rm.db").build(), new BlockingWorker());
    supervisor.add(ServiceSpec.builder("rm.app").dependsOn("rm.db").build(), new BlockingWorker());
    supervisor.add(ServiceSpec.builder("rm.other").build(), new BlockingWorker());
    supervisors.awaitRunning("rm.app", "rm.other");

    supervisor.remove("rm.db");
    assertTrue(supervisor.info("rm.db").isEmpty(), "gone when remove returns");
    supervisors.awaitState("rm.app", State.WAITING); // its dependent stopped first, and waits for it
    supervisor.remove("rm.db"); // idempotent
    supervisor.remove("rm.never.was");

    supervisor.removeAll();
    assertTrue(supervisor.info("rm.app").isEmpty() && supervisor.info("rm.other").isEmpty(),
        supervisors::describeAll);
    supervisor.removeAll(); // nothing left: nothing happens
    // what other bundles registered or added is not the test bundle's to remove
    supervisors.awaitRunning(StartupWorkers.all().toArray(String[]::new));
  }

  @Test
  void removalByNameIsRefusedForAnotherBundlesService() {
    Supervisor supervisor = supervisors.get();
    // workers.api is added through the Supervisor service by a DS component of bundle itest.workers
    ServiceInfo before = supervisors.awaitState(StartupWorkers.API, State.RUNNING);
    SupervisorException refused = assertThrows(SupervisorException.class,
        () -> supervisor.remove(StartupWorkers.API));
    assertEquals(Kind.NOT_OWNER, refused.kind(), refused::getMessage);
    String workers = ownerOf(Osgi.bundle(Osgi.WORKERS_BUNDLE));
    assertEquals(before.owner(), workers);
    assertTrue(refused.getMessage().contains("'" + StartupWorkers.API + "'")
        && refused.getMessage().contains("bundle " + workers + " added it"), refused::getMessage);
    assertUndisturbed(before);
  }

  @Test
  void jmxRemoveIsRefusedForAWhiteboardRegistration() {
    ServiceInfo before = supervisors.awaitState(StartupWorkers.CHAIN_A, State.RUNNING);
    ObjectName mbean = jmx.awaitService(StartupWorkers.CHAIN_A);
    RuntimeMBeanException refused = assertThrows(RuntimeMBeanException.class,
        () -> jmx.connection().invoke(mbean, "remove", new Object[0], new String[0]));
    JmxClient.assertNoProductClass(refused);
    Throwable cause = refused.getCause();
    assertInstanceOf(IllegalArgumentException.class, cause, () -> "cause: " + cause);
    String workers = ownerOf(Osgi.bundle(Osgi.WORKERS_BUNDLE));
    for (String part : List.of("'" + StartupWorkers.CHAIN_A + "'", "by bundle " + workers + ", which it belongs to",
        "unregister it there", "stop", "[NOT_OWNER]")) {
      assertTrue(cause.getMessage().contains(part), () -> part + " not in: " + cause.getMessage());
    }
    assertUndisturbed(before);
    assertEquals("RUNNING", jmx.attribute(mbean, "State"));
  }

  @Test
  void jmxRemoveRemovesWhatABundleAddedAndItsMBeanGoes() {
    ServiceToken token = supervisors.get().add(ServiceSpec.builder("rm.jmx").build(), new BlockingWorker());
    ObjectName mbean = jmx.awaitService("rm.jmx");
    jmx.awaitState(mbean, "RUNNING");
    jmx.invoke(mbean, "remove");
    assertTrue(supervisors.info("rm.jmx").isEmpty(), "gone when the operation returns");
    jmx.awaitNoService("rm.jmx");
    SupervisorException gone = assertThrows(SupervisorException.class, token::remove);
    assertEquals(Kind.UNKNOWN_SERVICE, gone.kind(), "the adder's token finds nothing left to remove");
  }

  @Test
  void theAdminServiceRemovesAnyBundlesAdditionButNoWhiteboardRegistration() {
    SupervisorAdmin admin = admin();
    supervisors.get().add(ServiceSpec.builder("rm.admin").build(), new BlockingWorker());
    supervisors.awaitRunning("rm.admin");
    admin.remove("rm.admin");
    assertTrue(supervisors.info("rm.admin").isEmpty());
    admin.remove("rm.admin"); // idempotent

    ServiceInfo before = supervisors.awaitState(StartupWorkers.CHAIN_B, State.RUNNING);
    SupervisorException refused = assertThrows(SupervisorException.class, () -> admin.remove(StartupWorkers.CHAIN_B));
    assertEquals(Kind.NOT_OWNER, refused.kind());
    assertUndisturbed(before);
  }

  private SupervisorAdmin admin() {
    admins.open();
    try {
      SupervisorAdmin admin = admins.waitForService(Await.TIMEOUT.toMillis());
      assertNotNull(admin, "no SupervisorAdmin service");
      return admin;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for SupervisorAdmin", e);
    }
  }

  /** Still RUNNING, the same registration, on the same run. */
  private void assertUndisturbed(ServiceInfo before) {
    ServiceInfo after = supervisors.info(before.name()).orElseThrow();
    assertEquals(State.RUNNING, after.state(), () -> Supervisors.describe(after));
    assertEquals(before.id(), after.id());
    assertEquals(before.startCount(), after.startCount(), () -> "restarted: " + Supervisors.describe(after));
  }

  /** @return the bundle as the supervisor shows an owner */
  private static String ownerOf(Bundle bundle) {
    return bundle.getSymbolicName() + " [" + bundle.getBundleId() + "]";
  }
}
