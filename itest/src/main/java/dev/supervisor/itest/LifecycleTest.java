package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Supervisor;
import dev.supervisor.itest.workers.Recorder;
import dev.supervisor.itest.workers.Recorder.Event;
import dev.supervisor.itest.workers.Recorder.Kind;
import dev.supervisor.itest.workers.StartupWorkers;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;

/**
 * Bundles stopping: the worker bundle (its workers stop, dependents first) and the supervisor's own bundle
 * (every worker stops, then every supervisor thread ends; started again, it brings the workers back). Each
 * test starts what it stopped, so the other tests find the runtime as it was.
 */
class LifecycleTest {

  private static final String A = StartupWorkers.CHAIN_A;
  private static final String B = StartupWorkers.CHAIN_B;
  private static final String C = StartupWorkers.CHAIN_C;
  private static final String[] ALL = StartupWorkers.all().toArray(String[]::new);

  private final Supervisors supervisors = new Supervisors();

  @AfterEach
  void close() {
    supervisors.close();
  }

  @Test
  void stoppingTheWorkerBundleStopsItsWorkersInReverseDependencyOrder() throws BundleException {
    supervisors.awaitRunning(ALL);
    Bundle workers = Osgi.bundle(Osgi.WORKERS_BUNDLE);
    long mark = Recorder.mark();
    long restarted;
    workers.stop();
    try {
      // no code of a stopped bundle may still run: every run returned before stop() did
      for (String name : ALL) {
        assertEquals(List.of(name), Recorder.names(mark, Kind.END, name),
            () -> name + ": run must have returned once when its bundle stopped; events: " + Recorder.since(mark));
      }
      assertStoppedInReverseOrder(mark);
      for (String name : ALL) {
        supervisors.awaitGone(name);
      }
    } finally {
      restarted = Recorder.mark();
      workers.start();
    }
    supervisors.awaitRunning(ALL);
    assertEquals(List.of(A, B, C), Recorder.names(restarted, Kind.RUN, A, B, C), "started again in order");
  }

  @Test
  void stoppingTheSupervisorBundleStopsWorkersThenEveryThreadItStarted() throws BundleException {
    supervisors.awaitRunning(ALL);
    assertTrue(!supervisorThreads().isEmpty(), "no supervisor thread while it runs: the check below would prove nothing");
    Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
    long mark = Recorder.mark();
    long restarted;
    impl.stop();
    try {
      assertNull(Osgi.context().getServiceReference(Supervisor.class), "Supervisor service still registered");
      // every worker was stopped (its run returned) before the supervisor's bundle finished stopping
      for (String name : ALL) {
        assertEquals(List.of(name), Recorder.names(mark, Kind.END, name),
            () -> name + ": run must have returned once when the supervisor stopped; events: "
                + Recorder.since(mark, name));
      }
      assertStoppedInReverseOrder(mark);
      // and then its threads ended (a thread may take a moment to die after its last line)
      Await.until("no supervisor thread alive after its bundle stopped", LifecycleTest::supervisorThreads,
          Set::isEmpty);
    } finally {
      restarted = Recorder.mark();
      impl.start();
    }
    supervisors.awaitRunning(ALL);
    assertEquals(List.of(A, B, C), Recorder.names(restarted, Kind.RUN, A, B, C), "started again in order");
  }

  /**
   * c's run returned before b was asked to stop, and b's before a was. "Asked" shows as b's first event
   * after the mark: its {@code stop()} call, or its run returning when it saw the request first (the
   * supervisor skips {@code stop()} once run has returned).
   */
  private static void assertStoppedInReverseOrder(long mark) {
    List<Event> events = Recorder.since(mark, A, B, C);
    assertEquals(List.of(C, B, A), Recorder.names(mark, Kind.END, A, B, C), () -> "events: " + events);
    assertStoppedBefore(events, C, B);
    assertStoppedBefore(events, B, A);
  }

  private static void assertStoppedBefore(List<Event> events, String dependent, String dependency) {
    long ended = events.stream().filter(e -> e.worker().equals(dependent) && e.kind() == Kind.END)
        .mapToLong(Event::seq).findFirst().orElseThrow();
    long asked = events.stream().filter(e -> e.worker().equals(dependency))
        .filter(e -> e.kind() == Kind.STOP || e.kind() == Kind.END).mapToLong(Event::seq).min().orElseThrow();
    assertTrue(ended < asked, () -> dependency + " was asked to stop before " + dependent + " had stopped; events: "
        + events);
  }

  /**
   * The live threads the supervisor started: named "supervisor..." (its control, timer and dispatcher
   * threads) or after a service (run threads).
   */
  private static Set<String> supervisorThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.toLowerCase(Locale.ROOT).startsWith("supervisor")
            || StartupWorkers.all().stream().anyMatch(n::contains))
        .collect(Collectors.toSet());
  }
}
