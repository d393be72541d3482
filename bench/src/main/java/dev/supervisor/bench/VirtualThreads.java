package dev.supervisor.bench;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.EngineLog;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.RunThreadMode;
import dev.supervisor.impl.engine.SystemScheduler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Item 6 of issue 15: the engine with {@link RunThreadMode#VIRTUAL} on a JDK that has virtual threads (this
 * suite's JVM is the one {@code bench.jdk25} names; the classes are built for Java 17, so what is new in
 * Java 21 is reached by reflection). 100,000 workers blocked in {@code awaitStop} started and stopped beside
 * the floor (100,000 bare virtual threads blocked on a latch), their heap with their threads, restart
 * latency and the crash storm, each beside the platform-thread figure taken in the same JVM.
 *
 * <p>Without virtual threads (the JDK is not there, {@code bench.skip} says why, or it is older than 21) the
 * suite writes a section saying so and its targets read "not measured".
 */
public final class VirtualThreads {
  static final String JDK_PROPERTY = "bench.jdk25";
  static final String DEFAULT_JDK = "/usr/lib/jvm/temurin-25-jdk-amd64";
  private static final String TITLE = "6. Virtual threads";
  private static final String HEAP_TARGET = "virtual threads: ≤ 2 KB (2,048 B) retained heap per running worker "
      + "with its thread, N = 100,000";
  private static final String START_ROW = "virtual threads: start of 100,000 workers, ours / 100,000 bare virtual "
      + "threads (same round)";
  private static final String STOP_ROW = "virtual threads: `stopAll` + `close` of 100,000 workers, ours / the bare "
      + "threads' stop (same round)";
  /** The carriers of virtual threads, and JDK 25's timer for their timed waits (the storm's {@code awaitStop(period)}). */
  private static final Pattern CARRIER = Pattern.compile("ForkJoinPool-\\d+-(worker-\\d+|delayScheduler)");

  private VirtualThreads() {}

  /** @return the java executable the suite runs with: {@code bench.jdk25} (a JDK's home), by default JDK 25's */
  static Path java() {
    String home = System.getProperty(JDK_PROPERTY, "");
    return Path.of(home.isBlank() ? DEFAULT_JDK : home, "bin", "java");
  }

  public static void main(String[] args) throws Exception {
    String skip = System.getProperty("bench.skip", "");
    if (skip.isEmpty() && Runtime.version().feature() < 21) {
      skip = "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ") has no virtual threads";
    }
    if (!skip.isEmpty()) {
      skipped(skip);
      return;
    }
    boolean quick = Report.quick();
    int n = quick ? 20_000 : 100_000;
    int small = quick ? 2_000 : 10_000;
    String loadAtStart = Report.load();
    Checks checks = new Checks();

    // Three rounds: 10,000 PLATFORM workers take 5-40 s to start on this shared machine, and the suite's whole run
    // is to stay near 6 minutes.
    StartStop startStop = startStop(quick ? 2 : 3, n, small, checks);
    Heap heap = heap(quick ? 1 : 3, n, checks);
    Restarts restarts = restarts(quick ? 2 : 5, quick ? 2_000 : 20_000);
    List<Storm.Result> storms = storms(Duration.ofSeconds(quick ? 2 : 10), quick);
    // Where the time of a start goes: a sampled profile of one more start and stop of N (not counted above).
    Report.settle();
    List<String> profile = Profile.sample(Report.work().resolve("virtual.jfr"), name -> !name.startsWith("JFR"), 20,
        () -> ours(RunThreadMode.VIRTUAL, n, checks));
    checks.leftoverPlatformThreads();

    Report report = new Report("virtual", TITLE);
    report.line("This suite's JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + " (" + System.getProperty("java.vendor") + ", `" + System.getProperty("java.home") + "`, `-D" + JDK_PROPERTY
        + "`), default GC, `-Xms3g -Xmx3g -Xss1m`; the virtual threads' scheduler as the JDK sets it ("
        + Runtime.getRuntime().availableProcessors() + " carriers for " + Runtime.getRuntime().availableProcessors()
        + " cores). The engine runs with `RunThreadMode.VIRTUAL` (a new virtual thread for each run, `stop()` call "
        + "and release) unless a row says PLATFORM; the bench classes are built for Java 17 like the rest. Load "
        + "average at the suite's start: " + loadAtStart + ", at its end: " + Report.load() + ".")
        .blank();
    startStop.write(report, n, small);
    heap.write(report, n);
    restarts.write(report);
    writeStorms(report, storms);
    report.line("### Profile").blank()
        .line("One more VIRTUAL start, stop and close of " + String.format("%,d", n) + " workers (Flight Recorder, 1 ms "
            + "sampling of every thread: `main`, which calls `add`, the `supervisor-*` platform threads and the "
            + "virtual run threads; a method's share counts every sample it is on the stack of):")
        .blank().line("```");
    profile.forEach(report::line);
    report.line("```").blank();
    checks.write(report);

    double perWorker = Stats.median(heap.perWorker);
    report.target(HEAP_TARGET, Stats.num(perWorker) + " B", perWorker <= 2048);
    report.target(START_ROW, Stats.num(Stats.median(startStop.startRatio())) + "x ("
        + Stats.num(Stats.median(startStop.start.get(StartStop.VIRTUAL_N))) + " ms vs "
        + Stats.num(Stats.median(startStop.start.get(StartStop.FLOOR))) + " ms)", "for information");
    report.target(STOP_ROW, Stats.num(Stats.median(startStop.stopRatio())) + "x ("
        + Stats.num(Stats.median(startStop.stopAndClose(StartStop.VIRTUAL_N))) + " ms vs "
        + Stats.num(Stats.median(startStop.stop.get(StartStop.FLOOR))) + " ms)", "for information");
    report.write(Report.work());
    System.exit(0);
  }

  private static void skipped(String why) {
    Report report = new Report("virtual", TITLE);
    report.line("Skipped: " + why + ". The suite needs a JDK with virtual threads (21 or later); name its home with `-D"
        + JDK_PROPERTY + "=...` (by default `" + DEFAULT_JDK + "`).").blank();
    report.target(HEAP_TARGET, "not measured (" + why + ")", "not measured");
    report.target(START_ROW, "not measured", "not measured");
    report.target(STOP_ROW, "not measured", "not measured");
    report.write(Report.work());
    System.exit(0);
  }

  // ---------------------------------------------------------------- virtual threads, by reflection

  /** @return a factory of virtual threads (Java 21's {@code Thread.ofVirtual()}), named if {@code name} is not null */
  static ThreadFactory virtualThreads(String name) {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> type = Class.forName("java.lang.Thread$Builder");
      if (name != null) {
        builder = type.getMethod("name", String.class).invoke(builder, name);
      }
      return (ThreadFactory) type.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no virtual threads on Java " + Runtime.version(), e);
    }
  }

  private static boolean onVirtualThread() {
    return Thread.currentThread().getClass().getName().equals("java.lang.VirtualThread");
  }

  // ---------------------------------------------------------------- start and stop

  /** Start, stop (to the last STOPPED, or the last bare thread joined) and close, ms. */
  private record Timing(double start, double stop, double close) {}

  /** Every start and stop of every variant, ms, one per round. */
  private static final class StartStop {
    static final String FLOOR = "floor";
    static final String VIRTUAL_N = "virtual-n";
    static final String VIRTUAL_SMALL = "virtual-small";
    static final String PLATFORM_SMALL = "platform-small";
    final Map<String, List<Double>> start = new HashMap<>();
    final Map<String, List<Double>> stop = new HashMap<>();
    final Map<String, List<Double>> close = new HashMap<>();
    int rounds;

    void add(String variant, Timing timing) {
      start.computeIfAbsent(variant, k -> new ArrayList<>()).add(timing.start());
      stop.computeIfAbsent(variant, k -> new ArrayList<>()).add(timing.stop());
      close.computeIfAbsent(variant, k -> new ArrayList<>()).add(timing.close());
    }

    List<Double> stopAndClose(String variant) {
      List<Double> sums = new ArrayList<>();
      for (int i = 0; i < stop.get(variant).size(); i++) {
        sums.add(stop.get(variant).get(i) + close.get(variant).get(i));
      }
      return sums;
    }

    List<Double> startRatio() {
      return ratios(start.get(VIRTUAL_N), start.get(FLOOR));
    }

    List<Double> stopRatio() {
      return ratios(stopAndClose(VIRTUAL_N), stop.get(FLOOR));
    }

    void write(Report report, int n, int small) {
      report.line("### Start and stop").blank()
          .line(rounds + " rounds; in each, every row once, in rotating order, after a full GC. Floor: N bare "
              + "virtual threads (`Thread.ofVirtual()`), each counting a latch down and then blocking on another; "
              + "start is from the first `start()` to the last count-down, stop from releasing the latch to the "
              + "last `join()` returned. Ours: N workers without dependencies that block in `ctx.awaitStop()`, a "
              + "fresh engine each time; start is from the first `add` to the last RUNNING update a listener "
              + "receives, stop from `stopAll()` to the last STOPPED update, close is `close()` after that (it "
              + "returns once every run thread has ended). ms, median (lowest–highest round).")
          .blank()
          .line("| what | N | start | stop | close | stop + close | µs per worker, start |")
          .line("| --- | --- | --- | --- | --- | --- | --- |");
      row(report, "floor: bare virtual threads blocked on a latch", n, FLOOR, false);
      row(report, "ours, VIRTUAL", n, VIRTUAL_N, true);
      row(report, "ours, VIRTUAL", small, VIRTUAL_SMALL, true);
      row(report, "ours, PLATFORM (same JVM)", small, PLATFORM_SMALL, true);
      report.blank()
          .line("Ratios, each within one round, then the median (lowest–highest round): ours VIRTUAL at "
              + String.format("%,d", n) + " over the floor: start " + Stats.spread(startRatio(), "x")
              + ", stop + close over the bare threads' stop " + Stats.spread(stopRatio(), "x") + ". At "
              + String.format("%,d", small) + ", VIRTUAL over PLATFORM: start "
              + Stats.spread(ratios(start.get(VIRTUAL_SMALL), start.get(PLATFORM_SMALL)), "x") + ", stop + close "
              + Stats.spread(ratios(stopAndClose(VIRTUAL_SMALL), stopAndClose(PLATFORM_SMALL)), "x")
              + ". Growth of VIRTUAL from " + String.format("%,d", small) + " to " + String.format("%,d", n)
              + ": start " + Stats.spread(ratios(start.get(VIRTUAL_N), start.get(VIRTUAL_SMALL)), "x")
              + ", stop + close " + Stats.spread(ratios(stopAndClose(VIRTUAL_N), stopAndClose(VIRTUAL_SMALL)), "x")
              + " (N grows " + Stats.num((double) n / small) + "x).")
          .blank();
    }

    private void row(Report report, String what, int n, String variant, boolean ours) {
      List<Double> perWorker = start.get(variant).stream().map(ms -> ms * 1000 / n).toList();
      report.line("| " + what + " | " + String.format("%,d", n) + " | " + Stats.spread(start.get(variant), "")
          + " | " + Stats.spread(stop.get(variant), "") + " | " + (ours ? Stats.spread(close.get(variant), "") : "")
          + " | " + (ours ? Stats.spread(stopAndClose(variant), "") : "") + " | " + Stats.spread(perWorker, "")
          + " |");
    }
  }

  private static StartStop startStop(int rounds, int n, int small, Checks checks) throws Exception {
    ThreadFactory bare = virtualThreads(null);
    // Warm-up: every path compiled (100,000 adds are plenty), the carriers started, before anything counts.
    floor(bare, n);
    floor(bare, n);
    ours(RunThreadMode.VIRTUAL, n, checks);
    ours(RunThreadMode.PLATFORM, Math.min(small, 2_000), checks);
    StartStop result = new StartStop();
    result.rounds = rounds;
    String[] variants = {StartStop.FLOOR, StartStop.VIRTUAL_N, StartStop.VIRTUAL_SMALL, StartStop.PLATFORM_SMALL};
    for (int round = 0; round < rounds; round++) {
      for (int v = 0; v < variants.length; v++) {
        String variant = variants[(v + round) % variants.length];
        Report.settle();
        Timing timing = switch (variant) {
          case StartStop.FLOOR -> floor(bare, n);
          case StartStop.VIRTUAL_N -> ours(RunThreadMode.VIRTUAL, n, checks);
          case StartStop.VIRTUAL_SMALL -> ours(RunThreadMode.VIRTUAL, small, checks);
          default -> ours(RunThreadMode.PLATFORM, small, checks);
        };
        result.add(variant, timing);
        System.out.printf("virtual round %d, %s: start %.1f ms, stop %.1f ms, close %.1f ms (load %s)%n", round,
            variant, timing.start(), timing.stop(), timing.close(), Report.load());
      }
    }
    return result;
  }

  /** N bare virtual threads: started until each has counted down, then released until each has ended. */
  private static Timing floor(ThreadFactory factory, int n) throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(n);
    CountDownLatch release = new CountDownLatch(1);
    Runnable body = () -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    Thread[] threads = new Thread[n];
    long began = System.nanoTime();
    for (int i = 0; i < n; i++) {
      threads[i] = factory.newThread(body);
      threads[i].start();
    }
    await(entered, "bare virtual threads never counted down");
    long started = System.nanoTime();
    release.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long stopped = System.nanoTime();
    return new Timing((started - began) / 1e6, (stopped - started) / 1e6, 0);
  }

  /** N workers without dependencies in a fresh engine: started, stopped, closed. */
  private static Timing ours(RunThreadMode mode, int n, Checks checks) throws Exception {
    List<ServiceSpec> specs = StartOrder.flatGraph(n);
    Blocked worker = new Blocked();
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, checks.log, mode);
    StartOrder.Counter counter = new StartOrder.Counter(n);
    engine.addListener(counter);
    try {
      long began = System.nanoTime();
      for (int i = 0; i < n; i++) {
        engine.add(specs.get(i), worker);
      }
      await(counter.running, "workers never became RUNNING");
      long started = System.nanoTime();
      engine.stopAll();
      await(counter.stopped, "workers never became STOPPED");
      long stopped = System.nanoTime();
      engine.close();
      long closed = System.nanoTime();
      checks.afterClose(mode, n, worker);
      return new Timing((started - began) / 1e6, (stopped - started) / 1e6, (closed - stopped) / 1e6);
    } finally {
      engine.close();
      scheduler.shutdown();
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException(latch.getCount() + " " + what);
    }
  }

  private static List<Double> ratios(List<Double> numerators, List<Double> denominators) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < numerators.size(); i++) {
      ratios.add(numerators.get(i) / denominators.get(i));
    }
    return ratios;
  }

  /**
   * Blocks in {@code awaitStop}, as {@link StartOrder.Idle} does, and counts its runs: those that returned, and
   * those on a virtual thread (a shared instance: a worker object holds nothing of a run).
   */
  private static final class Blocked implements Supervised {
    final LongAdder returned = new LongAdder();
    final LongAdder onVirtualThread = new LongAdder();

    @Override
    public void run(RunContext ctx) throws InterruptedException {
      if (onVirtualThread()) {
        onVirtualThread.increment();
      }
      try {
        ctx.awaitStop();
      } finally {
        returned.increment();
      }
    }
  }

  /** What could go wrong on virtual threads and would not show in a time: engine log lines, runs left behind. */
  private static final class Checks {
    final Queue<String> lines = new ConcurrentLinkedQueue<>();
    final EngineLog log = new EngineLog() {
      @Override public void info(String message) {}

      @Override public void warn(String message, Throwable error) {
        lines.add("warn: " + message + (error == null ? "" : " (" + error + ")"));
      }

      @Override public void error(String message, Throwable error) {
        lines.add("error: " + message + (error == null ? "" : " (" + error + ")"));
      }
    };
    final List<String> problems = new ArrayList<>();
    long virtualRuns;
    long platformRuns;
    int engines;
    List<String> leftover = List.of();

    void afterClose(RunThreadMode mode, int n, Blocked worker) {
      engines++;
      if (worker.returned.sum() != n) {
        problems.add(mode + ", N = " + n + ": after close() " + (n - worker.returned.sum())
            + " runs had not returned from awaitStop");
      }
      long onVirtual = worker.onVirtualThread.sum();
      if (mode == RunThreadMode.VIRTUAL) {
        virtualRuns += n;
        if (onVirtual != n) {
          problems.add("VIRTUAL, N = " + n + ": only " + onVirtual + " runs were on a virtual thread");
        }
      } else {
        platformRuns += n;
        if (onVirtual != 0) {
          problems.add("PLATFORM, N = " + n + ": " + onVirtual + " runs were on a virtual thread");
        }
      }
    }

    /** Platform threads of the supervisor's still alive once every engine is closed (the dispatcher's may linger). */
    void leftoverPlatformThreads() throws InterruptedException {
      Thread.sleep(1_000);
      List<String> names = new ArrayList<>();
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.getName().startsWith("supervisor-")) {
          names.add(thread.getName());
        }
      }
      leftover = names;
    }

    void write(Report report) {
      report.line("### Checks").blank()
          .line(String.format("Every start-and-stop engine above (%d engines; %,d runs in VIRTUAL mode, %,d "
                  + "in PLATFORM): after `close()` every run had returned from `awaitStop`, and every VIRTUAL run "
                  + "was on a virtual thread, every PLATFORM run on a platform thread, unless listed here: %s. "
                  + "Lines the engines logged (warnings and errors; the heap engines too): %s. Platform threads named `supervisor-*` "
                  + "alive 1 s after the last engine of the suite was closed: %s.", engines, virtualRuns,
              platformRuns, problems.isEmpty() ? "none" : String.join("; ", problems),
              lines.isEmpty() ? "none" : String.join("; ", new ArrayList<>(lines).subList(0, Math.min(5,
                  lines.size()))) + (lines.size() > 5 ? " (" + lines.size() + " lines in all)" : ""),
              leftover.isEmpty() ? "none" : String.join(", ", leftover)))
          .blank();
    }
  }

  // ---------------------------------------------------------------- heap

  private static final class Heap {
    final List<Double> perWorker = new ArrayList<>();
    List<String> top = List.of();
    int rounds;

    void write(Report report, int n) {
      report.line("### Heap per running worker with its thread").blank()
          .line(rounds + " rounds, each with a fresh VIRTUAL engine: N = " + String.format("%,d", n) + " workers "
              + "blocked in `ctx.awaitStop()`; retained heap is the difference of two class histograms "
              + "(`GC.class_histogram`, after a full GC; as the footprint suite takes them) before the first `add` "
              + "and once all are RUNNING, divided by N. A virtual thread's stack is on the heap (its "
              + "`StackChunk`), so this is the whole worker with its thread; a worker object of its own per worker "
              + "(16 B, the caller's) is held on both sides and not counted, the spec and its name are.")
          .blank()
          .line("| what | N | retained heap per worker |")
          .line("| --- | --- | --- |")
          .line("| ours, VIRTUAL: RUNNING (blocked in `awaitStop`), thread and stack included | "
              + String.format("%,d", n) + " | " + Stats.spread(perWorker, " B") + " |")
          .blank()
          .line("Where the bytes go (last round; per worker, the classes that grew most):")
          .blank()
          .line("| class | per worker |")
          .line("| --- | --- |");
      for (String line : top) {
        report.line("| `" + line.replaceFirst(" ", "` | ") + " |");
      }
      report.blank();
    }
  }

  private static Heap heap(int rounds, int n, Checks checks) throws Exception {
    Heap heap = new Heap();
    heap.rounds = rounds;
    heapRound(Math.min(n, 10_000), checks); // warm-up: every class loaded before the first histogram counts
    for (int round = 0; round < rounds; round++) {
      Report.settle();
      Footprint.Result result = heapRound(n, checks);
      heap.perWorker.add(result.perWorker());
      heap.top = result.top();
      System.out.printf("virtual heap round %d: %.0f B per running worker (load %s)%n", round, result.perWorker(),
          Report.load());
    }
    return heap;
  }

  private static Footprint.Result heapRound(int n, Checks checks) throws Exception {
    return Footprint.running(n, RunThreadMode.VIRTUAL, checks.log, Duration.ofMinutes(5), 14);
  }

  // ---------------------------------------------------------------- restart latency

  private static final class Restarts {
    final Map<String, List<Double>> p50 = new HashMap<>();
    final Map<String, List<Double>> p99 = new HashMap<>();
    final Map<String, List<Double>> p999 = new HashMap<>();
    final List<Double> virtualRatio = new ArrayList<>();
    final List<Double> platformRatio = new ArrayList<>();
    int rounds;
    int samples;

    void add(String what, long[] latencies) {
      int count = latencies.length;
      p50.computeIfAbsent(what, k -> new ArrayList<>()).add(Stats.percentile(latencies, count, 0.50) / 1000.0);
      p99.computeIfAbsent(what, k -> new ArrayList<>()).add(Stats.percentile(latencies, count, 0.99) / 1000.0);
      p999.computeIfAbsent(what, k -> new ArrayList<>()).add(Stats.percentile(latencies, count, 0.999) / 1000.0);
    }

    double lastP50(String what) {
      return p50.get(what).get(p50.get(what).size() - 1);
    }

    void write(Report report) {
      report.line("### Restart latency").blank()
          .line(rounds + " rounds; in each, " + String.format("%,d", samples) + " restarts of one worker in a fresh "
              + "VIRTUAL engine and as many in a fresh PLATFORM engine, then " + String.format("%,d", samples)
              + " hand-offs to a virtual thread and as many to a platform thread: the restart suite's worker and "
              + "floor (restart delay 0, no jitter, a new `RuntimeException` each time, a " + RestartLatency.GAP_MICROS
              + " µs pause after entering `run` before the throw, so every thread is parked when a restart "
              + "begins). In VIRTUAL mode a restart is the run's virtual thread waking the control thread, which "
              + "starts a new virtual thread (a carrier wakes); the virtual floor is the main thread handing a task "
              + "to a parked virtual thread, which hands the answer back. µs, median of the rounds' figures "
              + "(lowest–highest round).")
          .blank()
          .line("| | p50 | p99 | p99.9 |")
          .line("| --- | --- | --- | --- |");
      row(report, "restart, VIRTUAL: `run` throws → next `run` entered", "virtual");
      row(report, "restart, PLATFORM (same JVM)", "platform");
      row(report, "floor: task handed to a parked virtual thread and back", "virtual floor");
      row(report, "floor: task handed to a parked platform thread and back", "platform floor");
      report.line("| ratio restart VIRTUAL / virtual floor (p50, same round) | " + Stats.spread(virtualRatio, "x")
              + " | | |")
          .line("| ratio restart PLATFORM / platform floor (p50, same round) | " + Stats.spread(platformRatio, "x")
              + " | | |")
          .blank();
    }

    private void row(Report report, String title, String what) {
      report.line("| " + title + " | " + Stats.spread(p50.get(what), "") + " | " + Stats.spread(p99.get(what), "")
          + " | " + Stats.spread(p999.get(what), "") + " |");
    }
  }

  private static Restarts restarts(int rounds, int samples) throws Exception {
    RestartLatency.Floor virtualFloor = new RestartLatency.Floor(virtualThreads("floor-other-virtual"));
    RestartLatency.Floor platformFloor = new RestartLatency.Floor();
    RestartLatency.restarts("warm-up-virtual", samples, RunThreadMode.VIRTUAL);
    RestartLatency.restarts("warm-up-platform", samples, RunThreadMode.PLATFORM);
    virtualFloor.roundTrips(samples);
    platformFloor.roundTrips(samples);
    Restarts result = new Restarts();
    result.rounds = rounds;
    result.samples = samples;
    for (int round = 0; round < rounds; round++) {
      Report.settle();
      result.add("virtual", RestartLatency.restarts("virtual-" + round, samples, RunThreadMode.VIRTUAL).latencies());
      Report.settle();
      result.add("platform", RestartLatency.restarts("platform-" + round, samples, RunThreadMode.PLATFORM).latencies());
      Report.settle();
      result.add("virtual floor", virtualFloor.roundTrips(samples));
      Report.settle();
      result.add("platform floor", platformFloor.roundTrips(samples));
      result.virtualRatio.add(result.lastP50("virtual") / result.lastP50("virtual floor"));
      result.platformRatio.add(result.lastP50("platform") / result.lastP50("platform floor"));
      System.out.printf("virtual restart round %d: VIRTUAL p50 %.1f µs (floor %.1f), PLATFORM p50 %.1f µs (floor %.1f) "
              + "(load %s)%n", round, result.lastP50("virtual"), result.lastP50("virtual floor"),
          result.lastP50("platform"), result.lastP50("platform floor"), Report.load());
    }
    virtualFloor.close();
    platformFloor.close();
    return result;
  }

  // ---------------------------------------------------------------- crash storm

  private static List<Storm.Result> storms(Duration length, boolean quick) throws Exception {
    Duration slow = Duration.ofMillis(100);
    Duration fast = Duration.ofMillis(1);
    Predicate<String> virtualCounted = name -> RestartLatency.isSupervisorThread(name) || CARRIER.matcher(name).matches();
    Storm.run(new Storm.Load("warm-up, VIRTUAL", fast, null, false), Duration.ofSeconds(quick ? 1 : 3), false,
        RunThreadMode.VIRTUAL, virtualCounted);
    List<Storm.Result> results = new ArrayList<>();
    results.add(Storm.run(new Storm.Load("every ~100 ms, VIRTUAL", slow, null, false), length, true,
        RunThreadMode.VIRTUAL, virtualCounted));
    results.add(Storm.run(new Storm.Load("every ~1 ms, VIRTUAL", fast, null, false), length, false,
        RunThreadMode.VIRTUAL, virtualCounted));
    results.add(Storm.run(new Storm.Load("every ~100 ms, PLATFORM (same JVM)", slow, null, false), length, false,
        RunThreadMode.PLATFORM, RestartLatency::isSupervisorThread));
    results.add(Storm.run(new Storm.Load("every ~1 ms, PLATFORM (same JVM)", fast, null, false), length, false,
        RunThreadMode.PLATFORM, RestartLatency::isSupervisorThread));
    return results;
  }

  private static void writeStorms(Report report, List<Storm.Result> results) {
    Storm.Result first = results.get(0);
    report.line("### Crash storm").blank()
        .line(String.format("The storm suite's load: %,d workers, each failing a fixed time after entering `run` (it "
            + "waits in `ctx.awaitStop(period)`, then throws), for %d s after %d s of warm-up, restart delay 0, no "
            + "jitter, a fresh engine per load. Restart latency: the worker's throw to its next `run` entered. "
            + "Bytes and CPU per restart, VIRTUAL: every `supervisor-*` platform thread (control, timer, "
            + "dispatcher) and the virtual threads' carriers (`ForkJoinPool-1-worker-*`, which run every virtual "
            + "thread and so every run, `stop()` call and worker's throw) with JDK 25's timer for virtual threads' "
            + "timed waits (`ForkJoinPool-1-delayScheduler`, which wakes each `awaitStop(period)`); nothing else "
            + "runs on virtual threads in this JVM while a storm rages. PLATFORM: every `supervisor-*` thread, as "
            + "the storm suite counts (a timed wait is woken by the kernel there, and not counted).",
            Storm.WORKERS, first.seconds.length, Storm.WARM_UP.toSeconds()))
        .blank()
        .line("| load | restarts/s | p50 / p99 latency | control CPU | queued (max) | B per restart | CPU per restart |")
        .line("| --- | --- | --- | --- | --- | --- | --- |");
    for (Storm.Result result : results) {
      report.line("| " + result.load.describe() + " | " + Stats.num(result.perSecond()) + " | " + ms(result.p50)
          + " / " + ms(result.p99) + " | " + String.format("%.0f%%", result.controlCpu() * 100) + " | "
          + String.format("%,d", result.maxQueued()) + " | " + Stats.num(result.bytesPerRestart()) + " | "
          + Stats.num(result.cpuMicrosPerRestart()) + " µs |");
    }
    report.blank()
        .line("Worst second, " + first.load.describe() + ": p50 " + ms(first.worstP50()) + ", p99 "
            + ms(first.worstP99()) + ". Restarts per second, " + results.get(1).load.describe() + ": "
            + Arrays.toString(Arrays.stream(results.get(1).seconds).mapToLong(s -> s.restarts).toArray())
            + ". At the end of the first load (with a prober reading `info` and `services()` as in the storm suite), "
            + "`stopAll()` returned after " + ms(first.stopAllReturned) + " and every worker was STOPPED "
            + ms(first.allStopped) + " after it was called.")
        .blank();
  }

  private static String ms(long nanos) {
    if (nanos < 1_000_000) {
      return Stats.num(nanos / 1000.0) + " µs";
    }
    return Stats.num(nanos / 1e6) + " ms";
  }
}
