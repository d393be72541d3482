package dev.supervisor.itest.workers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The shared, append-only log of what workers did, in the order it happened. Static on purpose: it lives in
 * this bundle's exported package, so the test bundle (wired to the same class) reads what the workers wrote,
 * and it survives this bundle being stopped and started again (the class loader stays).
 *
 * <p>Tests never clear it (tests share it): they take a {@link #mark()} and read the events after it, or
 * filter by worker names that only they use.
 *
 * <p>Threads: every method is safe from any thread; {@link #record} is called from run threads, from the
 * supervisor's stop threads and from the framework.
 */
public final class Recorder {

  /** What happened. */
  public enum Kind {
    /** {@code run} was entered. */
    RUN,
    /** {@code stop()} was called. */
    STOP,
    /** {@code run} returned or threw. */
    END,
    /** A prototype factory made an instance ({@code getService}). */
    GET,
    /** A prototype factory was handed an instance back ({@code ungetService}). */
    UNGET
  }

  /**
   * One event.
   *
   * @param seq position in the whole log, from 0
   * @param worker the service name
   * @param kind what happened
   * @param instance the worker instance's id (see {@link Recorder#newInstanceId()})
   * @param attempt {@code RunContext.attempt()} for RUN and END, else 0
   * @param thread the thread that recorded it
   */
  public record Event(long seq, String worker, Kind kind, long instance, int attempt, String thread) {
    @Override
    public String toString() {
      return seq + ":" + kind + " " + worker + " #" + instance + (attempt > 0 ? " attempt " + attempt : "")
          + " [" + thread + "]";
    }
  }

  private static final AtomicLong INSTANCES = new AtomicLong();
  private static final List<Event> EVENTS = new ArrayList<>();

  private Recorder() {}

  /** @return a fresh id for a new worker instance, unique in this framework run */
  public static long newInstanceId() {
    return INSTANCES.incrementAndGet();
  }

  /**
   * Appends an event.
   *
   * @param worker the service name
   * @param kind what happened
   * @param instance the instance id
   * @param attempt the attempt number, or 0
   */
  public static void record(String worker, Kind kind, long instance, int attempt) {
    synchronized (EVENTS) {
      EVENTS.add(new Event(EVENTS.size(), worker, kind, instance, attempt, Thread.currentThread().getName()));
    }
  }

  /** @return the position the next event will take; pass it to {@link #since} */
  public static long mark() {
    synchronized (EVENTS) {
      return EVENTS.size();
    }
  }

  /**
   * @param mark a value of {@link #mark()}
   * @param workers the worker names to keep; none = all
   * @return the events from the mark on, of those workers, in order
   */
  public static List<Event> since(long mark, String... workers) {
    Set<String> names = Set.of(workers);
    Predicate<Event> wanted = e -> names.isEmpty() || names.contains(e.worker());
    synchronized (EVENTS) {
      return EVENTS.subList((int) mark, EVENTS.size()).stream().filter(wanted).collect(Collectors.toList());
    }
  }

  /**
   * @param mark a value of {@link #mark()}
   * @param kind the kind of event
   * @param workers the worker names to keep; none = all
   * @return the worker names of the matching events, in order (a name repeats if its event did)
   */
  public static List<String> names(long mark, Kind kind, String... workers) {
    return since(mark, workers).stream().filter(e -> e.kind() == kind).map(Event::worker)
        .collect(Collectors.toList());
  }
}
