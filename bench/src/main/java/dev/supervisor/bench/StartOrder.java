package dev.supervisor.bench;

import com.google.common.util.concurrent.AbstractExecutionThreadService;
import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.EngineLog;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.SystemScheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Item 2: starting N workers in dependency order, from the first {@code add} to all RUNNING, and
 * {@code stopAll} to all STOPPED; beside it the same N without dependencies and Guava's {@code ServiceManager}
 * starting N equivalent services (each a thread that blocks until stopped). A fresh engine (and a fresh
 * manager) per measurement, so no pooled thread of an earlier one is reused. Each round measures every N
 * and every variant, in rotating order, so the ratios compare figures taken side by side.
 */
public final class StartOrder {
  static final int LAYERS = 10;

  private StartOrder() {}

  private enum Variant {
    LAYERED("ours, layered graph"), FLAT("ours, no dependencies"), GUAVA("Guava `ServiceManager`");

    final String title;

    Variant(String title) {
      this.title = title;
    }
  }

  /**
   * Start and stop time of one measurement, ms; for ours also {@code close()} after the stop (ending the
   * engine's threads), zero for Guava, whose threads end with its services.
   */
  private record Timing(double start, double stop, double close) {
    double stopAndClose() {
      return stop + close;
    }
  }

  /** Measured with the no-dependency graph and Guava only, in fewer rounds: each start takes tens of seconds. */
  static final int LARGE = 30_000;

  public static void main(String[] args) throws Exception {
    boolean quick = Report.quick();
    int[] sizes = quick ? new int[] {100, 1_000} : new int[] {100, 1_000, 10_000};
    int rounds = quick ? 2 : 5;
    int largeRounds = quick ? 0 : 2;
    Map<Integer, List<ServiceSpec>> layered = new HashMap<>();
    Map<Integer, List<ServiceSpec>> flat = new HashMap<>();
    Map<Integer, Integer> edges = new HashMap<>();
    for (int n : sizes) {
      layered.put(n, layeredGraph(n, new Random(42)));
      flat.put(n, flatGraph(n));
      edges.put(n, layered.get(n).stream().mapToInt(s -> s.dependsOn().size()).sum());
    }
    // Warm-up: every path compiled before anything counts.
    for (int i = 0; i < (quick ? 1 : 3); i++) {
      ours(layered.get(1_000));
      ours(flat.get(1_000));
      guava(1_000);
    }
    Map<String, List<Double>> starts = new HashMap<>();
    Map<String, List<Double>> stops = new HashMap<>();
    Map<String, List<Double>> stopsAndCloses = new HashMap<>();
    Variant[] variants = Variant.values();
    for (int round = 0; round < rounds; round++) {
      for (int n : sizes) {
        for (int v = 0; v < variants.length; v++) {
          Variant variant = variants[(v + round) % variants.length];
          Report.settle();
          Timing timing = switch (variant) {
            case LAYERED -> ours(layered.get(n));
            case FLAT -> ours(flat.get(n));
            case GUAVA -> guava(n);
          };
          record(starts, stops, stopsAndCloses, variant + "/" + n, timing);
          System.out.printf("start round %d, N=%d, %s: start %.1f ms, stop %.1f ms, close %.1f ms (load %s)%n", round,
              n, variant, timing.start(), timing.stop(), timing.close(), Report.load());
        }
      }
    }
    List<ServiceSpec> large = flatGraph(LARGE);
    for (int round = 0; round < largeRounds; round++) {
      for (int v = 0; v < 2; v++) {
        boolean guavaFirst = (v + round) % 2 == 0;
        Report.settle();
        Timing timing = guavaFirst ? guava(LARGE) : ours(large);
        Variant variant = guavaFirst ? Variant.GUAVA : Variant.FLAT;
        record(starts, stops, stopsAndCloses, variant + "/" + LARGE, timing);
        System.out.printf("start round %d, N=%d, %s: start %.1f ms, stop %.1f ms, close %.1f ms (load %s)%n", round,
            LARGE, variant, timing.start(), timing.stop(), timing.close(), Report.load());
      }
    }

    Report report = new Report("start", "2. Start and stop in dependency order");
    report.line(rounds + " rounds; in each, every N and every variant once, in rotating order. Layered graph: "
        + LAYERS + " layers of N/" + LAYERS + " workers, each worker after the first layer depending on 1 to 3 "
        + "random workers of the layer before (seeded). Workers block in `ctx.awaitStop()`; Guava's services are "
        + "`AbstractExecutionThreadService`s that block on a latch until `triggerShutdown`. Start: ours from the "
        + "first `add` to the last RUNNING update a listener receives; Guava from `new ServiceManager(services)` "
        + "to `startAsync().awaitHealthy()` returning. Stop: `stopAll()` to the last STOPPED update; Guava "
        + "`stopAsync().awaitStopped()`; close: ours `close()` after the stop (it returns once no worker code runs; "
        + "idle threads end after it, as Guava's end after `awaitStopped`: neither exit is timed, and each "
        + "measurement waits for the last one's threads to be gone before it begins). ms, median (lowest–highest round). N = " + String.format("%,d", LARGE) + ": no-dependency "
        + "graph and Guava only, " + largeRounds + " rounds after the others (each start takes tens of seconds).")
        .blank()
        .line("| N | edges | start, layered | start, no dependencies | start, Guava | stop, layered | "
            + "stop, no dependencies | stop, Guava |")
        .line("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (int n : sizes) {
      report.line("| " + String.format("%,d", n) + " | " + String.format("%,d", edges.get(n)) + " | "
          + Stats.spread(starts.get(Variant.LAYERED + "/" + n), "") + " | "
          + Stats.spread(starts.get(Variant.FLAT + "/" + n), "") + " | "
          + Stats.spread(starts.get(Variant.GUAVA + "/" + n), "") + " | "
          + Stats.spread(stops.get(Variant.LAYERED + "/" + n), "") + " | "
          + Stats.spread(stops.get(Variant.FLAT + "/" + n), "") + " | "
          + Stats.spread(stops.get(Variant.GUAVA + "/" + n), "") + " |");
    }
    if (largeRounds > 0) {
      report.line("| " + String.format("%,d", LARGE) + " | 0 | | " + Stats.spread(starts.get(Variant.FLAT + "/" + LARGE), "")
          + " | " + Stats.spread(starts.get(Variant.GUAVA + "/" + LARGE), "") + " | | "
          + Stats.spread(stops.get(Variant.FLAT + "/" + LARGE), "") + " | "
          + Stats.spread(stops.get(Variant.GUAVA + "/" + LARGE), "") + " |");
    }
    report.blank().line("Ending the engine's threads after the stop (`close()`), no dependencies: ms, median (lowest–highest round); "
        + "and the whole of `stopAll()` plus `close()` over Guava's stop, same round:").blank()
        .line("| N | close | stop + close / Guava stop |").line("| --- | --- | --- |");
    List<Integer> closeSizes = new ArrayList<>();
    for (int n : sizes) {
      closeSizes.add(n);
    }
    if (largeRounds > 0) {
      closeSizes.add(LARGE);
    }
    for (int n : closeSizes) {
      List<Double> closes = new ArrayList<>();
      List<Double> flatStopsAndCloses = stopsAndCloses.get(Variant.FLAT + "/" + n);
      List<Double> flatStops = stops.get(Variant.FLAT + "/" + n);
      for (int i = 0; i < flatStops.size(); i++) {
        closes.add(flatStopsAndCloses.get(i) - flatStops.get(i));
      }
      report.line("| " + String.format("%,d", n) + " | " + Stats.spread(closes, "") + " | "
          + Stats.spread(ratios(flatStopsAndCloses, stops.get(Variant.GUAVA + "/" + n)), "x") + " |");
    }
    report.blank().line("Ratios, each taken within one round, then the median (lowest–highest round):").blank()
        .line("| N | no dependencies / Guava (start) | layered / no dependencies (start) | "
            + "no dependencies / Guava (stop) | µs per worker, layered start |")
        .line("| --- | --- | --- | --- | --- |");
    boolean flatVsGuava = true;
    boolean layeredVsFlat = true;
    StringBuilder flatVsGuavaText = new StringBuilder();
    StringBuilder layeredVsFlatText = new StringBuilder();
    for (int n : closeSizes) {
      List<Double> fg = ratios(starts.get(Variant.FLAT + "/" + n), starts.get(Variant.GUAVA + "/" + n));
      List<Double> fgStop = ratios(stops.get(Variant.FLAT + "/" + n), stops.get(Variant.GUAVA + "/" + n));
      flatVsGuava &= Stats.median(fg) <= 1.0;
      flatVsGuavaText.append(flatVsGuavaText.isEmpty() ? "" : ", ").append(String.format("%,d", n)).append(": ")
          .append(Stats.num(Stats.median(fg))).append('x');
      if (n == LARGE) {
        report.line("| " + String.format("%,d", n) + " | " + Stats.spread(fg, "x") + " | | " + Stats.spread(fgStop, "x")
            + " | |");
        continue;
      }
      List<Double> lf = ratios(starts.get(Variant.LAYERED + "/" + n), starts.get(Variant.FLAT + "/" + n));
      List<Double> perWorker = starts.get(Variant.LAYERED + "/" + n).stream().map(ms -> ms * 1000 / n).toList();
      report.line("| " + String.format("%,d", n) + " | " + Stats.spread(fg, "x") + " | " + Stats.spread(lf, "x")
          + " | " + Stats.spread(fgStop, "x") + " | " + Stats.spread(perWorker, "") + " |");
      layeredVsFlat &= Stats.median(lf) <= 1.5;
      layeredVsFlatText.append(layeredVsFlatText.isEmpty() ? "" : ", ").append(String.format("%,d", n)).append(": ")
          .append(Stats.num(Stats.median(lf))).append('x');
    }
    report.target("no-dependency start at most 1.0x Guava's (goal 0.5x)", flatVsGuavaText.toString(), flatVsGuava);
    report.target("layered start within 1.5x our no-dependency start", layeredVsFlatText.toString(), layeredVsFlat);
    if (largeRounds > 0) {
      double closing = Stats.median(ratios(stopsAndCloses.get(Variant.FLAT + "/" + LARGE),
          stops.get(Variant.GUAVA + "/" + LARGE)));
      report.target("`stopAll()` + `close()` of " + String.format("%,d", LARGE) + " workers at most 1.0x Guava's stop",
          Stats.num(closing) + "x (" + Stats.num(Stats.median(stopsAndCloses.get(Variant.FLAT + "/" + LARGE)))
              + " ms vs " + Stats.num(Stats.median(stops.get(Variant.GUAVA + "/" + LARGE))) + " ms)", closing <= 1.0);
    }
    if (sizes.length == 3) {
      List<Double> growth = ratios(starts.get(Variant.LAYERED + "/" + 10_000), starts.get(Variant.LAYERED + "/" + 1_000));
      List<Double> stopGrowth = ratios(stops.get(Variant.LAYERED + "/" + 10_000),
          stops.get(Variant.LAYERED + "/" + 1_000));
      report.blank().line("Growth from N = 1,000 to 10,000 (layered, same round): start " + Stats.spread(growth, "x")
          + ", stop " + Stats.spread(stopGrowth, "x") + " (N + edges grow "
          + Stats.num((10_000.0 + edges.get(10_000)) / (1_000.0 + edges.get(1_000))) + "x).");
      report.target("growth from 1,000 to 10,000 workers (layered) at most 12x, start and stop",
          "start " + Stats.num(Stats.median(growth)) + "x, stop " + Stats.num(Stats.median(stopGrowth)) + "x",
          Stats.median(growth) <= 12.0 && Stats.median(stopGrowth) <= 12.0);
    }
    // Where the time goes: a sampled profile of more starts of the no-dependency graph (not counted above).
    int profiledN = quick ? 1_000 : 10_000;
    List<String> profile = Profile.sample(Report.work().resolve("start.jfr"),
        thread -> thread.startsWith("supervisor-") || thread.equals("main"), 16, () -> {
          ours(flat.get(profiledN));
        });
    report.blank().line("Profile of one more no-dependency start and stop of N = " + String.format("%,d", profiledN)
        + " (Flight Recorder, 1 ms sampling of the `supervisor-*` threads and of the thread that calls `add`; a "
        + "method's share counts every sample it is on the stack of):").blank().line("```");
    profile.forEach(report::line);
    report.line("```").blank();
    report.write(Report.work());
    System.exit(0);
  }

  private static void record(Map<String, List<Double>> starts, Map<String, List<Double>> stops,
      Map<String, List<Double>> stopsAndCloses, String key, Timing timing) {
    starts.computeIfAbsent(key, k -> new ArrayList<>()).add(timing.start());
    stops.computeIfAbsent(key, k -> new ArrayList<>()).add(timing.stop());
    stopsAndCloses.computeIfAbsent(key, k -> new ArrayList<>()).add(timing.stopAndClose());
  }

  private static List<Double> ratios(List<Double> numerators, List<Double> denominators) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < numerators.size(); i++) {
      ratios.add(numerators.get(i) / denominators.get(i));
    }
    return ratios;
  }

  /** N workers in {@link #LAYERS} layers, each after the first depending on 1 to 3 of the layer before. */
  static List<ServiceSpec> layeredGraph(int n, Random random) {
    int perLayer = n / LAYERS;
    List<ServiceSpec> specs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int layer = i / perLayer;
      ServiceSpec.Builder builder = ServiceSpec.builder(name(i));
      if (layer > 0) {
        int previous = (layer - 1) * perLayer;
        Set<String> dependencies = new LinkedHashSet<>();
        int count = 1 + random.nextInt(3);
        while (dependencies.size() < Math.min(count, perLayer)) {
          dependencies.add(name(previous + random.nextInt(perLayer)));
        }
        builder.dependsOn(List.copyOf(dependencies));
      }
      specs.add(builder.build());
    }
    return specs;
  }

  static List<ServiceSpec> flatGraph(int n) {
    List<ServiceSpec> specs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      specs.add(ServiceSpec.builder(name(i)).build());
    }
    return specs;
  }

  private static String name(int i) {
    return "worker-" + i;
  }

  private static Timing ours(List<ServiceSpec> specs) throws Exception {
    int n = specs.size();
    List<Supervised> workers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      workers.add(new Idle());
    }
    int threadsBefore = Thread.activeCount();
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, EngineLog.QUIET);
    Counter counter = new Counter(n);
    engine.addListener(counter);
    try {
      long began = System.nanoTime();
      for (int i = 0; i < n; i++) {
        engine.add(specs.get(i), workers.get(i));
      }
      await(counter.running, "RUNNING");
      long started = System.nanoTime();
      long stopping = System.nanoTime();
      engine.stopAll();
      await(counter.stopped, "STOPPED");
      long stopped = System.nanoTime();
      engine.close();
      long closed = System.nanoTime();
      return new Timing((started - began) / 1e6, (stopped - stopping) / 1e6, (closed - stopped) / 1e6);
    } finally {
      engine.close(); // again, if something above threw: a second close does nothing
      scheduler.shutdown();
      awaitThreadsEnded(threadsBefore);
    }
  }

  private static Timing guava(int n) {
    int threadsBefore = Thread.activeCount();
    List<Service> services = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      services.add(new GuavaIdle());
    }
    long began = System.nanoTime();
    ServiceManager manager = new ServiceManager(services);
    manager.startAsync().awaitHealthy();
    long started = System.nanoTime();
    long stopping = System.nanoTime();
    manager.stopAsync().awaitStopped();
    long stopped = System.nanoTime();
    awaitThreadsEnded(threadsBefore);
    return new Timing((started - began) / 1e6, (stopped - stopping) / 1e6, 0);
  }

  /**
   * Not timed: neither side waits for its threads' exit (Guava's end after {@code awaitStopped}, our idle
   * ones after {@code close()}), and ending thousands of platform threads takes the JVM seconds; the next
   * measurement must not pay for them.
   */
  private static void awaitThreadsEnded(int threadsBefore) {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (Thread.activeCount() > threadsBefore && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(5, TimeUnit.MINUTES)) {
      throw new IllegalStateException(latch.getCount() + " workers never became " + what);
    }
  }

  /** Counts the updates to RUNNING and to STOPPED (each worker reaches each once: nothing fails). */
  static final class Counter implements SupervisorListener {
    final CountDownLatch running;
    final CountDownLatch stopped;

    Counter(int n) {
      running = new CountDownLatch(n);
      stopped = new CountDownLatch(n);
    }

    @Override
    public void statusChanged(StatusUpdate update) {
      if (update.newState() == State.RUNNING) {
        running.countDown();
      } else if (update.newState() == State.STOPPED) {
        stopped.countDown();
      }
    }
  }

  /** Works until asked to stop. */
  static final class Idle implements Supervised {
    @Override
    public void run(RunContext ctx) throws InterruptedException {
      ctx.awaitStop();
    }
  }

  /** Guava's equivalent: its own thread, blocked until shut down. */
  private static final class GuavaIdle extends AbstractExecutionThreadService {
    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    protected void run() throws InterruptedException {
      stop.await();
    }

    @Override
    protected void triggerShutdown() {
      stop.countDown();
    }
  }
}
