package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.CrashingWorker;
import dev.supervisor.itest.workers.Registrations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code supervisor.health} bundle with Felix Health Checks core 2.2.0: every check is run through
 * Felix's {@link HealthCheckExecutor}, selected by tag, never by calling our classes. Each group gets one
 * check tagged {@code supervisor} and its path ({@code supervisor.root} for the root). The supervisor never
 * removes a group, so a check goes only with its component or with the supervisor: two tests see
 * every check go, and come back.
 */
class HealthChecksTest {
  private static final String HEALTH_BUNDLE = "supervisor.health";
  private static final String CHECKS_COMPONENT = "dev.supervisor.health.GroupHealthChecks";

  private final Supervisors supervisors = new Supervisors();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private final ServiceTracker<HealthCheckExecutor, HealthCheckExecutor> executors =
      new ServiceTracker<>(Osgi.context(), HealthCheckExecutor.class, null);

  HealthChecksTest() {
    executors.open();
  }

  @AfterEach
  void cleanUp() {
    try {
      for (ServiceRegistration<?> registration : registrations) {
        registration.unregister();
      }
    } finally {
      executors.close();
      supervisors.close();
    }
  }

  @Test
  void aGroupWhoseMemberFailedIsCriticalAndTheLogNamesIt() {
    String group = "ithc/failing";
    register(new CrashingWorker(), Map.of(ServiceSpec.NAME, "ithc.crasher", ServiceSpec.GROUP, group,
        ServiceSpec.MAX_RESTARTS, 2, ServiceSpec.RESTART_DELAY, "PT0.01S", ServiceSpec.JITTER, 0.0));
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "ithc.bystander", ServiceSpec.GROUP, group));
    supervisors.awaitState("ithc.crasher", State.FAILED);
    supervisors.awaitRunning("ithc.bystander");

    HealthCheckExecutionResult result = runOne(group);
    assertEquals("Supervisor group ithc/failing", result.getHealthCheckMetadata().getName());
    assertEquals(List.of("supervisor", group), result.getHealthCheckMetadata().getTags());
    Result health = result.getHealthCheckResult();
    assertEquals(Result.Status.CRITICAL, health.getStatus(), () -> lines(health).toString());
    List<String> lines = lines(health);
    assertTrue(lines.stream().anyMatch(line -> line.startsWith("CRITICAL service 'ithc.crasher' is FAILED since ")
            && line.contains("after 3 consecutive failure(s)")
            && line.contains("last failure: PANIC: java.lang.IllegalStateException: crash on attempt 3")),
        () -> "the failed member with its state and last failure: " + lines);
    assertTrue(lines.contains("OK 1 member(s) fine: ithc.bystander RUNNING"), lines::toString);
  }

  @Test
  void aMemberWaitingToRestartMakesItsGroupWarn() {
    String group = "ithc/restarting";
    // one failure, then a long backoff: the member sits in BACKOFF for the whole test
    register(new CrashingWorker(), Map.of(ServiceSpec.NAME, "ithc.backoff", ServiceSpec.GROUP, group,
        ServiceSpec.RESTART_DELAY, "PT10M", ServiceSpec.MAX_RESTART_DELAY, "PT10M", ServiceSpec.JITTER, 0.0));
    supervisors.awaitState("ithc.backoff", State.BACKOFF);

    Result health = runOne(group).getHealthCheckResult();
    assertEquals(Result.Status.WARN, health.getStatus(), () -> lines(health).toString());
    assertTrue(lines(health).stream().anyMatch(line -> line.startsWith("WARN service 'ithc.backoff' is BACKOFF")
        && line.contains("crash on attempt 1")), () -> lines(health).toString());
  }

  @Test
  void aMemberWaitingPastItsGraceForAMissingDependencyMakesItsGroupWarnUntilTheNameAppears() {
    String group = "ithc/overdue";
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "ithc.api", ServiceSpec.GROUP, group,
        ServiceSpec.DEPENDS_ON, "ithc.dbb", ServiceSpec.MISSING_DEPENDENCY_GRACE, "PT0.2S"));
    Await.until("ithc.api overdue on ithc.dbb", () -> supervisors.info("ithc.api")
        .map(info -> info.overdueDependencies()).orElse(List.of()), overdue -> overdue.equals(List.of("ithc.dbb")));

    Result health = runOne(group).getHealthCheckResult();
    assertEquals(Result.Status.WARN, health.getStatus(), () -> lines(health).toString());
    assertTrue(lines(health).stream().anyMatch(line -> line.startsWith("WARN service 'ithc.api' waits for 'ithc.dbb'")),
        () -> lines(health).toString());

    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "ithc.dbb", ServiceSpec.GROUP, group));
    supervisors.awaitRunning("ithc.api");
    Result after = runOne(group).getHealthCheckResult();
    assertEquals(Result.Status.OK, after.getStatus(), () -> lines(after).toString());
  }

  @Test
  void anAllRunningGroupIsOk() {
    String group = "ithc/healthy";
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "ithc.one", ServiceSpec.GROUP, group));
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "ithc.two", ServiceSpec.GROUP, group));
    supervisors.awaitRunning("ithc.one", "ithc.two");

    Result health = runOne(group).getHealthCheckResult();
    assertEquals(Result.Status.OK, health.getStatus(), () -> lines(health).toString());
    assertEquals(List.of("OK 2 member(s) fine: ithc.one RUNNING, ithc.two RUNNING"), lines(health));
  }

  @Test
  void everyGroupHasOneCheckTaggedSupervisorAndTheRootItsOwnTag() {
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "ithc.tagged", ServiceSpec.GROUP, "ithc/tagged"));
    supervisors.awaitRunning("ithc.tagged");

    Set<String> expected = supervisors.get().groups().stream().map(GroupInfo::path)
        .map(path -> "Supervisor group " + (path.isEmpty() ? "(root)" : path)).collect(Collectors.toCollection(TreeSet::new));
    Set<String> names = Await.until("a check for every group " + expected,
        () -> run(HealthCheckSelector.tags("supervisor")).stream().map(r -> r.getHealthCheckMetadata().getName())
            .collect(Collectors.toCollection(TreeSet::new)), found -> found.containsAll(expected));
    assertTrue(names.contains("Supervisor group ithc/tagged"), names::toString);
    assertEquals(names.size(), checkReferences().size(), "one check per group, no duplicates: " + names);

    HealthCheckExecutionResult root = runOne("supervisor.root");
    assertEquals("Supervisor group (root)", root.getHealthCheckMetadata().getName());
    assertEquals("", root.getHealthCheckMetadata().getServiceReference().getProperty("supervisor.group"));
  }

  @Test
  void deactivatingTheComponentUnregistersEveryCheck() {
    Await.until("checks registered", HealthChecksTest::checkReferences, found -> !found.isEmpty());
    // The bundle stays ACTIVE: only the component's own deactivate can take the checks away.
    Components.disable(HEALTH_BUNDLE, CHECKS_COMPONENT);
    try {
      assertEquals(Bundle.ACTIVE, Osgi.bundle(HEALTH_BUNDLE).getState());
      assertEquals(List.of(), checkReferences(), "no check outlives its component");
      assertEquals(List.of(), run(HealthCheckSelector.tags("supervisor")));
    } finally {
      Components.enable(HEALTH_BUNDLE, CHECKS_COMPONENT);
    }
    Await.until("checks registered again", HealthChecksTest::checkReferences, found -> !found.isEmpty());
    assertEquals(Result.Status.OK, runOne("supervisor.root").getHealthCheckResult().getStatus());
  }

  @Test
  void stoppingTheSupervisorTakesTheChecksAwayAndTheyComeBackWithIt() throws Exception {
    Await.until("checks registered", HealthChecksTest::checkReferences, found -> !found.isEmpty());
    Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
    impl.stop();
    try {
      // the component's Supervisor reference is static and mandatory: it is deactivated with the supervisor
      Await.until("no checks without a supervisor", HealthChecksTest::checkReferences, List::isEmpty);
    } finally {
      impl.start();
    }
    Await.until("checks registered again", HealthChecksTest::checkReferences, found -> !found.isEmpty());
    assertEquals(Result.Status.OK, runOne("supervisor.root").getHealthCheckResult().getStatus());
  }

  // ---------------------------------------------------------------- helpers

  private void register(Supervised worker, Map<String, ?> properties) {
    registrations.add(Registrations.whiteboard(worker, properties));
  }

  /** Waits for the group's check to be there and runs it through Felix HC. */
  private HealthCheckExecutionResult runOne(String tag) {
    return Await.until("one health check tagged " + tag, () -> run(HealthCheckSelector.tags(tag)),
        results -> results.size() == 1, HealthChecksTest::describe).get(0);
  }

  private List<HealthCheckExecutionResult> run(HealthCheckSelector selector) {
    HealthCheckExecutor executor;
    try {
      executor = executors.waitForService(Await.TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the HealthCheckExecutor", e);
    }
    if (executor == null) {
      throw new AssertionError("no HealthCheckExecutor service; bundles: " + Osgi.describe(Osgi.context().getBundles()));
    }
    // results are cached for 2 s by default: the test wants the state of now
    return executor.execute(selector, new HealthCheckExecutionOptions().setForceInstantExecution(true));
  }

  /** @return the HealthCheck services registered by supervisor.health */
  private static List<ServiceReference<HealthCheck>> checkReferences() {
    try {
      return Osgi.context().getServiceReferences(HealthCheck.class, "(supervisor.group=*)").stream()
          .filter(reference -> HEALTH_BUNDLE.equals(reference.getBundle().getSymbolicName()))
          .collect(Collectors.toList());
    } catch (InvalidSyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> lines(Result result) {
    return StreamSupport.stream(result.spliterator(), false).filter(entry -> !entry.isDebug())
        .map(entry -> entry.getStatus() + " " + entry.getMessage()).collect(Collectors.toList());
  }

  private static String describe(List<HealthCheckExecutionResult> results) {
    return results.stream().map(r -> r.getHealthCheckMetadata().getName() + " " + r.getHealthCheckMetadata().getTags()
        + " " + lines(r.getHealthCheckResult())).collect(Collectors.joining("; ", "[", "]"));
  }
}
