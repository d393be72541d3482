package dev.supervisor.itest.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * The instrumentation of the chaos workers, shared by every generated bundle and the test: live runs per
 * service name, faults injected, violations seen inside the workers. Lives in the test bundle, so its
 * counts survive a generated bundle being updated (a new class loader for the workers, the same probe).
 *
 * <p>Threads: every method is safe from any thread; workers call it from their run and stop threads.
 */
public final class ChaosProbe {

  private static final Map<String, AtomicInteger> LIVE = new ConcurrentHashMap<>();
  /** What each live run is: registration tag and attempt, for the violation message. */
  private static final Map<String, List<String>> LIVE_WHAT = new ConcurrentHashMap<>();
  private static final AtomicInteger REGISTRATIONS = new AtomicInteger();
  private static volatile boolean calm = true;
  private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();
  private static final List<String> VIOLATIONS = new ArrayList<>();
  private static final Map<String, AtomicInteger> MAX_LIVE = new ConcurrentHashMap<>();
  private static volatile BiFunction<String, Integer, RunPlan> director = (name, attempt) -> RunPlan.CALM;
  private static volatile String seed = "?";
  private static final Map<String, String> HELD_AT_STOP = new ConcurrentHashMap<>();

  private ChaosProbe() {}

  /**
   * Installs the test's fault director; until then, and after {@link #reset}, every run is {@link RunPlan#CALM}.
   *
   * @param seedText the seed, named in every violation
   * @param plans (service name, attempt) to the plan of that run
   */
  public static void install(String seedText, BiFunction<String, Integer, RunPlan> plans) {
    seed = seedText;
    director = plans;
    calm = false;
  }

  /** From now on every run is calm; counters and violations are kept. */
  public static void calm() {
    director = (name, attempt) -> RunPlan.CALM;
    calm = true;
  }

  /**
   * @return true once the faults are off: a run that began with a faulty plan no longer ends by itself,
   *     ignores no stop request and its {@code stop()} no longer throws
   */
  public static boolean isCalm() {
    return calm;
  }

  /** @return a tag unique to one registration of a worker service, for messages */
  public static String registrationTag(String bundle) {
    return "registration " + REGISTRATIONS.incrementAndGet() + " from " + bundle;
  }

  /** Forgets everything: counters, violations, live runs; the director is calm again. */
  public static synchronized void reset() {
    calm();
    LIVE.clear();
    LIVE_WHAT.clear();
    MAX_LIVE.clear();
    COUNTS.clear();
    VIOLATIONS.clear();
    HELD_AT_STOP.clear();
  }

  /** Worker: what this run is to do. */
  public static RunPlan plan(String name, int attempt) {
    return director.apply(name, attempt);
  }

  /**
   * Worker, first thing in {@code run}: one more live run of {@code name}. Two at once is a violation: the
   * supervisor must wait for a run (an abandoned one included) to return before it starts that name again.
   *
   * @param what the registration tag and attempt of this run
   */
  public static void runEntered(String name, String what) {
    List<String> others;
    List<String> whats = LIVE_WHAT.computeIfAbsent(name, n -> new ArrayList<>());
    synchronized (whats) {
      others = new ArrayList<>(whats);
      whats.add(what);
    }
    int live = LIVE.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    MAX_LIVE.computeIfAbsent(name, n -> new AtomicInteger()).accumulateAndGet(live, Math::max);
    count("runs");
    if (!others.isEmpty()) {
      String registration = what.substring(0, what.indexOf(" attempt"));
      boolean sameRegistration = others.stream().anyMatch(o -> o.startsWith(registration + " attempt"));
      violation(sameRegistration ? "LIVE_RUNS" : "LIVE_RUNS_REREGISTERED", "'" + name + "': a run began ("
          + what + ", on " + Thread.currentThread().getName() + ") while " + others + " had not returned"
          + (sameRegistration ? "" : " (the earlier run is of a registration that was removed meanwhile)"));
    }
  }

  /** Worker, in the finally of {@code run}. */
  public static void runExited(String name, String what) {
    List<String> whats = LIVE_WHAT.get(name);
    synchronized (whats) {
      whats.remove(what);
    }
    LIVE.get(name).decrementAndGet();
  }

  /**
   * A generated bundle's activator, stopping: the supervisor has removed its workers; {@code held} names the
   * prototype instances not given back yet ("" if none).
   */
  public static void bundleStopped(String bundle, String held) {
    HELD_AT_STOP.put(bundle, held);
    count("bundle stops");
    if (!held.isEmpty()) {
      count("bundle stops with prototype instances still out (abandoned runs)");
    }
  }

  /** @return what {@link #bundleStopped} last reported for the bundle, null if it never stopped */
  public static String heldAtLastStop(String bundle) {
    return HELD_AT_STOP.get(bundle);
  }

  /** @return the names with a run in progress now, with how many */
  public static Map<String, Integer> liveRuns() {
    Map<String, Integer> live = new java.util.TreeMap<>();
    LIVE.forEach((name, count) -> {
      if (count.get() != 0) {
        live.put(name, count.get());
      }
    });
    return live;
  }

  /** Counts one occurrence of {@code what} (a fault injected, an outcome seen). */
  public static void count(String what) {
    COUNTS.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  /** @return every count so far, by name */
  public static Map<String, Long> counts() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    COUNTS.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  /** Records a broken invariant; the message gets the invariant's name and the seed. */
  public static synchronized void violation(String invariant, String message) {
    count("violation " + invariant);
    if (VIOLATIONS.size() < 500) {
      VIOLATIONS.add("[" + invariant + ", seed " + seed + "] " + message);
    }
  }

  /** @return the violations recorded so far (at most 500) */
  public static synchronized List<String> violations() {
    return new ArrayList<>(VIOLATIONS);
  }
}
