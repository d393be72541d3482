package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.FailureKind;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.itest.components.Control;
import dev.supervisor.itest.components.Gate;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Declarative Services components that the product did not start, supervised through Felix SCR's
 * ServiceComponentRuntime (bundle itest.components): a failed activation retried with backoff, what is and
 * is not a failure, and dependencies derived from DS references, as JMX shows them through a real connector.
 */
class ComponentSupervisionTest {
  private static final String COMPONENTS_BUNDLE = "itest.components";

  private final Supervisors supervisors = new Supervisors();
  private final List<StatusUpdate> updates = new CopyOnWriteArrayList<>();
  private final List<String> removals = new CopyOnWriteArrayList<>();
  private ServiceRegistration<SupervisorListener> listener;
  private ServiceTracker<ServiceComponentRuntime, ServiceComponentRuntime> scr;

  @BeforeEach
  void listen() {
    listener = Osgi.context().registerService(SupervisorListener.class, new SupervisorListener() {
      @Override
      public void statusChanged(StatusUpdate update) {
        updates.add(update);
      }

      @Override
      public void serviceRemoved(long serviceId, String name) {
        removals.add(name);
      }
    }, null);
    scr = new ServiceTracker<>(Osgi.context(), ServiceComponentRuntime.class, null);
    scr.open();
  }

  @AfterEach
  void stopWhatWasStarted() {
    for (String name : List.of("itest.reporter", "itest.reportingWorker", "itest.gated", "itest.store", "itest.flaky")) {
      supervisors.info(name).filter(info -> info.state() != State.IDLE && info.state() != State.STOPPED)
          .ifPresent(info -> supervisors.get().stop(name));
    }
    listener.unregister();
    scr.close();
    supervisors.close();
  }

  @Test
  void aComponentWhoseActivateFailsTwiceIsRetriedWithBackoffAndEndsRunning() {
    awaitResting("itest.flaky");
    Control.FLAKY_FAILURES_LEFT.set(2);
    int activationsBefore = Control.FLAKY_ACTIVATIONS.get();
    ServiceInfo before = supervisors.info("itest.flaky").orElseThrow();

    supervisors.get().start("itest.flaky");
    ServiceInfo running = supervisors.awaitState("itest.flaky", State.RUNNING);
    awaitUpdate("itest.flaky", State.RUNNING);

    assertEquals(3, Control.FLAKY_ACTIVATIONS.get() - activationsBefore, "two failed activations, one good");
    assertEquals(2, running.failureCount() - before.failureCount(), Supervisors.describe(running));
    assertEquals(2, running.restartCount() - before.restartCount(), Supervisors.describe(running));
    assertEquals(3, running.startCount() - before.startCount(), Supervisors.describe(running));
    assertEquals(FailureKind.EXCEPTION, running.lastFailure().orElseThrow().kind());
    assertTrue(running.lastFailure().orElseThrow().message().contains("itest.flaky"),
        running.lastFailure().orElseThrow().message());
    assertTrue(active("itest.flaky"), "SCR shows the component ACTIVE");

    List<StatusUpdate> flaky = of("itest.flaky");
    assertEquals(List.of(State.STARTING, State.BACKOFF, State.STARTING, State.BACKOFF, State.STARTING, State.RUNNING),
        flaky.stream().map(StatusUpdate::newState).collect(Collectors.toList()));
    for (StatusUpdate update : flaky) {
      if (update.newState() == State.BACKOFF) {
        String message = update.failure().orElseThrow().message();
        assertTrue(message.startsWith("activation of component itest.flaky failed"), message);
      }
    }
    // Exponential backoff (jitter 0): each retry came at least its delay after the failure, 300 ms then 600 ms.
    // Lower bounds only, so a slow machine cannot break them.
    assertTrue(gap(flaky.get(1), flaky.get(2)).compareTo(Duration.ofMillis(300)) >= 0, flaky.toString());
    assertTrue(gap(flaky.get(3), flaky.get(4)).compareTo(Duration.ofMillis(600)) >= 0, flaky.toString());
  }

  private static Duration gap(StatusUpdate from, StatusUpdate to) {
    return Duration.between(from.time(), to.time());
  }

  @Test
  void stoppingTheComponentsBundleIsNotAFailure() throws Exception {
    Control.FLAKY_FAILURES_LEFT.set(0);
    awaitResting("itest.flaky");
    supervisors.get().start("itest.flaky");
    ServiceInfo running = supervisors.awaitState("itest.flaky", State.RUNNING);
    updates.clear();

    Bundle bundle = Osgi.bundle(COMPONENTS_BUNDLE);
    bundle.stop();
    try {
      supervisors.awaitGone("itest.flaky");
      // Listeners hear of the removal after every update of the service: once it is heard, all are in.
      Await.until("the removal of itest.flaky reaching listeners", () -> removals.contains("itest.flaky"),
          Boolean::booleanValue);
      List<State> states = of("itest.flaky").stream().map(StatusUpdate::newState).collect(Collectors.toList());
      assertFalse(states.contains(State.BACKOFF) || states.contains(State.FAILED), states.toString());
      assertTrue(of("itest.flaky").stream().allMatch(u -> u.failure().isEmpty()), of("itest.flaky").toString());
    } finally {
      bundle.start();
    }
    ServiceInfo again = supervisors.awaitState("itest.flaky", State.IDLE);
    assertEquals(0, again.failureCount(), "a new registration, nothing counted: " + Supervisors.describe(again));
    assertTrue(again.id() != running.id());
  }

  @Test
  void aDerivedEdgeOrdersStartUpAndJmxShowsItApartFromDeclaredOnes() throws Exception {
    awaitResting("itest.store");
    awaitResting("itest.reporter");
    ServiceInfo reporter = supervisors.info("itest.reporter").orElseThrow();
    assertEquals(List.of("itest.store"), reporter.spec().derivedDependsOn(), Supervisors.describe(reporter));
    assertEquals(List.of(), reporter.spec().dependsOn());

    // Started first, the consumer waits for its derived dependency instead of sitting unsatisfied in SCR.
    supervisors.get().start("itest.reporter");
    supervisors.awaitState("itest.reporter", State.WAITING);
    supervisors.get().start("itest.store");
    supervisors.awaitRunning("itest.store", "itest.reporter");
    awaitUpdate("itest.reporter", State.RUNNING);
    List<String> order = updates.stream().map(u -> u.serviceName() + ":" + u.newState()).collect(Collectors.toList());
    assertTrue(order.indexOf("itest.store:RUNNING") < order.indexOf("itest.reporter:STARTING"), order.toString());

    // A worker that is a DS component derives its edge too; it registers once the Store service exists.
    ServiceInfo worker = supervisors.awaitState("itest.reportingWorker", State.IDLE);
    assertEquals(List.of("itest.store"), worker.spec().derivedDependsOn());
    // A satisfying-condition target on supervisor.itest.store derives the same edge.
    assertEquals(List.of("itest.store"), supervisors.info("itest.conditioned").orElseThrow().spec().derivedDependsOn());
    assertEquals(List.of("itest.conditioned", "itest.reporter", "itest.reportingWorker"),
        supervisors.info("itest.store").orElseThrow().dependents());

    try (JmxClient jmx = new JmxClient()) {
      ObjectName mbean = jmx.awaitService("itest.reporter");
      assertArrayEquals(new String[] {"itest.store"}, (String[]) jmx.attribute(mbean, "DerivedDependencies"));
      assertArrayEquals(new String[0], (String[]) jmx.attribute(mbean, "DeclaredDependencies"));
      assertArrayEquals(new String[] {"itest.store"}, (String[]) jmx.attribute(mbean, "Dependencies"));
    }

    // Stopping the provider stops its dependents first, which then wait for it, as for declared edges.
    updates.clear();
    supervisors.get().stop("itest.store");
    supervisors.awaitState("itest.store", State.STOPPED);
    awaitUpdate("itest.store", State.STOPPED);
    order = updates.stream().map(u -> u.serviceName() + ":" + u.newState()).collect(Collectors.toList());
    assertEquals(List.of("itest.reporter:STOPPING", "itest.reporter:WAITING", "itest.store:STOPPING",
        "itest.store:STOPPED"), order);
    assertFalse(active("itest.reporter"), "the supervisor disabled the dependent before its dependency");
  }

  @Test
  void aComponentGatedOnAServiceThatIsNotRegisteredYetWaitsForItInsteadOfStarting() throws Exception {
    // The order registrations come back in after the supervisor bundle is updated: consumer first.
    ServiceInfo early = supervisors.awaitState("itest.early", State.WAITING);
    assertEquals(List.of("itest.late"), early.spec().derivedDependsOn(), Supervisors.describe(early));
    assertEquals(List.of("itest.late"), early.missingDependencies());
    assertEquals(0, early.startCount(), "never started before its dependency: " + Supervisors.describe(early));
    assertFalse(active("itest.early"));

    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(dev.supervisor.api.ServiceSpec.NAME, "itest.late");
    ServiceRegistration<dev.supervisor.api.Supervised> late = Osgi.context().registerService(
        dev.supervisor.api.Supervised.class, dev.supervisor.api.RunContext::awaitStop, properties);
    try {
      supervisors.awaitRunning("itest.late", "itest.early");
      awaitUpdate("itest.early", State.RUNNING);
      List<String> order = updates.stream().map(u -> u.serviceName() + ":" + u.newState()).collect(Collectors.toList());
      assertTrue(order.indexOf("itest.late:RUNNING") < order.indexOf("itest.early:STARTING"), order.toString());
      assertTrue(active("itest.early"), "SCR activated it once the condition was there");
    } finally {
      late.unregister();
    }
    ServiceInfo waiting = supervisors.awaitState("itest.early", State.WAITING);
    assertEquals(List.of("itest.late"), waiting.missingDependencies(), "it waits for the provider again");
    assertFalse(active("itest.early"), "the supervisor disabled it when its dependency went away");
  }

  @Test
  void aReferenceGoingAwayIsNotAFailureAndHandDisablingStopsWithoutCounting() {
    awaitResting("itest.gated");
    supervisors.get().start("itest.gated");
    supervisors.awaitState("itest.gated", State.STARTING);
    ServiceRegistration<Gate> gate = Osgi.context().registerService(Gate.class, new Gate() { }, null);
    supervisors.awaitState("itest.gated", State.RUNNING);

    gate.unregister();
    ServiceInfo unsatisfied = supervisors.awaitState("itest.gated", State.STARTING);
    assertEquals(0, unsatisfied.failureCount(), Supervisors.describe(unsatisfied));
    gate = Osgi.context().registerService(Gate.class, new Gate() { }, null);
    try {
      ServiceInfo back = supervisors.awaitState("itest.gated", State.RUNNING);
      assertEquals(unsatisfied.startCount(), back.startCount(), "the same run: " + Supervisors.describe(back));
      assertEquals(0, back.failureCount());

      // Disabled by hand in SCR: the service stops, not counted, and is not restarted behind the user's back.
      ComponentDescriptionDTO description = description("itest.gated");
      scr.getService().disableComponent(description).getValue();
      ServiceInfo stopped = supervisors.awaitState("itest.gated", State.STOPPED);
      assertEquals(0, stopped.failureCount(), Supervisors.describe(stopped));
      // Enabled by hand again: supervision resumes.
      scr.getService().enableComponent(description).getValue();
      supervisors.awaitState("itest.gated", State.RUNNING);
    } catch (Exception e) {
      throw new AssertionError(e);
    } finally {
      gate.unregister();
    }
  }

  @Test
  void aDeletedRequiredConfigurationIsNotAFailure() throws Exception {
    awaitResting("itest.configured");
    supervisors.get().start("itest.configured");
    supervisors.awaitState("itest.configured", State.STARTING);
    ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> admin =
        new ServiceTracker<>(Osgi.context(), ConfigurationAdmin.class, null);
    admin.open();
    try {
      Configuration configuration = admin.waitForService(Await.TIMEOUT.toMillis())
          .getConfiguration("itest.configured", "?");
      configuration.update(new Hashtable<>(java.util.Map.of("greeting", "hello")));
      ServiceInfo configured = supervisors.awaitState("itest.configured", State.RUNNING);
      configuration.delete();
      ServiceInfo unconfigured = supervisors.awaitState("itest.configured", State.STARTING);
      assertEquals(configured.failureCount(), unconfigured.failureCount(), Supervisors.describe(unconfigured));
      assertEquals(configured.startCount(), unconfigured.startCount(), "the same run, not a restart");
    } finally {
      admin.close();
      supervisors.get().stop("itest.configured");
    }
  }

  @Test
  void aComponentNamedInTheConfigurationIsSupervisedWithoutAnyPropertyOfItsOwn() throws Exception {
    assertTrue(supervisors.info("itest.plain").isEmpty());
    ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> admin =
        new ServiceTracker<>(Osgi.context(), ConfigurationAdmin.class, null);
    admin.open();
    Configuration configuration = admin.waitForService(Await.TIMEOUT.toMillis())
        .getConfiguration("dev.supervisor", "?");
    try {
      Hashtable<String, Object> properties = new Hashtable<>();
      properties.put("supervised.components", new String[] {"itest.plain"});
      configuration.update(properties);
      ServiceInfo plain = supervisors.awaitState("itest.plain", State.RUNNING);
      assertEquals("itest.components", plain.owner().substring(0, plain.owner().indexOf(' ')));
    } finally {
      configuration.delete();
      admin.close();
    }
    supervisors.awaitGone("itest.plain");
  }

  /** Waits until the service rests (IDLE at first, STOPPED after an earlier test stopped it). */
  private void awaitResting(String name) {
    Await.until(name + " IDLE or STOPPED", () -> supervisors.info(name),
        info -> info.isPresent() && (info.get().state() == State.IDLE || info.get().state() == State.STOPPED));
  }

  /** Updates reach listeners after the snapshot changes: wait for the one a check reads. */
  private void awaitUpdate(String name, State state) {
    Await.until(name + " " + state + " reaching listeners",
        () -> of(name).stream().anyMatch(u -> u.newState() == state), Boolean::booleanValue);
  }

  private List<StatusUpdate> of(String name) {
    return updates.stream().filter(u -> u.serviceName().equals(name)).collect(Collectors.toList());
  }

  private ComponentDescriptionDTO description(String component) {
    return Optional.ofNullable(scr.getService().getComponentDescriptionDTO(Osgi.bundle(COMPONENTS_BUNDLE), component))
        .orElseThrow(() -> new AssertionError("no component " + component));
  }

  private boolean active(String component) {
    return scr.getService().getComponentConfigurationDTOs(description(component)).stream()
        .anyMatch(c -> c.state == ComponentConfigurationDTO.ACTIVE);
  }
}
