package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.GroupSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart window: exact at its boundaries, and bounded in space whatever the history. */
class RestartWindowTest {
  /** A monotonic reading, in nanoseconds: any origin will do. */
  private static final long T0 = 1_234_567_890_123L;
  private static final Duration MINUTE = Duration.ofSeconds(60);

  private final RestartWindow window = new RestartWindow();

  private static long at(long millis) {
    return T0 + millis * 1_000_000L;
  }

  @Test
  void aRestartExactlyOneWindowAgoIsOutOfIt() {
    window.record(at(0), MINUTE, 5);
    assertEquals(1, window.count(at(59_999), MINUTE));
    assertEquals(0, window.count(at(60_000), MINUTE), "one exactly a window ago is out");
    assertEquals(0, window.count(at(60_001), MINUTE));
  }

  @Test
  void countsEveryRestartInsideTheWindowExactlyUpToTheLimit() {
    for (int i = 0; i < 5; i++) {
      window.record(at(i * 10_000L), MINUTE, 5); // 0, 10, 20, 30, 40 s
    }
    assertEquals(5, window.count(at(40_000), MINUTE));
    assertEquals(5, window.count(at(59_999), MINUTE));
    assertEquals(4, window.count(at(60_000), MINUTE));
    assertEquals(1, window.count(at(99_999), MINUTE));
    assertEquals(0, window.count(at(100_000), MINUTE));
  }

  @Test
  void aWindowEnforcingNHoldsAtMostNTimesExactlyWhateverTheHistory() {
    for (int i = 0; i < 100_000; i++) {
      window.record(at(i), MINUTE, 20); // 1,000 a second, all inside one window
      assertTrue(window.view().exactKept() <= RestartWindow.SPARE * 20, "exact: " + window.view().exactKept());
      assertTrue(window.view().arrayLength() <= RestartWindow.SPARE * 20);
      assertTrue(window.view().slicesKept() <= RestartWindow.BUCKETS);
    }
    // The limit is enforced on exact times: the newest 20 are all there.
    assertTrue(window.count(at(99_999), MINUTE) >= 20);
  }

  @Test
  void withoutALimitTheCountStaysCloseAndTheSpaceBounded() {
    // 100 a second for 100 s: 6,000 inside the last minute.
    for (int i = 0; i < 10_000; i++) {
      window.record(at(i * 10L), MINUTE, 0);
    }
    assertTrue(window.view().exactKept() >= RestartWindow.MIN_EXACT);
    assertTrue(window.view().arrayLength() <= RestartWindow.SPARE * RestartWindow.MIN_EXACT);
    assertTrue(window.view().slicesKept() <= RestartWindow.BUCKETS);
    int count = window.count(at(99_990), MINUTE);
    // Over by at most one slice (60 s / 15 = 4 s, 400 restarts), never under.
    assertTrue(count >= 6_000 && count <= 6_000 + 400, "count " + count);
    // Long after, none: slices expire like exact times.
    assertEquals(0, window.count(at(99_990 + 60_000 + 4_000), MINUTE));
  }

  @Test
  void aViewIsImmutableAndSharedUntilTheNextRecord() {
    window.record(at(0), MINUTE, 0);
    RestartWindow.View before = window.view();
    assertSame(before, window.view(), "nothing is copied to read it");
    window.record(at(1), MINUTE, 0);
    assertEquals(1, before.count(at(1), MINUTE), "an old view is unchanged by later restarts");
    assertEquals(2, window.view().count(at(1), MINUTE));
    window.clear();
    assertEquals(0, window.count(at(1), MINUTE));
    assertEquals(1, before.count(at(1), MINUTE));
  }

  @Test
  void restartsPushedOutOfTheExactTimesExpireWithTheirSlice() {
    for (int i = 0; i < 10; i++) {
      window.record(at(i * 1_000L), MINUTE, 0); // 0..9 s; the first two go to slices
    }
    assertEquals(10, window.count(at(9_000), MINUTE));
    // Just after 0 and 1 s have left the window, their slice may still straddle its start: over, never under.
    int straddling = window.count(at(61_001), MINUTE);
    assertTrue(straddling >= 8 && straddling <= 10, "count " + straddling);
    // One slice (60 s / 15 + 1 ns) later, their slice has left it too; the exact times at 2..5 s have as well.
    assertEquals(4, window.count(at(65_001), MINUTE));
  }

  @Test
  void aGroupWithoutLimitsHoldsNoPerFailureObjects() {
    GroupNode group = new GroupNode("g", null, GroupSpec.builder("g").failureThreshold(Double.POSITIVE_INFINITY)
        .build());
    Groups groups = new Groups();
    for (int i = 0; i < 100_000; i++) {
      groups.recordFailure(group, at(i));
    }
    assertTrue(group.window.view().arrayLength() <= RestartWindow.SPARE * RestartWindow.MIN_EXACT);
    assertTrue(group.window.view().slicesKept() <= RestartWindow.BUCKETS);
  }
}
