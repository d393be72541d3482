package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.CrashOnDemandWorker;
import dev.supervisor.itest.workers.Gated;
import dev.supervisor.itest.workers.Registrations;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/**
 * Readiness as OSGi conditions in Felix with Felix SCR: while a worker is RUNNING the supervisor registers
 * {@code Condition.INSTANCE} with {@code osgi.condition.id=supervisor.<name>}, and the DS component of
 * {@code itest.workers} gated on {@code supervisor.itcond.gate} (its {@code osgi.ds.satisfying.condition.target}
 * property, no supervisor code) is active exactly while that worker runs.
 */
class ConditionsTest {
  private static final String CONDITION_ID = "supervisor." + Gated.WORKER;
  private static final String SUPERVISOR_COMPONENT = "dev.supervisor.impl.osgi.SupervisorComponent";

  private final Supervisors supervisors = new Supervisors();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    try {
      for (ServiceRegistration<?> registration : registrations) {
        try {
          registration.unregister();
        } catch (IllegalStateException alreadyGone) {
          // the test unregistered it itself
        }
      }
      supervisors.awaitGone(Gated.WORKER);
      awaitConditions(0);
      awaitGated(false);
    } finally {
      supervisors.close();
    }
  }

  @Test
  void aGatedComponentRunsExactlyWhileItsWorkerRuns() {
    assertEquals(List.of(), conditions(), "no worker, no condition");
    assertFalse(Gated.active(), "the gated component waits for its condition");
    assertEquals(ComponentConfigurationDTO.UNSATISFIED_REFERENCE, gatedState(),
        "SCR holds it back on its satisfying condition");
    int activations = Gated.activations();
    int deactivations = Gated.deactivations();

    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, Gated.WORKER));
    supervisors.awaitRunning(Gated.WORKER);
    awaitGated(true);
    assertEquals(activations + 1, Gated.activations());
    assertEquals(ComponentConfigurationDTO.ACTIVE, gatedState());

    ServiceReference<Condition> condition = awaitConditions(1).get(0);
    assertEquals(CONDITION_ID, condition.getProperty(Condition.CONDITION_ID));
    assertEquals(Gated.WORKER, condition.getProperty(ServiceSpec.NAME));
    assertEquals(Osgi.IMPL_BUNDLE, condition.getBundle().getSymbolicName(), "registered by the supervisor");
    assertEquals(List.of(Condition.class.getName()), List.of((String[]) condition.getProperty("objectClass")));
    Condition service = Osgi.context().getService(condition);
    try {
      assertSame(Condition.INSTANCE, service);
    } finally {
      Osgi.context().ungetService(condition);
    }

    // Supervisor.stop: the worker leaves RUNNING, the condition goes, SCR deactivates the component.
    supervisors.get().stop(Gated.WORKER);
    supervisors.awaitState(Gated.WORKER, State.STOPPED);
    awaitConditions(0);
    awaitGated(false);
    assertEquals(deactivations + 1, Gated.deactivations(), "deactivated once");

    // Started again: a new condition registration, and the component is activated a second time.
    supervisors.get().start(Gated.WORKER);
    supervisors.awaitRunning(Gated.WORKER);
    awaitGated(true);
    assertEquals(activations + 2, Gated.activations());
    assertNotEquals(condition.getProperty("service.id"), awaitConditions(1).get(0).getProperty("service.id"),
        "a new Condition service for the new run");
  }

  @Test
  void aCrashWithdrawsTheConditionUntilTheRestartedWorkerRunsAgain() {
    CrashOnDemandWorker worker = new CrashOnDemandWorker();
    register(worker, Map.of(ServiceSpec.NAME, Gated.WORKER, ServiceSpec.RESTART_DELAY, "PT0.05S",
        ServiceSpec.JITTER, 0.0));
    supervisors.awaitRunning(Gated.WORKER);
    awaitGated(true);
    int activations = Gated.activations();
    Object firstCondition = awaitConditions(1).get(0).getProperty("service.id");

    worker.crash();
    Await.until("the gated component deactivated and activated again after the crash",
        () -> Gated.activations(), count -> count == activations + 1 && Gated.active(),
        count -> count + " activations, " + Gated.deactivations() + " deactivations (before the crash: "
            + activations + ")");
    assertEquals(1, supervisors.awaitState(Gated.WORKER, State.RUNNING).failureCount());
    assertNotEquals(firstCondition, awaitConditions(1).get(0).getProperty("service.id"),
        "the condition was withdrawn in BACKOFF and registered anew");
  }

  @Test
  void unregisteringTheWorkerAndRegisteringTheNameAgainGivesAFreshCondition() {
    ServiceRegistration<?> first = register(new BlockingWorker(), Map.of(ServiceSpec.NAME, Gated.WORKER));
    supervisors.awaitRunning(Gated.WORKER);
    Object firstCondition = awaitConditions(1).get(0).getProperty("service.id");
    long firstId = supervisors.info(Gated.WORKER).orElseThrow().id();

    first.unregister();
    supervisors.awaitGone(Gated.WORKER);
    awaitConditions(0);
    awaitGated(false);

    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, Gated.WORKER));
    supervisors.awaitRunning(Gated.WORKER);
    assertNotEquals(firstId, supervisors.info(Gated.WORKER).orElseThrow().id(), "a new registration");
    awaitGated(true);
    assertNotEquals(firstCondition, awaitConditions(1).get(0).getProperty("service.id"));
  }

  @Test
  void deactivatingTheSupervisorWithdrawsEveryConditionItself() {
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, Gated.WORKER));
    supervisors.awaitRunning(Gated.WORKER);
    awaitGated(true);

    // The impl bundle stays ACTIVE: only the supervisor's own deactivate can take the condition away.
    Components.disable(Osgi.IMPL_BUNDLE, SUPERVISOR_COMPONENT);
    try {
      assertEquals(Bundle.ACTIVE, Osgi.bundle(Osgi.IMPL_BUNDLE).getState());
      assertEquals(List.of(), allSupervisorConditions(), "no condition outlives the supervisor");
      awaitGated(false);
    } finally {
      Components.enable(Osgi.IMPL_BUNDLE, SUPERVISOR_COMPONENT);
    }
    // the worker is still registered: the new supervisor runs it and puts its condition up again
    supervisors.awaitRunning(Gated.WORKER);
    awaitConditions(1);
    awaitGated(true);
  }

  // ---------------------------------------------------------------- helpers

  private ServiceRegistration<?> register(dev.supervisor.api.Supervised worker, Map<String, ?> properties) {
    ServiceRegistration<?> registration = Registrations.whiteboard(worker, properties);
    registrations.add(registration);
    return registration;
  }

  private static List<ServiceReference<Condition>> conditions() {
    return references("(" + Condition.CONDITION_ID + "=" + CONDITION_ID + ")");
  }

  /** Every condition the supervisor registers, whatever the worker. */
  private static List<ServiceReference<Condition>> allSupervisorConditions() {
    return references("(" + Condition.CONDITION_ID + "=supervisor.*)");
  }

  private static List<ServiceReference<Condition>> references(String filter) {
    try {
      return new ArrayList<>(Osgi.context().getServiceReferences(Condition.class, filter));
    } catch (InvalidSyntaxException e) {
      throw new AssertionError(filter, e);
    }
  }

  private static List<ServiceReference<Condition>> awaitConditions(int count) {
    return Await.until(count + " Condition service(s) " + CONDITION_ID, ConditionsTest::conditions,
        found -> found.size() == count, found -> found.stream().map(ConditionsTest::describe)
            .collect(Collectors.joining(", ", "[", "]")));
  }

  private static void awaitGated(boolean active) {
    Await.until("gated component " + (active ? "active" : "inactive"), Gated::active, now -> now == active,
        now -> now + " (" + Gated.activations() + " activations, " + Gated.deactivations() + " deactivations, SCR: "
            + gatedState() + ")");
  }

  /** @return the SCR state of the gated component's configuration, or -1 if SCR has none */
  private static int gatedState() {
    ServiceReference<ServiceComponentRuntime> reference =
        Osgi.context().getServiceReference(ServiceComponentRuntime.class);
    ServiceComponentRuntime scr = Osgi.context().getService(reference);
    try {
      Bundle workers = Osgi.bundle(Osgi.WORKERS_BUNDLE);
      return scr.getComponentDescriptionDTOs(workers).stream()
          .filter(description -> Gated.COMPONENT.equals(description.name))
          .flatMap(description -> scr.getComponentConfigurationDTOs(description).stream())
          .mapToInt(configuration -> configuration.state).findFirst().orElse(-1);
    } finally {
      Osgi.context().ungetService(reference);
    }
  }

  private static String describe(ServiceReference<?> reference) {
    return Arrays.stream(reference.getPropertyKeys()).map(key -> key + "=" + property(reference, key))
        .collect(Collectors.joining(" ", "{", "}"));
  }

  private static String property(ServiceReference<?> reference, String key) {
    Object value = reference.getProperty(key);
    return value instanceof String[] values ? Arrays.toString(values) : String.valueOf(value);
  }
}
