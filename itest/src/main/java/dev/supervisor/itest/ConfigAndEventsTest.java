package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Strategy;
import dev.supervisor.api.SupervisorGroup;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The supervisor with Felix Config Admin, Event Admin and Log Service beside it: PID dev.supervisor gives
 * live defaults (a running worker keeps running) to whiteboard and annotated workers alike, a bad value is
 * logged with the PID, the key and the value while the previous configuration stays; factory PID
 * dev.supervisor.group declares a group; every status update is posted on dev/supervisor/STATE. The exception to
 * "live" is supervisor.threads, read when the supervisor starts: these tests restart bundle supervisor.impl.
 */
class ConfigAndEventsTest {
  private static final String WORKER = "cfg.worker";

  private final Supervisors supervisors = new Supervisors();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private final List<Configuration> configurations = new ArrayList<>();
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final LogListener logListener = (LogEntry entry) -> logged.add(entry.getMessage());
  private LogReaderService logReader;

  @BeforeEach
  void listenToTheLog() throws InterruptedException {
    ServiceTracker<LogReaderService, LogReaderService> tracker =
        new ServiceTracker<>(Osgi.context(), LogReaderService.class, null);
    tracker.open();
    logReader = tracker.waitForService(Duration.ofSeconds(20).toMillis());
    tracker.close();
    logReader.addLogListener(logListener);
  }

  @AfterEach
  void cleanUp() throws IOException {
    logReader.removeLogListener(logListener);
    for (Configuration configuration : configurations) {
      configuration.delete();
    }
    if (supervisors.info(WORKER).isPresent()) {
      // The defaults must be the built-in ones again before the next test registers anything.
      Await.until("the built-in restart delay back in force for " + WORKER,
          () -> supervisors.info(WORKER).orElseThrow().spec().restartDelay(),
          delay -> delay.equals(Duration.ofMillis(100)));
    }
    registrations.forEach(ServiceRegistration::unregister);
    supervisors.close();
  }

  private ConfigurationAdmin configAdmin() {
    return Osgi.context().getService(Osgi.context().getServiceReference(ConfigurationAdmin.class));
  }

  private static Dictionary<String, Object> dictionary(Map<String, Object> values) {
    return new Hashtable<>(values);
  }

  /** @return the first message logged since the test began (or since {@code logged} was cleared) with {@code part} */
  private String awaitLogged(String what, String part) {
    return Await.until(what, () -> logged.stream().filter(message -> message.contains(part)).findFirst(),
        Optional::isPresent, seen -> "log so far: " + logged).orElseThrow();
  }

  /** Stops and starts the supervisor (so SCR activates it again), then waits until the test workers run. */
  private void restartTheSupervisor() throws BundleException {
    Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
    impl.stop();
    impl.start();
    supervisors.awaitRunning(StartupWorkers.all().toArray(String[]::new));
  }

  @Test
  void theSupervisorPidGivesLiveDefaultsAndABadValueIsLoggedWhileThePreviousOneStays() throws IOException {
    registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, WORKER)));
    supervisors.awaitRunning(WORKER);
    Configuration configuration = configAdmin().getConfiguration("dev.supervisor", "?");
    configurations.add(configuration);

    configuration.update(dictionary(Map.of(ServiceSpec.RESTART_DELAY, "PT3S", ServiceSpec.MAX_RESTARTS, 5)));
    ServiceInfo updated = Await.until("the worker's effective restart delay from the configuration",
        () -> supervisors.info(WORKER).orElseThrow(), info -> info.spec().restartDelay().equals(Duration.ofSeconds(3)),
        Supervisors::describe);
    assertEquals(5, updated.spec().maxRestarts());
    assertEquals(1, updated.startCount(), "the running worker was not disturbed");
    assertEquals("RUNNING", updated.state().name());

    configuration.update(dictionary(Map.of(ServiceSpec.RESTART_DELAY, "PT9S", ServiceSpec.JITTER, "lots")));
    String entry = Await.until("a log entry about the bad configuration", () -> logged.stream()
        .filter(message -> message.contains("dev.supervisor") && message.contains(ServiceSpec.JITTER)).findFirst(),
        java.util.Optional::isPresent, seen -> "log so far: " + logged).orElseThrow();
    assertTrue(entry.contains("lots") && entry.contains("previous configuration stays in force"), entry);
    assertEquals(Duration.ofSeconds(3), supervisors.info(WORKER).orElseThrow().spec().restartDelay(),
        "the bad configuration changed nothing");
  }

  /**
   * Issue 15: a bad {@code supervisor.threads} is logged with the PID, the key, the value and the accepted values, and
   * holds back no other key of the configuration: live, the threads stay as they are; when the supervisor starts
   * again, the default {@code PLATFORM} is used.
   */
  @Test
  void aBadThreadModeIsLoggedAndHoldsBackNoOtherKeyLiveOrAtTheNextStart() throws Exception {
    registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, WORKER)));
    supervisors.awaitRunning(WORKER);
    Configuration configuration = configAdmin().getConfiguration("dev.supervisor", "?");
    configurations.add(configuration);
    String refused = "configuration 'dev.supervisor': property supervisor.threads = \"GREEN\" (String): "
        + "must be one of [PLATFORM, VIRTUAL] (any letter case); ";

    configuration.update(dictionary(Map.of("supervisor.threads", "GREEN", ServiceSpec.RESTART_DELAY, "PT3S")));
    String live = awaitLogged("a log entry about supervisor.threads = GREEN", "supervisor.threads = \"GREEN\"");
    assertEquals(refused + "ignored (the other keys are read as usual): the supervisor keeps the threads it started "
        + "with (supervisor.threads = PLATFORM) until it starts again (bundle supervisor.impl restarted)", live);
    ServiceInfo updated = Await.until("the other key applied live", () -> supervisors.info(WORKER).orElseThrow(),
        info -> info.spec().restartDelay().equals(Duration.ofSeconds(3)), Supervisors::describe);
    assertEquals(1, updated.startCount(), "the running worker was not disturbed");

    logged.clear();
    restartTheSupervisor();
    String atStart = awaitLogged("a log entry about supervisor.threads = GREEN at start", "supervisor.threads = \"GREEN\"");
    assertEquals(refused + "runs use PLATFORM threads, the default", atStart);
    assertEquals(Duration.ofSeconds(3), supervisors.awaitState(WORKER, State.RUNNING).spec().restartDelay(),
        "the other key applied at start");
  }

  /**
   * Issue 15: a valid {@code supervisor.threads} reaches the engine when the supervisor starts, and a change made
   * while it runs is said to wait for that. The Felix tests run on Java 17 (bnd 7.1's launcher does not run on 24 and
   * later), where the engine refuses {@code VIRTUAL} in its one warning and uses platform threads.
   */
  @Test
  void aChangedThreadModeWaitsForTheNextStartAndThenReachesTheEngine() throws Exception {
    Configuration configuration = configAdmin().getConfiguration("dev.supervisor", "?");
    configurations.add(configuration);
    configuration.update(dictionary(Map.of("supervisor.threads", "virtual")));
    String waits = awaitLogged("a log entry saying the change waits", "supervisor.threads = VIRTUAL");
    assertEquals("configuration 'dev.supervisor': supervisor.threads = VIRTUAL is read only when the supervisor "
        + "starts: the supervisor keeps the threads it started with (supervisor.threads = PLATFORM) until it starts "
        + "again (bundle supervisor.impl restarted)", waits);
    try {
      restartTheSupervisor();
      int java = Runtime.version().feature();
      if (java < 21) {
        String refusal = awaitLogged("the engine's refusal of VIRTUAL", "supervisor.threads=VIRTUAL refused");
        assertEquals("supervisor.threads=VIRTUAL refused: Java " + java + " has no virtual threads (they need Java 21 "
            + "or later); runs use platform threads", refusal);
      }
    } finally {
      configurations.remove(configuration); // before delete(): a deleted Configuration refuses equals()
      configuration.delete();
      restartTheSupervisor(); // the tests after this one get the supervisor they expect
    }
  }

  /**
   * Issue 14: {@code @SupervisedService} used to write every element's default as a property, so PID
   * dev.supervisor never reached an annotated worker. Now an element left out is no property: the configured
   * default reaches {@link StartupWorkers#DS} live, while the element it sets ({@code jitter = 0}) wins. A
   * worker added through the Supervisor service gives a whole spec, so it keeps its values.
   */
  @Test
  void aConfiguredDefaultReachesAnAnnotatedWorkerUnlessTheAnnotationSetsTheElement() throws IOException {
    String annotated = StartupWorkers.DS;
    ServiceInfo before = supervisors.awaitState(annotated, State.RUNNING);
    assertEquals(Duration.ofMillis(100), before.spec().restartDelay(), "the built-in default before");
    assertEquals(0.0, before.spec().jitter(), "@SupervisedService(jitter = 0)");
    Configuration configuration = configAdmin().getConfiguration("dev.supervisor", "?");
    configurations.add(configuration);

    configuration.update(dictionary(Map.of(ServiceSpec.RESTART_DELAY, "PT3S", ServiceSpec.MAX_RESTARTS, 5,
        ServiceSpec.JITTER, 0.5, ServiceSpec.RESTART, "ALWAYS")));
    ServiceInfo updated = Await.until(annotated + "'s effective restart delay from the configuration",
        () -> supervisors.info(annotated).orElseThrow(),
        info -> info.spec().restartDelay().equals(Duration.ofSeconds(3)), Supervisors::describe);
    assertEquals(5, updated.spec().maxRestarts(), "configured default");
    assertEquals(RestartPolicy.ALWAYS, updated.spec().restart(), "configured default");
    assertEquals(0.0, updated.spec().jitter(), "the annotation's own element wins over the configured default");
    assertEquals(before.startCount(), updated.startCount(), "the running worker was not disturbed");
    assertEquals(State.RUNNING, updated.state());
    Await.until(StartupWorkers.DS_PROTOTYPE + " too", () -> supervisors.info(StartupWorkers.DS_PROTOTYPE)
        .orElseThrow(), info -> info.spec().restartDelay().equals(Duration.ofSeconds(3)), Supervisors::describe);
    assertEquals(Duration.ofMillis(100), supervisors.info(StartupWorkers.API).orElseThrow().spec().restartDelay(),
        "a worker added through the Supervisor service keeps the spec it gave");

    configurations.remove(configuration); // before delete(): a deleted Configuration refuses equals()
    configuration.delete();
    ServiceInfo back = Await.until(annotated + " back to the built-in defaults",
        () -> supervisors.info(annotated).orElseThrow(),
        info -> info.spec().restartDelay().equals(Duration.ofMillis(100)), Supervisors::describe);
    assertEquals(RestartPolicy.ON_FAILURE, back.spec().restart());
    assertEquals(0, back.spec().maxRestarts());
  }

  @Test
  void aGroupFactoryConfigurationDeclaresAGroup() throws IOException {
    Configuration configuration = configAdmin().createFactoryConfiguration("dev.supervisor.group", "?");
    configurations.add(configuration);
    configuration.update(dictionary(Map.of(GroupSpec.PATH, "cfg/ingest", GroupSpec.STRATEGY, "REST_FOR_ONE",
        GroupSpec.MAX_RESTARTS, "4")));
    GroupSpec spec = Await.until("group cfg/ingest configured", () -> supervisors.get().group("cfg/ingest")
        .map(group -> group.spec()).orElse(null), s -> s != null && s.strategy() == Strategy.REST_FOR_ONE);
    assertEquals(4, spec.maxRestarts());
    configurations.remove(configuration); // before delete(): a deleted Configuration refuses equals()
    configuration.delete();
    Await.until("group cfg/ingest back to the defaults", () -> supervisors.get().group("cfg/ingest").orElseThrow()
        .spec(), s -> s.equals(GroupSpec.builder("cfg/ingest").build()));
  }

  /** Issue 13: unregistering a SupervisorGroup service for the root threw away what the PID had configured. */
  @Test
  void theRootGoesBackToThePidsConfigurationWhenItsGroupServiceLeaves() throws IOException {
    Configuration configuration = configAdmin().getConfiguration("dev.supervisor", "?");
    configurations.add(configuration);
    configuration.update(dictionary(Map.of(GroupSpec.MAX_RESTARTS, "7")));
    Await.until("the root configured by the PID", () -> supervisors.get().group("").orElseThrow().spec(),
        s -> s.maxRestarts() == 7);
    ServiceRegistration<SupervisorGroup> root = Osgi.context().registerService(SupervisorGroup.class,
        new SupervisorGroup() {}, dictionary(Map.of(GroupSpec.PATH, "", GroupSpec.MAX_RESTARTS, "3")));
    Await.until("the root configured by the service", () -> supervisors.get().group("").orElseThrow().spec(),
        s -> s.maxRestarts() == 3);
    root.unregister();
    GroupSpec back = Await.until("the root as the PID configured it again",
        () -> supervisors.get().group("").orElseThrow().spec(), s -> s.maxRestarts() == 7);
    assertEquals(Double.POSITIVE_INFINITY, back.failureThreshold());
  }

  @Test
  void everyStatusUpdateIsPostedToEventAdmin() {
    List<Event> events = new CopyOnWriteArrayList<>();
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put(EventConstants.EVENT_TOPIC, "dev/supervisor/*");
    registrations.add(Osgi.context().registerService(EventHandler.class, events::add, properties));
    registrations.add(Registrations.whiteboard(new BlockingWorker(),
        Map.of(ServiceSpec.NAME, "cfg.evented", ServiceSpec.GROUP, "cfg/events")));
    Event running = Await.until("a RUNNING event for cfg.evented", () -> events.stream()
        .filter(e -> "cfg.evented".equals(e.getProperty("service.name")) && e.getTopic().equals("dev/supervisor/RUNNING"))
        .findFirst(), java.util.Optional::isPresent, seen -> "events: " + events).orElseThrow();
    assertEquals("cfg/events", running.getProperty("group"));
    assertEquals("STARTING", running.getProperty("old.state"));
  }
}
