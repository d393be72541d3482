package dev.supervisor.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The transition record and the timeline made of it, fed with status updates as the supervisor sends them. */
class TimelineTest {
  static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  /** A status update as the supervisor delivers it (a plain value; the API's interface is ours to implement). */
  record Update(long serviceId, String serviceName, String group, long sequence, Instant time, Optional<State> oldState,
      State newState, Optional<Failure> failure) implements StatusUpdate {}

  private final List<Update> sent = new ArrayList<>();

  private void send(TransitionLog log, String name, long millis, State state, String failure) {
    Optional<State> old = sent.stream().filter(u -> u.serviceName().equals(name)).reduce((a, b) -> b).map(Update::newState);
    Update u = new Update(1, name, "", sent.size() + 1, T0.plusMillis(millis), old, state, Optional.ofNullable(failure)
        .map(m -> new Failure(FailureKind.EXCEPTION, "java.io.IOException", m, "", T0.plusMillis(millis))));
    sent.add(u);
    log.record(u);
  }

  @Test
  void aStartUpBecomesSegmentsFromRegistrationToRunningWithFailuresAndRestartsMarked() {
    TransitionLog log = new TransitionLog();
    send(log, "a", 0, State.WAITING, null);
    send(log, "a", 100, State.STARTING, null);
    send(log, "a", 300, State.BACKOFF, "boom");
    send(log, "a", 800, State.STARTING, null);
    send(log, "a", 900, State.RUNNING, null);
    TimelineView.Model m = TimelineView.model(log.copy(), T0, T0.plusMillis(1000), 0, 10);
    TimelineView.Row row = m.rows().get(0);
    assertEquals(List.of(State.WAITING, State.STARTING, State.BACKOFF, State.STARTING, State.RUNNING),
        row.segments().stream().map(TimelineView.Segment::state).toList());
    assertEquals(T0.plusMillis(1000), row.segments().get(4).to(), "the last segment lasts until now");
    assertEquals(List.of("failure", "restart"), row.marks().stream().map(TimelineView.Mark::kind).toList());
    assertTrue(row.marks().get(0).message().contains("boom"));
  }

  @Test
  void theRecordIsBoundedAndSaysWhatItDropped() {
    TransitionLog log = new TransitionLog();
    send(log, "flappy", 0, State.STARTING, null);
    send(log, "flappy", 1, State.RUNNING, null); // start-up complete
    for (int i = 0; i < 1000; i++) {
      send(log, "flappy", 10 + 2 * i, State.BACKOFF, "again");
      send(log, "flappy", 11 + 2 * i, State.STARTING, null);
    }
    TransitionLog.History h = log.copy().get(0);
    assertEquals(2, h.startup().size());
    assertEquals(TransitionLog.RECENT_LIMIT, h.recent().size());
    assertEquals(2000 - TransitionLog.RECENT_LIMIT, h.dropped());
    TimelineView.Row row = TimelineView.model(log.copy(), T0, T0.plusMillis(5000), 0, 10).rows().get(0);
    assertEquals(null, row.segments().get(1).state(), "the stretch whose transitions were dropped is unknown");
    assertEquals(2 + TransitionLog.RECENT_LIMIT, row.segments().size());
  }

  @Test
  void aRemovedServiceIsForgottenAndTheSvgEscapesNames() {
    TransitionLog log = new TransitionLog();
    send(log, "<script>alert(1)</script>", 0, State.RUNNING, null);
    send(log, "gone", 0, State.RUNNING, null);
    log.removed(1, "gone");
    assertEquals(1, log.size());
    String svg = TimelineView.svg(TimelineView.model(log.copy(), T0, T0.plusMillis(10), 0, 10));
    assertFalse(svg.contains("<script>"));
    assertTrue(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  }

  @Test
  void sinceClipsSegmentsAndPagingCounts() {
    TransitionLog log = new TransitionLog();
    for (int i = 0; i < 5; i++) {
      send(log, "s" + i, i * 100, State.STARTING, null);
      send(log, "s" + i, i * 100 + 50, State.RUNNING, null);
    }
    TimelineView.Model m = TimelineView.model(log.copy(), T0.plusMillis(275), T0.plusMillis(1000), 1, 2);
    assertEquals(5, m.total());
    assertEquals(List.of("s1", "s2"), m.rows().stream().map(TimelineView.Row::name).toList(), "ordered by registration");
    TimelineView.Row s2 = m.rows().get(1);
    assertEquals(1, s2.segments().size(), "STARTING of s2 ended before since");
    assertEquals(T0.plusMillis(275), s2.segments().get(0).from(), "clipped at since");
  }
}
