package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorListener;
import java.io.InputStream;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * {@code supervisor.escalate=REFRESH_BUNDLE} in a real Felix: the worker of the {@code itest.escalation} bundle
 * fails on every run; once its restarts are used up the supervisor refreshes its bundle (the framework stops and
 * starts it, and the worker is registered anew), and when the new registration uses up its restarts too, it
 * goes FAILED. The bundle is embedded in this test bundle and installed only for this test, so no other test
 * sees its worker. A worker of the system bundle is never refreshed: it goes FAILED, and the log says why.
 */
class BundleEscalationTest {

  /**
   * The worker's names (whiteboard, and added through the Supervisor service: the supervisor escalates a name
   * once), its limit, and the location ending that has it added through the Supervisor service, as
   * {@code itest.escalation}'s activator has them (not imported: that bundle exports nothing).
   */
  private static final String NAME = "escalation.refresh";
  private static final String API_NAME = "escalation.refresh.api";
  private static final int RUNS_PER_REGISTRATION = 2 + 1;
  private static final String API_LOCATION_SUFFIX = ":api";
  private static final String ESCALATED = "dev.supervisor.service.escalated";
  private static final String FAILED = "dev.supervisor.service.failed";

  private final Supervisors supervisors = new Supervisors();
  private final BundleContext context = Osgi.context();
  private final List<StatusUpdate> updates = new CopyOnWriteArrayList<>();
  private final SupervisorListener listener = update -> {
    if (update.serviceName().startsWith("escalation.")) {
      updates.add(update);
    }
  };
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final LogListener logListener = (LogEntry entry) -> logged.add(entry.getMessage());
  private LogReaderService logReader;
  /** Events of the escalation bundle, by type. */
  private final Map<Integer, AtomicInteger> bundleEvents = new ConcurrentHashMap<>();
  private final BundleListener bundleListener = event -> {
    if ("itest.escalation".equals(event.getBundle().getSymbolicName())) {
      bundleEvents.computeIfAbsent(event.getType(), type -> new AtomicInteger()).incrementAndGet();
    }
  };
  private JmxClient jmx;
  private Bundle bundle;
  /** The name of the worker the installed bundle supervises. */
  private String worker;

  @BeforeEach
  void listen() throws Exception {
    jmx = new JmxClient();
    supervisors.get().addListener(listener);
    context.addBundleListener(bundleListener);
    ServiceTracker<LogReaderService, LogReaderService> tracker =
        new ServiceTracker<>(context, LogReaderService.class, null);
    tracker.open();
    logReader = tracker.waitForService(Await.TIMEOUT.toMillis());
    tracker.close();
    logReader.addLogListener(logListener);
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      if (bundle != null) {
        bundle.uninstall(); // stops it first: its worker goes
        supervisors.awaitGone(worker);
      }
    } finally {
      logReader.removeLogListener(logListener);
      context.removeBundleListener(bundleListener);
      supervisors.get().removeListener(listener);
      supervisors.close();
      jmx.close();
    }
  }

  @Test
  void aWhiteboardWorkerHasItsBundleRefreshedOnceThenGoesFailed() throws Exception {
    refreshedOnceThenFailed("itest-escalation:whiteboard", NAME);
  }

  @Test
  void aWorkerAddedThroughTheSupervisorServiceHasItsBundleRefreshedOnceThenGoesFailed() throws Exception {
    refreshedOnceThenFailed("itest-escalation" + API_LOCATION_SUFFIX, API_NAME);
  }

  /**
   * @param location where to install the escalation bundle from: its ending tells the bundle how to add its worker
   * @param name the worker's name in that case
   */
  private void refreshedOnceThenFailed(String location, String name) throws Exception {
    List<Notification> fromSupervisor = jmx.listen(JmxClient.SUPERVISOR);
    try (InputStream jar = getClass().getResourceAsStream("/bundles/itest.escalation.jar")) {
      assertTrue(jar != null, "the test bundle embeds bundles/itest.escalation.jar");
      bundle = context.installBundle(location, jar);
    }
    worker = name;
    bundle.start();

    ServiceInfo failed = supervisors.awaitState(name, State.FAILED);
    assertEquals(1, failed.bundleRefreshes(), () -> Supervisors.describe(failed));
    assertEquals(RUNS_PER_REGISTRATION, failed.startCount(), "the refreshed bundle's registration ran afresh");
    assertEquals(FailureKind.PANIC, failed.lastFailure().orElseThrow().kind());
    assertTrue(failed.owner().startsWith("itest.escalation ["), failed.owner());

    // Refreshed exactly once: started twice (by this test, then by the refresh), one stop and one unresolve
    // (only a refresh unresolves an installed bundle). Bundle events arrive asynchronously, in order; once the
    // service is FAILED no second refresh can come.
    Await.until("the second start of itest.escalation", () -> count(BundleEvent.STARTED), count -> count >= 2,
        count -> "bundle events by type " + bundleEvents + ", bundle " + Osgi.describe(bundle) + ", updates "
            + describe(updates) + ", log " + logged.stream().filter(line -> line.contains(name) || line.contains(
                "itest.escalation")).collect(Collectors.toList()));
    assertEquals(1, count(BundleEvent.UNRESOLVED), bundleEvents::toString);
    assertEquals(1, count(BundleEvent.STOPPED), bundleEvents::toString);
    assertEquals(2, count(BundleEvent.STARTED), bundleEvents::toString);
    assertEquals(Bundle.ACTIVE, bundle.getState());

    // The status updates: one STOPPED update starts the escalation, of the first registration; FAILED is the
    // second registration's, without one.
    Await.until("the FAILED update of " + name, () -> updates,
        seen -> seen.stream().anyMatch(u -> u.newState() == State.FAILED), BundleEscalationTest::describe);
    List<StatusUpdate> escalations = updates.stream().filter(u -> u.serviceName().equals(name))
        .filter(u -> u.escalation().isPresent()).collect(Collectors.toList());
    assertEquals(1, escalations.size(), () -> describe(updates));
    StatusUpdate escalation = escalations.get(0);
    assertEquals(Escalation.REFRESH_BUNDLE, escalation.escalation().orElseThrow());
    assertEquals(State.STOPPED, escalation.newState());
    assertEquals(FailureKind.PANIC, escalation.failure().orElseThrow().kind());
    StatusUpdate failure = updates.stream().filter(u -> u.newState() == State.FAILED).findFirst().orElseThrow();
    assertNotEquals(escalation.serviceId(), failure.serviceId(), () -> describe(updates));
    assertEquals(failed.id(), failure.serviceId());
    assertTrue(updates.indexOf(escalation) < updates.indexOf(failure), () -> describe(updates));

    // Over a real remote JMX connector: the count, and the notifications of the supervisor MBean (the service
    // MBean of the first registration went away with the refresh).
    ObjectName mbean = jmx.awaitService(name);
    jmx.awaitState(mbean, "FAILED");
    assertEquals(1L, jmx.longAttribute(mbean, "BundleRefreshes"));
    assertEquals("REFRESH_BUNDLE", JmxClient.map(jmx.attribute(mbean, "Spec")).get("supervisor.escalate"));
    Await.until("the supervisor MBean's " + FAILED + " notification of " + name,
        () -> ofService(fromSupervisor, FAILED, name), seen -> !seen.isEmpty(), seen -> JmxClient.describe(fromSupervisor)
            .toString());
    List<Notification> escalated = ofService(fromSupervisor, ESCALATED, name);
    assertEquals(1, escalated.size(), () -> JmxClient.describe(fromSupervisor).toString());
    CompositeData data = (CompositeData) escalated.get(0).getUserData();
    assertEquals("STOPPED", data.get("state"));
    assertEquals("PANIC", data.get("kind"));
    assertTrue(escalated.get(0).getMessage().contains("REFRESH_BUNDLE"), escalated.get(0).getMessage());
    assertTrue(fromSupervisor.indexOf(escalated.get(0)) < fromSupervisor.indexOf(ofService(fromSupervisor, FAILED, name)
        .get(0)), () -> JmxClient.describe(fromSupervisor).toString());
  }

  @Test
  void aWorkerOfTheSystemBundleIsNotRefreshedButFailsAndTheLogSaysWhy() {
    String name = "escalation.system";
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(ServiceSpec.NAME, name);
    properties.put(ServiceSpec.MAX_RESTARTS, 1);
    properties.put(ServiceSpec.RESTART_DELAY, "PT0.01S");
    properties.put(ServiceSpec.ESCALATE, "REFRESH_BUNDLE");
    Supervised alwaysFails = ctx -> {
      throw new IllegalStateException("fails on purpose");
    };
    // Registered under the system bundle's context, so the system bundle is the one an escalation would refresh.
    BundleContext system = context.getBundle(Constants.SYSTEM_BUNDLE_ID).getBundleContext();
    ServiceRegistration<Supervised> registration = system.registerService(Supervised.class, alwaysFails,
        properties);
    try {
      ServiceInfo failed = supervisors.awaitState(name, State.FAILED);
      assertEquals(0, failed.bundleRefreshes(), "a refused refresh is not counted");
      assertEquals(2, failed.startCount(), "the same registration: no refresh replaced it");
      String line = Await.until("the log line about the refused refresh", () -> logged.stream()
              .filter(message -> message.contains("'" + name + "' FAILED")).findFirst(),
          java.util.Optional::isPresent, seen -> "log so far: " + logged).orElseThrow();
      assertTrue(line.contains("cannot be refreshed") && line.contains("system bundle"), line);
      Await.until("the FAILED update of " + name, () -> updates, seen -> seen.stream()
          .anyMatch(u -> u.serviceName().equals(name) && u.newState() == State.FAILED), BundleEscalationTest::describe);
      List<StatusUpdate> own = updates.stream().filter(u -> u.serviceName().equals(name)).collect(Collectors.toList());
      StatusUpdate escalation = own.stream().filter(u -> u.escalation().isPresent()).findFirst().orElseThrow();
      assertEquals(State.STOPPED, escalation.newState());
      assertEquals(State.FAILED, own.get(own.indexOf(escalation) + 1).newState(), () -> describe(own));
      assertEquals(Bundle.ACTIVE, context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState());
    } finally {
      registration.unregister();
      supervisors.awaitGone(name);
    }
  }

  private int count(int bundleEventType) {
    AtomicInteger count = bundleEvents.get(bundleEventType);
    return count == null ? 0 : count.get();
  }

  private static List<Notification> ofService(List<Notification> notifications, String type, String name) {
    return notifications.stream().filter(n -> n.getType().equals(type))
        .filter(n -> name.equals(((CompositeData) n.getUserData()).get("service"))).collect(Collectors.toList());
  }

  private static String describe(List<StatusUpdate> updates) {
    return updates.stream().map(u -> u.serviceName() + "#" + u.serviceId() + "." + u.sequence() + " " + u.newState()
        + u.escalation().map(e -> " escalation " + e).orElse("")).collect(Collectors.joining(", ", "[", "]"));
  }
}
