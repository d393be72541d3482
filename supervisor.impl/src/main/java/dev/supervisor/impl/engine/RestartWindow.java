package dev.supervisor.impl.engine;

import java.time.Duration;

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
 * snapshot copies nothing of it, and its count at a later moment is computed when read. A view is a range
 * of an array that later restarts append to beyond the range's end (so a record allocates one small view,
 * not a copy); when the array is full, the exact times still needed move to a new one and the rest go to
 * their slices, once per {@value #SPARE}{@code  x exact} restarts.
 */
final class RestartWindow {
  /** Restarts kept exactly even without a limit, so small counts are shown exactly. */
  static final int MIN_EXACT = 8;
  /** Slices of the window for the restarts beyond the exact ones. */
  static final int BUCKETS = 16;
  /** How many times more room the array of exact times has than it must keep. */
  static final int SPARE = 4;

  private View view = View.EMPTY;

  /**
   * Records a restart.
   *
   * @param when when it happened, a monotonic reading in nanoseconds; not before the last one recorded
   * @param window the window it is counted in
   * @param limit the limit this window enforces (0 = none): at least that many are kept exactly
   */
  void record(long when, Duration window, int limit) {
    view = view.plus(when, window.toNanos(), Math.max(limit, MIN_EXACT));
  }

  /** @return the restarts recorded after {@code now - window} (one exactly {@code window} ago is out) */
  int count(long now, Duration window) {
    return view.count(now, window);
  }

  void clear() {
    view = View.EMPTY;
  }

  /** @return what a snapshot keeps: immutable, shared until the next record or clear */
  View view() {
    return view;
  }

  /**
   * An immutable state of the window: the newest restarts exactly, {@code times[from..to)} oldest first, and
   * the restarts pushed out of them counted per slice of {@code bucketWidth} nanoseconds: slice
   * {@code newestBucket} and the {@value #BUCKETS}{@code  - 1} before it. Later views may write {@code times}
   * at {@code to} and beyond, never inside this view's range.
   */
  static final class View {
    static final View EMPTY = new View(new long[0], 0, 0, 0, 0, new int[0]);

    private final long[] times;
    private final int from;
    private final int to;
    private final long bucketWidth;
    private final long newestBucket;
    private final int[] buckets;

    private View(long[] times, int from, int to, long bucketWidth, long newestBucket, int[] buckets) {
      this.times = times;
      this.from = from;
      this.to = to;
      this.bucketWidth = bucketWidth;
      this.newestBucket = newestBucket;
      this.buckets = buckets;
    }

    /** @return the restarts after {@code now - window} (monotonic nanoseconds), as {@link RestartWindow#count} */
    int count(long now, Duration window) {
      long start = now - window.toNanos();
      int count = 0;
      for (int i = to - 1; i >= from && times[i] > start; i--) {
        count++;
      }
      for (int i = 0; i < buckets.length; i++) {
        long index = newestBucket - i;
        int slot = (int) Math.floorMod(index, (long) BUCKETS);
        // A slice partly inside the window counts whole: over by at most one slice's restarts.
        if (buckets[slot] > 0 && (index + 1) * bucketWidth > start) {
          count += buckets[slot];
        }
      }
      return count;
    }

    /** @return how many times are kept exactly (for tests: never more than the limit or the minimum) */
    int exactKept() {
      return to - from;
    }

    /** @return how many longs the array of exact times holds (for tests: bounded by the limit) */
    int arrayLength() {
      return times.length;
    }

    /** @return how many slices are kept (for tests: never more than {@value RestartWindow#BUCKETS}) */
    int slicesKept() {
      return buckets.length;
    }

    /** Only ever called on the newest view of a window: it appends to the shared array. */
    View plus(long when, long window, int exact) {
      long start = when - window;
      int first = from;
      while (first < to && times[first] <= start) {
        first++; // out of the window already: neither kept nor counted
      }
      if (to < times.length && to - first < SPARE * exact) {
        times[to] = when; // beyond every earlier view's range
        return new View(times, first, to + 1, bucketWidth, newestBucket, buckets);
      }
      // Full: keep the newest exact - 1 in a new array, push the rest out to their slices.
      int keep = Math.min(to - first, exact - 1);
      long[] next = new long[SPARE * exact];
      System.arraycopy(times, to - keep, next, 0, keep);
      next[keep] = when;
      int pushedOut = to - keep - first;
      if (pushedOut == 0) {
        return new View(next, 0, keep + 1, bucketWidth, newestBucket, buckets);
      }
      // BUCKETS slices cover the window and the slice that straddles its start.
      long width = window / (BUCKETS - 1) + 1;
      Slices slices = width == bucketWidth ? new Slices(width, newestBucket, buckets.clone())
          : Slices.empty(width); // the window changed: older counts cannot be sliced anew, so they go
      for (int i = first; i < first + pushedOut; i++) {
        slices.add(times[i], start);
      }
      return new View(next, 0, keep + 1, width, slices.newest, slices.counts);
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
    return "restart window of " + view.exactKept() + " exact times and " + view.slicesKept() + " slices";
  }
}
