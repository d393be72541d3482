package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervisor;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The test's view of the {@link Supervisor} service, which comes and goes with the impl bundle: every call
 * asks the tracker for the current one. Open one per test and close it after.
 */
final class Supervisors implements AutoCloseable {

  private static volatile boolean lastWaitTimedOut;

  private final ServiceTracker<Supervisor, Supervisor> tracker;

  Supervisors() {
    tracker = new ServiceTracker<>(Osgi.context(), Supervisor.class, null);
    tracker.open();
  }

  /** @return the current Supervisor service, waiting for one to be registered */
  Supervisor get() {
    // once the service failed to appear, later tests fail fast instead of each waiting the full timeout
    long timeout = lastWaitTimedOut ? 1000 : Await.TIMEOUT.toMillis();
    try {
      Supervisor supervisor = tracker.waitForService(timeout);
      lastWaitTimedOut = supervisor == null;
      assertNotNull(supervisor, () -> "no Supervisor service after " + timeout + " ms; bundles: "
          + Osgi.describe(Osgi.context().getBundles()));
      return supervisor;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the Supervisor service", e);
    }
  }

  /** @return the reference of the current Supervisor service, waiting for one */
  ServiceReference<Supervisor> reference() {
    get();
    ServiceReference<Supervisor> reference = tracker.getServiceReference();
    assertNotNull(reference, "the Supervisor service went away");
    return reference;
  }

  /** @return the current snapshot of {@code name}, if the supervisor knows it */
  Optional<ServiceInfo> info(String name) {
    return get().info(name);
  }

  /**
   * Waits until the service is in the state.
   *
   * @return the snapshot in that state
   */
  ServiceInfo awaitState(String name, State state) {
    return Await.until(name + " " + state, () -> info(name),
        info -> info.isPresent() && info.get().state() == state,
        info -> info.map(Supervisors::describe).orElse("not supervised; all: " + describeAll()))
        .get();
  }

  /** Waits until every named service is RUNNING. */
  void awaitRunning(String... names) {
    Arrays.stream(names).forEach(name -> awaitState(name, State.RUNNING));
  }

  /** Waits until the supervisor no longer knows the service. */
  void awaitGone(String name) {
    Await.until(name + " removed", () -> info(name), Optional::isEmpty,
        info -> info.map(Supervisors::describe).orElse("gone"));
  }

  /** @return every service, one line each */
  String describeAll() {
    return get().services().stream().map(Supervisors::describe).collect(Collectors.joining("\n  ", "\n  ", ""));
  }

  /** @return the figures a failure message needs */
  static String describe(ServiceInfo info) {
    return info.name() + " " + info.state() + " since " + info.stateSince() + " (owner " + info.owner()
        + ", starts " + info.startCount() + ", restarts " + info.restartCount() + ", consecutive failures "
        + info.consecutiveFailures() + ", delay " + info.currentDelay() + ", missing "
        + info.missingDependencies() + ", last failure " + info.lastFailure().orElse(null) + ")";
  }

  @Override
  public void close() {
    tracker.close();
  }
}
