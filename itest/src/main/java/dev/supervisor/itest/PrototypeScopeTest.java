package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.Recorder;
import dev.supervisor.itest.workers.Recorder.Event;
import dev.supervisor.itest.workers.Recorder.Kind;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * A prototype-scoped worker gets a fresh instance for every start, each run once and released with
 * {@code ungetService}; a singleton is run again on the same instance.
 */
class PrototypeScopeTest {

  private static final int RESTARTS = 2;

  private final Supervisors supervisors = new Supervisors();

  @AfterEach
  void close() {
    supervisors.close();
  }

  @Test
  void prototypeServiceFactoryGivesAFreshInstancePerStart() {
    String name = "prototype.whiteboard";
    long mark = Recorder.mark();
    ServiceRegistration<Supervised> registration =
        Registrations.prototype(name, Map.of(ServiceSpec.NAME, name, ServiceSpec.JITTER, 0.0));
    List<Long> runs;
    try {
      runs = startAndRestart(name, mark, 1);
    } finally {
      registration.unregister();
    }
    supervisors.awaitGone(name);

    // every instance the factory made was run (once, checked above) and handed back
    Set<Long> made = instances(mark, name, Kind.GET);
    assertEquals(Set.copyOf(runs), made, () -> "instances made vs run; events: " + Recorder.since(mark, name));
    Await.until("every instance of " + name + " released with ungetService",
        () -> instances(mark, name, Kind.UNGET), made::equals);
  }

  @Test
  void prototypeScopedDsComponentGivesAFreshInstancePerStart() {
    String name = StartupWorkers.DS_PROTOTYPE;
    long mark = Recorder.mark();
    startAndRestart(name, mark, 0);
  }

  @Test
  void singletonIsRunAgainOnTheSameInstance() {
    String name = StartupWorkers.DS;
    long mark = Recorder.mark();
    supervisors.awaitRunning(name);
    supervisors.get().restart(name);
    awaitRuns(name, mark, 1);
    supervisors.get().restart(name);
    List<Event> runs = awaitRuns(name, mark, 2);
    assertEquals(runs.get(0).instance(), runs.get(1).instance(), () -> "runs: " + Recorder.since(mark, name));
    assertTrue(runs.get(1).attempt() > runs.get(0).attempt(), () -> "attempts must grow: " + runs);
    supervisors.awaitRunning(name);
  }

  /**
   * Waits for {@code name} to run, restarts it {@link #RESTARTS} times, and checks that each start used
   * a new instance whose run was called once and whose stop at most once.
   *
   * @param before how many runs to expect since the mark before the first restart: 1 for a service
   *     registered after the mark, 0 for one that was running before it
   * @return the instance ids, in order of their runs
   */
  private List<Long> startAndRestart(String name, long mark, int before) {
    awaitRuns(name, mark, before);
    for (int i = 1; i <= RESTARTS; i++) {
      supervisors.get().restart(name);
      awaitRuns(name, mark, before + i);
    }
    supervisors.awaitRunning(name);
    List<Event> runs = Recorder.since(mark, name).stream().filter(e -> e.kind() == Kind.RUN)
        .collect(Collectors.toList());
    List<Long> ids = runs.stream().map(Event::instance).collect(Collectors.toList());
    assertTrue(ids.size() >= RESTARTS, () -> "runs: " + runs);
    // over the whole test run, not just since the mark: no instance of this name ever ran twice
    List<Event> allRuns = Recorder.since(0, name).stream().filter(e -> e.kind() == Kind.RUN)
        .collect(Collectors.toList());
    assertEquals(allRuns.size(), allRuns.stream().map(Event::instance).distinct().count(),
        () -> "an instance ran twice; runs: " + allRuns);

    Map<Long, Long> stops = Recorder.since(mark, name).stream().filter(e -> e.kind() == Kind.STOP)
        .collect(Collectors.groupingBy(Event::instance, Collectors.counting()));
    stops.forEach((id, count) -> assertEquals(1L, count, () -> "stop() called " + count + " times on #" + id));
    return ids;
  }

  /** Waits until {@code name} has entered run {@code count} times since the mark and is RUNNING again. */
  private List<Event> awaitRuns(String name, long mark, int count) {
    List<Event> runs = Await.until(count + " runs of " + name,
        () -> Recorder.since(mark, name).stream().filter(e -> e.kind() == Kind.RUN).collect(Collectors.toList()),
        seen -> seen.size() >= count);
    assertEquals(count, runs.size(), () -> "one restart must run once; events: " + Recorder.since(mark, name));
    supervisors.awaitState(name, State.RUNNING);
    return runs;
  }

  private static Set<Long> instances(long mark, String name, Kind kind) {
    return Recorder.since(mark, name).stream().filter(e -> e.kind() == kind).map(Event::instance)
        .collect(Collectors.toSet());
  }
}
