package dev.supervisor.bench;

import com.google.common.util.concurrent.AbstractService;
import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.EngineLog;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.SystemScheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Item 4, heap: retained heap per registered idle worker and per running worker (heap only: a run thread's
 * stack is native memory and not counted), from class histograms before and after (a full GC each), divided
 * by N; beside it Guava's {@code ServiceManager} holding N services. Also the CPU the supervisor's threads use
 * in 10 s with 1,000 workers running and nothing failing (the process-wide figure, beside an empty
 * framework, is in the Felix suite).
 */
public final class Footprint {
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
        .line("| what | N | retained heap per worker |")
        .line("| --- | --- | --- |")
        .line("| ours: registered, IDLE (`autoStart(false)`) | " + String.format("%,d", idleN) + " | "
            + Stats.spread(idle, " B") + " |")
        .line("| ours: RUNNING (blocked in `awaitStop`), heap only, thread stack aside | " + String.format("%,d", runningN)
            + " | " + Stats.spread(running, " B") + " |")
        .line("| Guava: `ServiceManager` over N new `AbstractService`s (service objects counted) | "
            + String.format("%,d", idleN) + " | " + Stats.spread(guava, " B") + " |")
        .line("| ratio ours idle / Guava (same round) | | " + Stats.spread(ratio, "x") + " |")
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
    report.target("under 2 KiB retained heap per idle worker", Stats.num(idleMedian) + " B (Guava "
        + Stats.num(Stats.median(guava)) + " B)", idleMedian < 2048);
    report.write(Report.work());
    System.exit(0);
  }

  private static String row(List<String> lines, int k) {
    return lines != null && k < lines.size() ? "`" + lines.get(k).replaceFirst(" ", "` ") : "";
  }

  private record Result(double perWorker, List<String> top) {}

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
    List<Supervised> workers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      workers.add(new StartOrder.Idle());
    }
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, EngineLog.QUIET);
    StartOrder.Counter counter = new StartOrder.Counter(n);
    engine.addListener(counter);
    try {
      engine.sync();
      Histogram before = Histogram.take();
      for (int i = 0; i < n; i++) {
        engine.add(ServiceSpec.builder("running-worker-" + i).build(), workers.get(i));
      }
      if (!counter.running.await(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException("workers did not start");
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
