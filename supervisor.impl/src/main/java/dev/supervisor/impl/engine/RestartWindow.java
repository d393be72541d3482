package dev.supervisor.impl.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * The restarts of one service (or one group) inside a sliding window, in space bounded by the limit it
 * enforces, whatever the history: a service that flaps for a month holds as much as one that failed twice.
 *
 * <p>The newest {@code max(limit, }{@value #MIN_EXACT}{@code )} restarts are kept exactly, so a limit is always
 * enforced on exact times (OTP prunes its restart list the same way, on every add). Older restarts that may
 * still be inside the window are kept only as counts per {@code 1/(}{@value #BUCKETS}{@code  - 1)} of the window, for the
 * displayed count: with more restarts in the window than are kept exactly, {@link View#count} can be over by
 * at most the restarts of one such slice.
 *
 * <p>Owned by the control thread. What readers need is an immutable {@link View}, made anew only when a
 * restart is recorded or the window is cleared, and shared by every snapshot until then: publishing a
 * snapshot copies nothing of it, and its count at a later moment is computed when read.
 */
final class RestartWindow {
  /** Restarts kept exactly even without a limit, so small counts are shown exactly. */
  static final int MIN_EXACT = 8;
  /** Slices of the window for the restarts beyond the exact ones. */
  static final int BUCKETS = 16;

  private View view = View.EMPTY;

  /**
   * Records a restart.
   *
   * @param when when it happened; not before the last one recorded
   * @param window the window it is counted in
   * @param limit the limit this window enforces (0 = none): at least that many are kept exactly
   */
  void record(Instant when, Duration window, int limit) {
    view = view.plus(nanos(when), window.toNanos(), Math.max(limit, MIN_EXACT));
  }

  /** @return the restarts recorded after {@code now - window} (one exactly {@code window} ago is out) */
  int count(Instant now, Duration window) {
    return view.count(now, window);
  }

  void clear() {
    view = View.EMPTY;
  }

  /** @return what a snapshot keeps: immutable, shared until the next record or clear */
  View view() {
    return view;
  }

  static long nanos(Instant time) {
    return time.getEpochSecond() * 1_000_000_000L + time.getNano();
  }

  /**
   * An immutable state of the window: the newest restarts exactly (oldest first), and the restarts pushed
   * out of them counted per slice of {@code bucketWidth} nanoseconds, slice {@code newestBucket} and the
   * {@value #BUCKETS}{@code  - 1} before it.
   */
  static final class View {
    static final View EMPTY = new View(new long[0], 0, 0, new int[0]);

    private final long[] recent;
    private final long bucketWidth;
    private final long newestBucket;
    private final int[] buckets;

    private View(long[] recent, long bucketWidth, long newestBucket, int[] buckets) {
      this.recent = recent;
      this.bucketWidth = bucketWidth;
      this.newestBucket = newestBucket;
      this.buckets = buckets;
    }

    /** @return the restarts after {@code now - window}, as {@link RestartWindow#count} */
    int count(Instant now, Duration window) {
      long start = nanos(now) - window.toNanos();
      int count = 0;
      for (int i = recent.length - 1; i >= 0 && recent[i] > start; i--) {
        count++;
      }
      for (int i = 0; i < buckets.length; i++) {
        long index = newestBucket - i;
        // A slice partly inside the window counts whole: over by at most one slice's restarts.
        if (buckets[(int) Math.floorMod(index, (long) BUCKETS)] > 0 && (index + 1) * bucketWidth > start) {
          count += buckets[(int) Math.floorMod(index, (long) BUCKETS)];
        }
      }
      return count;
    }

    /** @return the restarts kept in this view, exact and counted: at most {@code exact} plus one per slice */
    int retained() {
      int sum = recent.length;
      for (int count : buckets) {
        sum += count;
      }
      return sum;
    }

    /** @return how many times are kept exactly (for tests: never more than the limit or the minimum) */
    int exactKept() {
      return recent.length;
    }

    /** @return how many slices are kept (for tests: never more than {@value RestartWindow#BUCKETS}) */
    int slicesKept() {
      return buckets.length;
    }

    View plus(long when, long window, int exact) {
      long start = when - window;
      int from = 0;
      while (from < recent.length && recent[from] <= start) {
        from++; // out of the window already: neither kept nor counted
      }
      int keep = Math.min(recent.length - from, exact - 1);
      long[] next = new long[keep + 1];
      System.arraycopy(recent, recent.length - keep, next, 0, keep);
      next[keep] = when;
      int pushedOut = recent.length - keep - from;
      if (pushedOut == 0) {
        return new View(next, bucketWidth, newestBucket, buckets); // the slices did not change: shared
      }
      // BUCKETS slices cover the window and the slice that straddles its start.
      long width = window / (BUCKETS - 1) + 1;
      Slices slices = width == bucketWidth ? new Slices(width, newestBucket, buckets.clone())
          : Slices.empty(width); // the window changed: older counts cannot be sliced anew, so they go
      for (int i = from; i < from + pushedOut; i++) {
        slices.add(recent[i], start);
      }
      return new View(next, width, slices.newest, slices.counts);
    }
  }

  /** The mutable slices while a new view is made. */
  private static final class Slices {
    final long width;
    long newest;
    final int[] counts;

    Slices(long width, long newest, int[] counts) {
      this.width = width;
      this.newest = newest;
      this.counts = counts.length == BUCKETS ? counts : new int[BUCKETS];
    }

    static Slices empty(long width) {
      return new Slices(width, Long.MIN_VALUE / 2, new int[BUCKETS]);
    }

    void add(long time, long windowStart) {
      if (time <= windowStart) {
        return;
      }
      long index = Math.floorDiv(time, width);
      if (index > newest) {
        long advance = Math.min(index - newest, BUCKETS);
        for (long i = 1; i <= advance; i++) {
          counts[(int) Math.floorMod(newest + i, (long) BUCKETS)] = 0;
        }
        newest = index;
      } else if (index <= newest - BUCKETS) {
        return; // older than every slice kept: out of any window the slices can describe
      }
      counts[(int) Math.floorMod(index, (long) BUCKETS)]++;
    }
  }

  @Override
  public String toString() {
    return "restart window of " + view.retained() + " kept";
  }
}
