package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Strategy;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.CrashOnDemandWorker;
import dev.supervisor.itest.workers.GroupRegistrations;
import dev.supervisor.itest.workers.Recorder;
import dev.supervisor.itest.workers.Recorder.Event;
import dev.supervisor.itest.workers.Recorder.Kind;
import dev.supervisor.itest.workers.Registrations;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * Supervision groups in a real framework: workers registered by the {@code itest.workers} bundle join groups
 * with {@code supervisor.group}; groups are configured by {@code SupervisorGroup} services of that bundle and
 * through {@code Supervisor.configureGroup}. Every wait has a deadline; nothing depends on how fast the
 * machine is (restart windows are minutes long, so no count ages out during a test).
 *
 * <p>Each test undoes what it did: its worker and group registrations are unregistered and a group it
 * configured by hand is put back to the defaults. (The group nodes themselves stay: the supervisor keeps a
 * group once created, empty, with the defaults.)
 */
class SupervisionGroupsTest {

  private static final String PARENT = "itgroups";
  /** Long enough that no failure leaves a window while a test runs. */
  private static final Duration LONG_WINDOW = Duration.ofMinutes(10);

  private final Supervisors supervisors = new Supervisors();
  /** What to undo after the test, last first. */
  private final Deque<Runnable> cleanups = new ArrayDeque<>();

  @AfterEach
  void cleanUp() {
    try {
      while (!cleanups.isEmpty()) {
        cleanups.pop().run();
      }
    } finally {
      supervisors.close();
    }
  }

  @Test
  void aGroupServiceConfiguresItsGroupAndUnregisteringItRestoresTheDefaults() throws Exception {
    String path = PARENT + "/configured";
    // every value in another of the accepted forms: enum in any case, ISO-8601 and millis durations (as
    // text and as a number), numbers as text
    Map<String, Object> properties = new HashMap<>();
    properties.put(GroupSpec.PATH, path);
    properties.put(GroupSpec.STRATEGY, "rest_for_one");
    properties.put(GroupSpec.FAILURE_DECAY, "PT1M");
    properties.put(GroupSpec.FAILURE_THRESHOLD, 3);
    properties.put(GroupSpec.FAILURE_BACKOFF, 2500L);
    properties.put(GroupSpec.MAX_RESTARTS, "4");
    properties.put(GroupSpec.RESTART_WINDOW, "PT20S");
    properties.put(GroupSpec.STOP_TIMEOUT, "7000");
    GroupSpec expected = GroupSpec.builder(path).strategy(Strategy.REST_FOR_ONE).failureDecay(Duration.ofMinutes(1))
        .failureThreshold(3).failureBackoff(Duration.ofMillis(2500)).maxRestarts(4)
        .restartWindow(Duration.ofSeconds(20)).stopTimeout(Duration.ofSeconds(7)).build();

    ServiceRegistration<?> groupService = register(GroupRegistrations.whiteboard(properties));
    awaitSpec(expected);
    assertTrue(group(PARENT).children().contains(path), () -> "the parent lists it: " + group(PARENT).children());

    // A member joins the configured group and is stopped with it.
    register(Registrations.whiteboard(new BlockingWorker(),
        Map.of(ServiceSpec.NAME, "itgroups.configured.member", ServiceSpec.GROUP, path)));
    supervisors.awaitRunning("itgroups.configured.member");
    assertEquals(List.of("itgroups.configured.member"), group(path).members());
    assertEquals(path, supervisors.info("itgroups.configured.member").orElseThrow().group());
    assertEquals(List.of(), supervisors.get().stopGroup(path),
        "every member stopped within the group's stop timeout, so no straggler is named");
    assertEquals(State.STOPPED, supervisors.info("itgroups.configured.member").orElseThrow().state());

    unregister(groupService, null);
    awaitSpec(GroupSpec.builder(path).build());
  }

  @Test
  void aGroupNamedByAServiceIsCreatedOnFirstUseWithTheDefaults() {
    String path = PARENT + "/auto/deep";
    register(Registrations.whiteboard(new BlockingWorker(),
        Map.of(ServiceSpec.NAME, "itgroups.auto.member", ServiceSpec.GROUP, path)));
    supervisors.awaitRunning("itgroups.auto.member");

    GroupInfo created = group(path);
    assertEquals(GroupSpec.builder(path).build(), created.spec(), "suptree's defaults: 30s / 5 / 15s, ONE_FOR_ONE");
    assertEquals(5.0, created.spec().failureThreshold());
    assertEquals(List.of("itgroups.auto.member"), created.members());
    assertTrue(group(PARENT + "/auto").children().contains(path), "its missing parent was created too");
    assertEquals(Double.POSITIVE_INFINITY, group("").spec().failureThreshold(), "the root never pauses by default");
  }

  @Test
  void oneForAllRestartsEveryMemberInDependencyOrderAndLeavesOthersAlone() {
    String path = PARENT + "/ofa";
    String base = "ofa.base";
    String dependent = "ofa.dependent";
    String crasher = "ofa.crasher";
    String inParent = "ofa.outside.parent";
    String inRoot = "ofa.outside.root";

    register(GroupRegistrations.whiteboard(Map.of(GroupSpec.PATH, path, GroupSpec.STRATEGY, "ONE_FOR_ALL",
        GroupSpec.RESTART_WINDOW, LONG_WINDOW.toMillis())));
    awaitSpec(GroupSpec.builder(path).strategy(Strategy.ONE_FOR_ALL).restartWindow(LONG_WINDOW).build());

    // readiness EXPLICIT: a BlockingWorker records RUN before it is ready, so the recorder shows the start
    // order exactly
    CrashOnDemandWorker crashing = new CrashOnDemandWorker();
    register(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, dependent,
        ServiceSpec.DEPENDS_ON, base, ServiceSpec.GROUP, path, ServiceSpec.READINESS, "EXPLICIT")));
    register(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, base,
        ServiceSpec.GROUP, path, ServiceSpec.READINESS, "EXPLICIT")));
    register(Registrations.whiteboard(crashing, Map.of(ServiceSpec.NAME, crasher, ServiceSpec.GROUP, path,
        ServiceSpec.RESTART_DELAY, "PT0.01S", ServiceSpec.JITTER, 0.0)));
    register(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, inParent,
        ServiceSpec.GROUP, PARENT)));
    register(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, inRoot)));
    supervisors.awaitRunning(base, dependent, crasher, inParent, inRoot);
    for (String name : List.of(base, dependent, crasher, inParent, inRoot)) {
      assertEquals(1, startCount(name), () -> "started once: " + describe(name));
    }
    assertEquals(List.of(base, crasher, dependent), group(path).members().stream().sorted().collect(Collectors.toList()));
    // RUNNING comes as the run is entered, a moment before the worker records RUN: wait for the records, so
    // that the mark below comes after them (else a late RUN of an outsider looks like a restart).
    Await.until("the outsiders' RUN records", () -> Recorder.names(0, Kind.RUN, inParent, inRoot),
        names -> names.size() == 2);

    long mark = Recorder.mark();
    crashing.crash();

    // The crasher is restarted by its own policy, its group mates by the group's strategy.
    awaitStarts(crasher, 2);
    awaitStarts(base, 2);
    awaitStarts(dependent, 2);
    assertEquals(1, startCount(inParent), () -> "the parent group's member is untouched: " + describe(inParent));
    assertEquals(1, startCount(inRoot), () -> "a root member is untouched: " + describe(inRoot));
    assertEquals(List.of(), Recorder.since(mark, inParent, inRoot), "nothing happened outside the group");
    assertEquals(1, supervisors.info(crasher).orElseThrow().failureCount());
    assertEquals(0, supervisors.info(base).orElseThrow().failureCount(), "restarted, not failed");

    List<Event> events = Recorder.since(mark, base, dependent);
    String seen = events.toString();
    assertTrue(index(events, dependent, Kind.END) < index(events, base, Kind.STOP),
        () -> "the dependent stops before its dependency is asked to: " + seen);
    assertTrue(index(events, base, Kind.RUN) < index(events, dependent, Kind.RUN),
        () -> "the dependency starts before its dependent: " + seen);
    assertEquals(List.of(dependent, base), Recorder.names(mark, Kind.END, base, dependent), seen);
    assertEquals(List.of(base, dependent), Recorder.names(mark, Kind.RUN, base, dependent), seen);

    GroupInfo group = group(path);
    assertEquals(1, group.restartsInWindow(), () -> "one member failure counted: " + group);
    assertTrue(group.failureCount() > 0, () -> "the decayed count grew: " + group.failureCount());
    assertEquals(0, group.escalations());
  }

  @Test
  void aChildGroupOverItsLimitFailsAsAWholeAndItsParentRestartsIt() {
    String parent = PARENT + "/esc";
    String child = parent + "/child";
    String crasher = "esc.crasher";
    String peer = "esc.peer";
    String sibling = "esc.sibling";

    // The parent through the API (put back to the defaults afterwards), the child through a group service.
    GroupSpec parentSpec = GroupSpec.builder(parent).restartWindow(LONG_WINDOW).build();
    supervisors.get().configureGroup(parentSpec);
    cleanups.push(() -> supervisors.get().configureGroup(GroupSpec.builder(parent).build()));
    register(GroupRegistrations.whiteboard(Map.of(GroupSpec.PATH, child, GroupSpec.MAX_RESTARTS, 1,
        GroupSpec.RESTART_WINDOW, "PT10M")));
    awaitSpec(GroupSpec.builder(child).maxRestarts(1).restartWindow(LONG_WINDOW).build());
    assertEquals(parentSpec, group(parent).spec());

    CrashOnDemandWorker crashing = new CrashOnDemandWorker();
    register(Registrations.whiteboard(crashing, Map.of(ServiceSpec.NAME, crasher, ServiceSpec.GROUP, child,
        ServiceSpec.RESTART_DELAY, "PT0.01S", ServiceSpec.JITTER, 0.0)));
    register(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, peer, ServiceSpec.GROUP, child)));
    register(Registrations.whiteboard(new BlockingWorker(),
        Map.of(ServiceSpec.NAME, sibling, ServiceSpec.GROUP, parent)));
    supervisors.awaitRunning(crasher, peer, sibling);

    // Failure 1: within the child's limit (1 within 10 minutes); only the crasher restarts (ONE_FOR_ONE).
    crashing.crash();
    awaitStarts(crasher, 2);
    assertEquals(1, group(child).restartsInWindow());
    assertEquals(0, group(child).escalations());
    assertEquals(0, group(parent).restartsInWindow());
    assertEquals(1, startCount(peer), () -> describe(peer));

    // Failure 2 exceeds it: the child group fails as a whole; the parent counts one failed member and
    // restarts the child group afresh (crasher and peer); the parent's own member is left alone (ONE_FOR_ONE).
    crashing.crash();
    awaitStarts(crasher, 3);
    awaitStarts(peer, 2);
    GroupInfo afterFirst = group(child);
    assertEquals(1, afterFirst.escalations(), () -> "" + afterFirst.lastFailure());
    assertEquals(0, afterFirst.restartsInWindow(), "a restarted group starts with a clean slate");
    String why = afterFirst.lastFailure().orElseThrow().message();
    assertTrue(why.contains("exceeded") && why.contains(crasher) && why.contains("crash on demand"), why);
    assertEquals(1, group(parent).restartsInWindow(), "the parent counted the child group's failure");
    assertEquals(0, group(parent).escalations());
    assertTrue(group(parent).failureCount() > 0, () -> "the parent's decayed count grew: " + group(parent));

    // Failures 3 and 4: the same again; the escalations add up in both groups.
    crashing.crash();
    awaitStarts(crasher, 4);
    assertEquals(1, group(child).restartsInWindow());
    crashing.crash();
    awaitStarts(crasher, 5);
    awaitStarts(peer, 3);
    assertEquals(2, group(child).escalations());
    assertEquals(2, group(parent).restartsInWindow());
    assertEquals(0, group(parent).escalations(), "the parent has no limit of its own (maxRestarts = 0)");
    assertEquals(1, startCount(sibling), () -> "the parent's own member was never restarted: " + describe(sibling));
    assertEquals(State.RUNNING, group("").state(), "nothing reached the root");
  }

  // ---------------------------------------------------------------- helpers

  /** Keeps the registration for the clean-up, which unregisters it (if the test did not) and waits for its worker to go. */
  private <S> ServiceRegistration<S> register(ServiceRegistration<S> registration) {
    Object name = registration.getReference().getProperty(ServiceSpec.NAME);
    cleanups.push(() -> unregister(registration, name instanceof String worker ? worker : null));
    return registration;
  }

  /** Idempotent: the test may unregister a group service itself; the clean-up then finds it gone. */
  private void unregister(ServiceRegistration<?> registration, String worker) {
    try {
      registration.unregister();
    } catch (IllegalStateException alreadyUnregistered) {
      return;
    }
    if (worker != null) {
      supervisors.awaitGone(worker);
    }
  }

  private GroupInfo group(String path) {
    return Await.until("group '" + path + "'", () -> supervisors.get().group(path), Optional::isPresent,
        info -> "no such group; groups: " + supervisors.get().groups().stream().map(GroupInfo::path)
            .collect(Collectors.toList())).get();
  }

  /** Waits until the group's effective spec is {@code expected}: group services are applied asynchronously. */
  private void awaitSpec(GroupSpec expected) {
    Await.until("the spec of group '" + expected.path() + "' = " + expected,
        () -> supervisors.get().group(expected.path()).map(GroupInfo::spec), spec -> spec.equals(Optional.of(expected)));
  }

  /** Waits until the service has been started {@code starts} times and is RUNNING again. */
  private void awaitStarts(String name, long starts) {
    ServiceInfo info = Await.until(name + " RUNNING after " + starts + " starts", () -> supervisors.info(name),
        i -> i.isPresent() && i.get().startCount() >= starts && i.get().state() == State.RUNNING,
        i -> i.map(Supervisors::describe).orElse("not supervised")).get();
    assertEquals(starts, info.startCount(), () -> "started too often: " + Supervisors.describe(info));
  }

  private long startCount(String name) {
    return supervisors.info(name).orElseThrow().startCount();
  }

  private String describe(String name) {
    return supervisors.info(name).map(Supervisors::describe).orElse(name + " not supervised");
  }

  private static int index(List<Event> events, String worker, Kind kind) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).worker().equals(worker) && events.get(i).kind() == kind) {
        return i;
      }
    }
    throw new AssertionError("no " + kind + " of " + worker + " in " + events);
  }
}
