package dev.supervisor.bench;

import com.google.common.util.concurrent.AbstractService;
import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.EngineLog;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.RunThreadMode;
import dev.supervisor.impl.engine.SystemScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Item 4, heap: retained heap per registered idle worker and per running worker (heap only: a run thread's
 * stack is native memory and not counted), from class histograms before and after (a full GC each), divided
 * by N; beside it Guava's {@code ServiceManager} holding N services. Also the CPU the supervisor's threads use
 * in 10 s with 1,000 workers running and nothing failing (the process-wide figure, beside an empty
 * framework, is in the Felix suite).
 */
public final class Footprint {
  /** Issue 15's target 5 for an idle registered worker, in bytes. */
  static final int IDLE_TARGET = 600;

  /**
   * The figures of this suite on the engine before issue 15 (measured 2026-12-02), shown beside today's: an
   * idle worker, a running one, Guava's service, and the ratio of the first to the last.
   */
  private static final String[] BEFORE = {"1,077 B", "2,021 B", "827 B", "1.30x"};

  /**
   * What each class that an idle worker adds is for, to name where the bytes go. A class not listed here is
   * named by its class alone.
   */
  private static final Map<String, String> ROLES = roles();

  private Footprint() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Report.quick();
    int idleN = quick ? 2_000 : 10_000;
    int runningN = 1_000;
    int rounds = quick ? 2 : 5;
    long idleSeconds = quick ? 2 : 10;
    idle(1_000); // warm-up: every class loaded and initialised before the first histogram
    running(100);
    guava(1_000);

    List<Double> idle = new ArrayList<>();
    List<Double> running = new ArrayList<>();
    List<Double> guava = new ArrayList<>();
    List<String> idleTop = null;
    List<String> runningTop = null;
    List<String> guavaTop = null;
    for (int round = 0; round < rounds; round++) {
      Result i = idle(idleN);
      Result r = running(runningN);
      Result g = guava(idleN);
      idle.add(i.perWorker);
      running.add(r.perWorker);
      guava.add(g.perWorker);
      idleTop = i.top;
      runningTop = r.top;
      guavaTop = g.top;
      System.out.printf("footprint round %d: idle %.0f B, running %.0f B, Guava %.0f B (load %s)%n", round,
          i.perWorker, r.perWorker, g.perWorker, Report.load());
    }
    List<Double> ratio = new ArrayList<>();
    for (int k = 0; k < rounds; k++) {
      ratio.add(idle.get(k) / guava.get(k));
    }

    // CPU of the supervisor's threads while 1,000 workers run and nothing fails.
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, EngineLog.QUIET);
    StartOrder.Counter counter = new StartOrder.Counter(runningN);
    engine.addListener(counter);
    for (ServiceSpec spec : StartOrder.flatGraph(runningN)) {
      engine.add(spec, new StartOrder.Idle());
    }
    counter.running.await(1, TimeUnit.MINUTES);
    Thread.sleep(1_000);
    var cpuBefore = Profile.cpuByThread();
    Thread.sleep(TimeUnit.SECONDS.toMillis(idleSeconds));
    double idleCpuMs = Profile.cpuSince(cpuBefore, RestartLatency::isSupervisorThread) / 1e6;
    engine.close();
    scheduler.shutdown();

    Report report = new Report("footprint", "4. Footprint");
    report.line(rounds + " rounds, each with a fresh engine; bytes per worker, median (lowest–highest round). "
        + "Retained heap is the difference of two class histograms (`GC.class_histogram`, after a full GC), divided "
        + "by N. The worker object itself (16 B, the caller's) is held on both sides and not counted; the spec "
        + "and its name are (the engine keeps them).")
        .blank()
        .line("| what | N | retained heap per worker | before issue 15 (2026-12-02) |")
        .line("| --- | --- | --- | --- |")
        .line("| ours: registered, IDLE (`autoStart(false)`) | " + String.format("%,d", idleN) + " | "
            + Stats.spread(idle, " B") + " | " + BEFORE[0] + " |")
        .line("| ours: RUNNING (blocked in `awaitStop`), heap only, thread stack aside | " + String.format("%,d", runningN)
            + " | " + Stats.spread(running, " B") + " | " + BEFORE[1] + " |")
        .line("| Guava: `ServiceManager` over N new `AbstractService`s (service objects counted) | "
            + String.format("%,d", idleN) + " | " + Stats.spread(guava, " B") + " | " + BEFORE[2] + " |")
        .line("| ratio ours idle / Guava (same round) | | " + Stats.spread(ratio, "x") + " | " + BEFORE[3] + " |")
        .blank()
        .line("Between that measurement and issue 15 the five `Duration`s an idle worker held had gone already (1,004 B "
            + "by the same method). Issue 15 made lazy what an idle worker never uses: its counts and times "
            + "(`ServiceMetrics`, with its restart window), its failure-log quota, its waiter lists, its run thread's "
            + "name and its dependency-graph entry; and its snapshot no longer copies the counts (one shared set of "
            + "zeros until it first runs), nor its name and dependencies (its spec's).")
        .blank()
        .line(whatTheRestIs(idleTop))
        .blank()
        .line("CPU of all `supervisor-*` threads in " + idleSeconds + " s with " + String.format("%,d", runningN)
            + " workers RUNNING and nothing failing: " + Stats.num(idleCpuMs) + " ms.")
        .blank()
        .line("Where the bytes go (last round; per worker, classes that grew most):")
        .blank()
        .line("| idle worker | running worker (all of it: entry, run, thread objects) | Guava service |")
        .line("| --- | --- | --- |");
    for (int k = 0; k < 12; k++) {
      report.line("| " + row(idleTop, k) + " | " + row(runningTop, k) + " | " + row(guavaTop, k) + " |");
    }
    report.blank();
    double idleMedian = Stats.median(idle);
    report.target("at most " + IDLE_TARGET + " B retained heap per idle worker", Stats.num(idleMedian)
        + " B (Guava " + Stats.num(Stats.median(guava)) + " B; before issue 15 " + BEFORE[0] + ")",
        idleMedian <= IDLE_TARGET);
    report.write(Report.work());
    System.exit(0);
  }

  /** @return one sentence naming what each class an idle worker adds (8 B or more of it) is for, and its bytes */
  private static String whatTheRestIs(List<String> idleTop) {
    List<String> parts = new ArrayList<>();
    for (String line : idleTop == null ? List.<String>of() : idleTop) {
      String[] fields = line.split(" "); // "class bytes B (n objects)"
      double bytes = Double.parseDouble(fields[1]);
      if (bytes >= 8) {
        String role = ROLES.get(fields[0]);
        parts.add((role == null ? "" : role + " ") + "(`" + fields[0] + "`, " + fields[1] + " B)");
      }
    }
    return "What an idle worker's bytes are (last round, largest first, classes of 8 B or more): "
        + String.join(", ", parts) + ".";
  }

  private static Map<String, String> roles() {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("dev.supervisor.impl.engine.ServiceEntry", "the control thread's record of it");
    roles.put("dev.supervisor.api.ServiceSpec", "its spec");
    roles.put("dev.supervisor.impl.engine.Snapshot", "its published snapshot");
    roles.put("java.util.HashMap$Node", "its entries in the service table by name and by id");
    roles.put("java.util.LinkedHashMap$Entry", "its place among its group's members");
    roles.put("[B", "the characters of its name");
    roles.put("java.util.concurrent.ConcurrentHashMap$Node", "its entry in the published view");
    roles.put("java.lang.String", "its name");
    roles.put("java.time.Instant", "the moment it was registered, shared by its state and its snapshot");
    roles.put("java.lang.Long", "its id, boxed as the key by id");
    roles.put("[Ljava.util.HashMap$Node;", "the tables of those maps");
    roles.put("dev.supervisor.impl.engine.WorkerSource$1", "the source that hands the worker to each run");
    return roles;
  }

  private static String row(List<String> lines, int k) {
    return lines != null && k < lines.size() ? "`" + lines.get(k).replaceFirst(" ", "` ") : "";
  }

  /** Bytes per worker, and the classes that grew most. */
  record Result(double perWorker, List<String> top) {}

  private static Result idle(int n) throws Exception {
    List<Supervised> workers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      workers.add(new StartOrder.Idle());
    }
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, EngineLog.QUIET);
    try {
      engine.sync();
      Histogram before = Histogram.take();
      for (int i = 0; i < n; i++) {
        engine.add(ServiceSpec.builder("idle-worker-" + i).autoStart(false).build(), workers.get(i));
      }
      engine.sync();
      Histogram after = Histogram.take();
      return new Result(after.bytesSince(before, n), after.topSince(before, n, 12));
    } finally {
      engine.close();
      scheduler.shutdown();
      workers.clear();
    }
  }

  private static Result running(int n) throws Exception {
    return running(n, RunThreadMode.PLATFORM, EngineLog.QUIET, Duration.ofMinutes(1), 12);
  }

  /**
   * Heap retained per RUNNING worker (blocked in {@code awaitStop}), by class histograms before the first add
   * and once all are RUNNING; the virtual suite measures it on virtual threads, where the stack is on the heap.
   *
   * @param startWithin a deadline for all to be RUNNING, so that a broken engine fails instead of hanging
   * @param top how many of the classes that grew most to list
   */
  static Result running(int n, RunThreadMode mode, EngineLog log, Duration startWithin, int top) throws Exception {
    List<Supervised> workers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      workers.add(new StartOrder.Idle());
    }
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, log, mode);
    StartOrder.Counter counter = new StartOrder.Counter(n);
    engine.addListener(counter);
    try {
      engine.sync();
      Histogram before = Histogram.take();
      for (int i = 0; i < n; i++) {
        engine.add(ServiceSpec.builder("running-worker-" + i).build(), workers.get(i));
      }
      if (!counter.running.await(startWithin.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException(counter.running.getCount() + " workers did not start");
      }
      engine.sync();
      Histogram after = Histogram.take();
      return new Result(after.bytesSince(before, n), after.topSince(before, n, top));
    } finally {
      engine.close();
      scheduler.shutdown();
      workers.clear();
    }
  }

  private static Result guava(int n) throws Exception {
    Histogram before = Histogram.take();
    List<Service> services = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      services.add(new GuavaNoop());
    }
    ServiceManager manager = new ServiceManager(services);
    Histogram after = Histogram.take();
    Result result = new Result(after.bytesSince(before, n), after.topSince(before, n, 12));
    java.lang.ref.Reference.reachabilityFence(manager); // reachable until the histogram is taken
    java.lang.ref.Reference.reachabilityFence(services);
    return result;
  }

  /** The smallest Guava service: starts and stops at once. */
  private static final class GuavaNoop extends AbstractService {
    @Override
    protected void doStart() {
      notifyStarted();
    }

    @Override
    protected void doStop() {
      notifyStopped();
    }
  }
}
