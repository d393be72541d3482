package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.FailureKind;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.CrashingWorker;
import dev.supervisor.itest.workers.Recorder;
import dev.supervisor.itest.workers.Recorder.Kind;
import dev.supervisor.itest.workers.Registrations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * A worker that fails every run is restarted with exponential backoff. Asserted on the delays the supervisor
 * reports, which are exact (no jitter), never on wall-clock gaps, so a slow machine only makes it slower.
 */
class RestartBackoffTest {

  private static final Duration INITIAL = Duration.ofMillis(20);
  private static final Duration MAX = Duration.ofSeconds(1);

  private final Supervisors supervisors = new Supervisors();

  @AfterEach
  void close() {
    supervisors.close();
  }

  @Test
  void crashingWorkerIsRestartedWithGrowingDelays() {
    String name = "backoff.crash";
    long mark = Recorder.mark();
    ServiceRegistration<Supervised> registration = Registrations.whiteboard(new CrashingWorker(), Map.of(
        ServiceSpec.NAME, name,
        ServiceSpec.RESTART_DELAY, "PT0.02S",           // ISO-8601 form
        ServiceSpec.MAX_RESTART_DELAY, MAX.toMillis(),  // millis form (Long)
        ServiceSpec.BACKOFF_MULTIPLIER, 2.0,
        ServiceSpec.JITTER, 0.0));
    List<ServiceInfo> backoffs = new ArrayList<>();
    try {
      // Every BACKOFF snapshot with a new restart count, until the delay reaches its cap. Polling may miss
      // a short one on a slow machine; the assertions below hold for whichever it sees.
      Await.until(name + " backing off up to " + MAX, () -> {
        supervisors.info(name).filter(info -> info.state() == State.BACKOFF)
            .filter(info -> backoffs.isEmpty()
                || backoffs.get(backoffs.size() - 1).restartCount() != info.restartCount())
            .ifPresent(backoffs::add);
        return backoffs;
      }, seen -> !seen.isEmpty() && seen.get(seen.size() - 1).currentDelay().equals(MAX),
          seen -> seen.stream().map(Supervisors::describe).collect(Collectors.joining("\n  ", "\n  ", "")));
    } finally {
      registration.unregister();
    }
    supervisors.awaitGone(name);

    String seen = backoffs.stream().map(i -> "restart " + i.restartCount() + " after " + i.consecutiveFailures()
        + " failures: " + i.currentDelay()).collect(Collectors.joining("; "));
    for (ServiceInfo info : backoffs) {
      // delay = min(max, initial * 2^(consecutiveFailures - 1)), exactly: jitter is 0
      long expected = Math.min(MAX.toMillis(), INITIAL.toMillis() << (info.consecutiveFailures() - 1));
      assertEquals(Duration.ofMillis(expected), info.currentDelay(), () -> "delay out of formula; seen: " + seen);
      assertEquals(FailureKind.PANIC, info.lastFailure().orElseThrow().kind(), () -> Supervisors.describe(info));
      assertTrue(info.lastFailure().orElseThrow().message().contains("crash on attempt"),
          () -> Supervisors.describe(info));
    }
    for (int i = 1; i < backoffs.size(); i++) {
      ServiceInfo before = backoffs.get(i - 1);
      ServiceInfo after = backoffs.get(i);
      assertTrue(after.restartCount() > before.restartCount(), () -> "restart count must grow; seen: " + seen);
      assertTrue(after.consecutiveFailures() > before.consecutiveFailures(), () -> "failures must add up: " + seen);
      assertTrue(after.currentDelay().compareTo(before.currentDelay()) > 0
          || after.currentDelay().equals(MAX), () -> "delay must grow until the cap; seen: " + seen);
    }
    long distinctDelays = backoffs.stream().map(ServiceInfo::currentDelay).distinct().count();
    assertTrue(distinctDelays >= 4, () -> "saw too few growing delays: " + seen);

    // every restart was a real new run, attempt numbers 1, 2, 3, ...
    List<Integer> attempts = Recorder.since(mark, name).stream().filter(e -> e.kind() == Kind.RUN)
        .map(Recorder.Event::attempt).collect(Collectors.toList());
    assertEquals(IntStream.rangeClosed(1, attempts.size()).boxed().collect(Collectors.toList()), attempts);
    assertTrue(attempts.size() >= 7, () -> "20ms doubling reaches 1s on the 7th restart; runs: " + attempts);
  }
}
