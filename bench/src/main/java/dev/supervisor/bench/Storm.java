package dev.supervisor.bench;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Strategy;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.EngineLog;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.RunThreadMode;
import dev.supervisor.impl.engine.SystemScheduler;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Crash storms (issue 12): 1,000 workers that each fail a fixed time after entering {@code run}, for a fixed
 * time, restart delay 0, no jitter, no limits in force, a fresh engine per load. Each worker times its own
 * restarts (its throw to its next {@code run} entered); a sampler reads the control thread's CPU time and the
 * depth of its mailbox. During the first load a prober reads {@code info} and {@code services()} as an
 * operator's tool would, and at its end {@code stopAll} is timed until every worker is STOPPED.
 *
 * <p>Then one worker restarted back to back (no pause) 1,000,000 times in one 60 s window: the time, bytes
 * and CPU per restart of the first 100,000 against the last 100,000, which shows whether a restart's cost
 * grows with the restarts before it.
 */
public final class Storm {
  static final int WORKERS = 1_000;
  /** How long each storm rages before its measured seconds begin (thread creation, the JIT). */
  static final Duration WARM_UP = Duration.ofSeconds(2);
  private static final int GROUPS = 10;

  private Storm() {}

  /** One storm: how often each worker fails, how its workers are grouped, whether a listener is attached. */
  record Load(String label, Duration period, Strategy strategy, boolean listener, boolean preallocated) {
    Load(String label, Duration period, Strategy strategy, boolean listener) {
      this(label, period, strategy, listener, false);
    }

    String describe() {
      return label + (strategy == null ? "" : ", in " + GROUPS + " groups " + strategy)
          + (listener ? ", one listener" : "")
          + (preallocated ? ", the worker throws one preallocated exception (the restart path alone)" : "");
    }
  }

  public static void main(String[] args) throws Exception {
    boolean quick = Report.quick();
    Duration length = Duration.ofSeconds(quick ? 2 : 10);
    Report report = new Report("storm", "5. Crash storms");
    Duration slow = Duration.ofMillis(100);
    Duration fast = Duration.ofMillis(1);
    run(new Load("warm-up", fast, null, false), Duration.ofSeconds(quick ? 1 : 3), false);

    List<Result> results = new ArrayList<>();
    results.add(run(new Load("every ~100 ms", slow, null, false), length, true));
    results.add(run(new Load("every ~1 ms", fast, null, false), length, false));
    results.add(run(new Load("every ~1 ms", fast, Strategy.ONE_FOR_ONE, false), length, false));
    results.add(run(new Load("every ~1 ms", fast, Strategy.ONE_FOR_ALL, false), length, false));
    results.add(run(new Load("every ~100 ms", slow, null, true), length, false));
    results.add(run(new Load("every ~1 ms", fast, null, true), length, false));
    Result restartPath = run(new Load("every ~1 ms", fast, null, false, true), length, false);
    results.add(restartPath);
    List<FelixStorm.Outcome> inFelix = new ArrayList<>();
    try (FelixStorm felix = new FelixStorm(length, fast)) {
      inFelix.add(felix.run(new Load("every ~100 ms, in Felix (listener, JMX, Event Admin)", slow, null, true), length));
      inFelix.add(felix.run(new Load("every ~1 ms, in Felix (listener, JMX, Event Admin)", fast, null, true), length));
    }
    BackToBack backToBack = backToBack(quick ? 200_000 : 1_000_000);
    // Where the time goes in the saturating storm: a sampled profile of one more (shorter) run, not counted above.
    List<String> profile = Profile.sample(Report.work().resolve("storm.jfr"), RestartLatency::isSupervisorThread, 20,
        () -> run(new Load("profiled", fast, null, false), Duration.ofSeconds(3), false));

    report.line(String.format("%,d workers, each failing a fixed time after entering `run` (it waits in "
        + "`ctx.awaitStop(period)`, then throws a new `RuntimeException`), for %d s; restart delay 0, no jitter, no "
        + "limits in force (groups: `failureThreshold` infinite), a fresh engine per load, `EngineLog.QUIET`. "
        + "Restart latency: the worker's throw to its next `run` entered, timed by the worker. Control CPU: the "
        + "`supervisor-control` thread's CPU time over wall time. Queued: the most messages waiting for the control "
        + "thread, sampled every 10 ms. Bytes and CPU per restart: every `supervisor-*` thread together (the "
        + "control thread, run threads with the worker's own throw, timer, dispatcher), divided by the restarts.",
        WORKERS, length.toSeconds())).line("Each storm rages for " + WARM_UP.toSeconds() + " s before its measured "
        + "seconds begin (the first runs create the pool's 1,000 threads); the engine is fresh for each load.")
        .blank();
    report.line("| load | restarts/s | p50 / p99 latency | control CPU | queued (max) | B per restart (all threads) | "
        + "CPU per restart (all threads) |");
    report.line("| --- | --- | --- | --- | --- | --- | --- |");
    report.line("| **before** (issue 12, measured on main before this change): every ~100 ms, 10 s | 6,900 | "
        + "18 ms / 627 ms | 33% first second, 94-99% from the fourth | ~1,000 | | |");
    report.line("| **before**: every ~1 ms, 5 s | 9,500 | 74 ms / 746 ms | 85% -> 100% | | | |");
    report.line("| **before**: one worker back to back | | 88 µs p50 | | | 250,000 | ~115 µs |");
    report.line("| **before**, measured here on 2026-12-02 with the engine of commit 66f69c3 (bench suite restart, "
        + "one worker with a 100 µs pause before each throw) | | 31.1 µs p50 / 185 µs p99, floor 8.97 µs (3.47x) "
        + "| | | 250,537 | 152 µs |");
    report.line("| **before issue 15** (2026-12-02 13:50, engine of issue 13): every ~100 ms | 9,654 | 370 µs / 16.7 ms "
        + "| 29% | 655 | 2,192 | 86.0 µs |");
    report.line("| **before issue 15**: every ~1 ms | 32,755 | 28.6 ms / 39.4 ms | 56% | 1,958 | 2,147 | 49.4 µs |");
    report.line("| **before issue 15**: every ~1 ms, in Felix (listener, JMX, Event Admin), one listener | 12,278 "
        + "| 70.3 ms / 189 ms | 29% | n/a | 11,099 | 112 µs |");
    List<Result> all = new ArrayList<>(results);
    inFelix.forEach(outcome -> all.add(outcome.result()));
    for (Result result : all) {
      report.line("| " + result.load.describe() + " | " + Stats.num(result.perSecond()) + " | "
          + ms(result.p50) + " / " + ms(result.p99) + " | " + pct(result.controlCpu()) + " | "
          + queued(result.maxQueued()) + " | " + Stats.num(result.bytesPerRestart()) + " | "
          + Stats.num(result.cpuMicrosPerRestart()) + " µs |");
    }
    report.blank();
    report.line("In Felix (Felix " + "7.0.5 with SCR, Event Admin, `supervisor.api`, `supervisor.impl`, `supervisor.jmx`; "
        + "the workers registered as whiteboard services by a bundle that also registers a `SupervisorListener`): "
        + "each status update goes to that listener, to the JMX bundle (an `AttributeChangeNotification` per state "
        + "change) and to Event Admin (`postEvent`; Event Admin's own delivery threads are not `supervisor-*` and "
        + "not counted). Queued is not read there (the engine is inside the impl bundle).").blank();
    for (FelixStorm.Outcome outcome : inFelix) {
      report.line(String.format("%s: a service MBean's `State` read through the MBeanServer in %s p50 / %s p99 "
              + "(%,d reads); stopping the storm bundle (every worker stopped, every MBean unregistered) took %s.",
          outcome.result().load.describe(), ms(outcome.jmxP50()), ms(outcome.jmxP99()), outcome.jmxCalls(),
          ms(outcome.stopNanos())));
    }
    report.blank();
    for (Result result : all) {
      report.line("Second by second, " + result.load.describe() + ":").blank();
      report.line("| second | restarts | p50 | p99 | control CPU | queued (max) |");
      report.line("| --- | --- | --- | --- | --- | --- |");
      for (int s = 0; s < result.seconds.length; s++) {
        Second second = result.seconds[s];
        report.line("| " + (s + 1) + " | " + String.format("%,d", second.restarts) + " | " + ms(second.p50) + " | "
            + ms(second.p99) + " | " + pct(second.controlCpu) + " | " + queued(second.maxQueued) + " |");
      }
      report.blank();
    }
    Result first = results.get(0);
    report.line(String.format("While the first load ran: `info(name)` answered in %s p50 / %s p99 (%,d calls), "
            + "`services()` (%,d snapshots) in %s p50 / %s p99 (%,d calls); `stopAll()` returned after %s and every "
            + "worker was STOPPED %s after it was called.", ms(first.probe.infoP50), ms(first.probe.infoP99),
        first.probe.infoCalls, WORKERS, ms(first.probe.servicesP50), ms(first.probe.servicesP99),
        first.probe.servicesCalls, ms(first.stopAllReturned), ms(first.allStopped))).blank();
    report.line(String.format("One worker restarted back to back %,d times (no pause, all inside the 60 s window): "
            + "first 100,000: %s µs, %s B and %s µs CPU per restart; last 100,000: %s µs, %s B and %s µs CPU "
            + "per restart (all `supervisor-*` threads).", backToBack.restarts, Stats.num(backToBack.firstMicros),
        Stats.num(backToBack.firstBytes), Stats.num(backToBack.firstCpuMicros), Stats.num(backToBack.lastMicros),
        Stats.num(backToBack.lastBytes), Stats.num(backToBack.lastCpuMicros))).blank();

    report.line("Profile of one more saturating storm (every ~1 ms, 3 s; Flight Recorder, 1 ms sampling of the "
        + "`supervisor-*` threads; a method's share counts every sample it is on the stack of):").blank().line("```");
    profile.forEach(report::line);
    report.line("```").blank();

    Result fastBare = results.get(1);
    boolean everySecondA = Arrays.stream(first.seconds).allMatch(s -> s.p50 <= 500_000 && s.p99 <= 5_000_000);
    report.target("storm every ~100 ms: p50 ≤ 0.5 ms and p99 ≤ 5 ms in every second",
        "worst second p50 " + ms(first.worstP50()) + ", p99 " + ms(first.worstP99()), everySecondA);
    report.target("storm every ~100 ms: all failures served, queue bounded",
        Stats.num(first.perSecond()) + "/s, queued at most " + first.maxQueued(),
        first.perSecond() >= 0.9 * WORKERS * 1000.0 / (100 + first.p50 / 1e6) && first.maxQueued() < WORKERS);
    report.target("storm every ~100 ms: control thread under 30% CPU", pct(first.controlCpu()),
        first.controlCpu() < 0.30);
    report.target("storm every ~1 ms: at least 40,000 restarts/s", Stats.num(fastBare.perSecond()) + "/s",
        fastBare.perSecond() >= 40_000);
    double decline = fastBare.seconds[fastBare.seconds.length - 1].restarts / (double) fastBare.seconds[1].restarts;
    report.target("storm every ~1 ms: steady (last second over second second)", Stats.num(decline) + "x",
        decline >= 0.9);
    report.target("reads during a storm: info and services() p99 ≤ 10 ms",
        ms(first.probe.infoP99) + " / " + ms(first.probe.servicesP99),
        first.probe.infoP99 <= 10_000_000 && first.probe.servicesP99 <= 10_000_000);
    report.target("stopAll during a storm: every worker STOPPED within 1 s", ms(first.allStopped),
        first.allStopped <= 1_000_000_000L);
    FelixStorm.Outcome felixSlow = inFelix.get(0);
    report.target("reads during a storm in Felix: a JMX attribute p99 ≤ 10 ms", ms(felixSlow.jmxP99()),
        felixSlow.jmxP99() <= 10_000_000);
    boolean felixEverySecond = Arrays.stream(felixSlow.result().seconds)
        .allMatch(s -> s.p50 <= 500_000 && s.p99 <= 5_000_000);
    report.target("storm every ~100 ms in Felix (listener, JMX, Event Admin): p50 ≤ 0.5 ms, p99 ≤ 5 ms every second",
        "worst second p50 " + ms(felixSlow.result().worstP50()) + ", p99 " + ms(felixSlow.result().worstP99()),
        felixEverySecond);
    double timeRatio = backToBack.lastMicros / backToBack.firstMicros;
    double bytesRatio = backToBack.lastBytes / backToBack.firstBytes;
    report.target("back to back: last 100,000 restarts cost what the first did (time, bytes)",
        Stats.num(timeRatio) + "x, " + Stats.num(bytesRatio) + "x", timeRatio <= 1.2 && bytesRatio <= 1.1);
    report.target("storm every ~1 ms (saturating): p99 ≤ 500 µs", ms(fastBare.p99), fastBare.p99 <= 500_000);
    report.target("restart path in the saturating storm: ≤ 1 KB per restart (all threads; the worker's exception "
        + "preallocated)", Stats.num(restartPath.bytesPerRestart()) + " B", restartPath.bytesPerRestart() <= 1024);
    report.target("restart path in the saturating storm: ≤ 10 µs CPU per restart (all threads; the worker's "
        + "exception preallocated)", Stats.num(restartPath.cpuMicrosPerRestart()) + " µs",
        restartPath.cpuMicrosPerRestart() <= 10);
    report.write(Report.work());
    System.exit(0);
  }

  // ---------------------------------------------------------------- one storm

  private static Result run(Load load, Duration length, boolean probeAndStop) throws Exception {
    return run(load, length, probeAndStop, RunThreadMode.PLATFORM, RestartLatency::isSupervisorThread);
  }

  /**
   * As {@link #run(Load, Duration, boolean)}, the runs carried by {@code runThreads}, the bytes and CPU per restart
   * those of the threads {@code counted} names (the virtual suite's: with the virtual threads' carriers).
   */
  static Result run(Load load, Duration length, boolean probeAndStop, RunThreadMode runThreads,
      Predicate<String> counted) throws Exception {
    Report.settle();
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, EngineLog.QUIET, runThreads);
    AtomicLong updates = new AtomicLong();
    try {
      if (load.listener) {
        engine.addListener(new CountingListener(updates));
      }
      if (load.strategy != null) {
        for (int g = 0; g < GROUPS; g++) {
          engine.configureGroup(GroupSpec.builder("storm" + g).strategy(load.strategy)
              .failureThreshold(Double.POSITIVE_INFINITY).build());
        }
      }
      int capacity = (int) Math.max(256, 3 * length.toNanos() / load.period.toNanos()) + 64;
      Stormer[] workers = new Stormer[WORKERS];
      long origin = System.nanoTime();
      for (int i = 0; i < WORKERS; i++) {
        workers[i] = new Stormer(load.period, capacity, origin, load.preallocated);
        ServiceSpec.Builder spec = ServiceSpec.builder(String.format("w%04d", i)).restartDelay(Duration.ZERO)
            .jitter(0);
        if (load.strategy != null) {
          spec.group("storm" + (i % GROUPS));
        }
        engine.add(spec.build(), workers[i]);
      }
      Thread control = thread("supervisor-control");
      long controlId = control.getId();
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      // The storm rages for WARM_UP before the measured seconds: the first runs create the pool's 1,000 threads.
      LockSupport.parkNanos(WARM_UP.toNanos());
      long begin = System.nanoTime();
      int seconds = (int) length.toSeconds();
      Second[] perSecond = new Second[seconds];
      Prober prober = probeAndStop ? new Prober(engine) : null;
      if (prober != null) {
        prober.start();
      }
      long bytesBefore = Profile.allocated(counted);
      long cpuBefore = Profile.cpu(counted);
      long runsBefore = runs(workers);
      for (int s = 0; s < seconds; s++) {
        long cpuAt = threads.getThreadCpuTime(controlId);
        long secondEnds = begin + TimeUnit.SECONDS.toNanos(s + 1);
        int maxQueued = 0;
        while (System.nanoTime() < secondEnds) {
          maxQueued = Math.max(maxQueued, engine.queuedMessages());
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        perSecond[s] = new Second((threads.getThreadCpuTime(controlId) - cpuAt) / 1e9, maxQueued);
      }
      long bytes = Profile.allocated(counted) - bytesBefore;
      long cpu = Profile.cpu(counted) - cpuBefore;
      long restarts = runs(workers) - runsBefore;
      long end = System.nanoTime();
      long stopAllReturned = 0;
      long allStopped = 0;
      if (prober != null) {
        prober.finish();
        long asked = System.nanoTime();
        engine.stopAll();
        stopAllReturned = System.nanoTime() - asked;
        while (!allStopped(engine)) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        allStopped = System.nanoTime() - asked;
      }
      Result result = new Result(load, perSecond, restarts, Duration.ofNanos(end - begin), bytes, cpu, prober,
          stopAllReturned, allStopped);
      result.latencies(Arrays.asList(workers), begin - origin);
      System.out.printf("storm %s: %,.0f restarts/s, p50 %s, p99 %s, control %s, queued ≤ %d, %s B and %.1f µs "
              + "per restart (load %s)%n", load.describe(), result.perSecond(), ms(result.p50), ms(result.p99),
          pct(result.controlCpu()), result.maxQueued(), Stats.num(result.bytesPerRestart()),
          result.cpuMicrosPerRestart(), Report.load());
      return result;
    } finally {
      engine.close();
      scheduler.shutdown();
    }
  }

  private static boolean allStopped(Engine engine) {
    for (ServiceInfo info : engine.services()) {
      if (info.state() != State.STOPPED) {
        return false;
      }
    }
    return true;
  }

  private static long runs(Stormer[] workers) {
    long sum = 0;
    for (Stormer worker : workers) {
      sum += worker.runs;
    }
    return sum;
  }

  private static Thread thread(String name) {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals(name)) {
        return thread;
      }
    }
    throw new IllegalStateException("no thread named " + name);
  }

  /** One worker's timed restarts: when each ended (ns since an origin) and how long it took. */
  interface Samples {
    int count();

    long at(int i);

    long latency(int i);
  }

  /** Fails {@code period} after entering {@code run}; records its restart latencies in arrays of its own. */
  static final class Stormer implements Supervised, Samples {
    private final Duration period;
    private final long origin;
    /** When each timed restart ended (ns since origin) and how long it took; written by one run at a time. */
    final long[] at;
    final long[] latency;
    volatile int samples;
    volatile long runs;
    private volatile long thrownAt;

    /** Thrown every time instead of a new exception: no stack trace, no allocation by the worker. */
    private final RuntimeException preallocated;

    Stormer(Duration period, int capacity, long origin, boolean preallocated) {
      this.period = period;
      this.origin = origin;
      this.at = new long[capacity];
      this.latency = new long[capacity];
      this.preallocated = preallocated ? new RuntimeException("storm", null, false, false) {} : null;
    }

    @Override public int count() { return samples; }

    @Override public long at(int i) { return at[i]; }

    @Override public long latency(int i) { return latency[i]; }

    @Override
    public void run(RunContext ctx) throws Exception {
      long entered = System.nanoTime();
      runs++; // runs of one worker never overlap: the supervisor waits for one to end before the next
      long thrown = thrownAt;
      int n = samples;
      if (thrown != 0 && n < at.length) {
        at[n] = entered - origin;
        latency[n] = entered - thrown;
        samples = n + 1;
      }
      thrownAt = 0;
      if (ctx.awaitStop(period)) {
        return; // stopped (by its group, or stopAll): not a failure, not timed
      }
      thrownAt = System.nanoTime();
      throw preallocated != null ? preallocated : new RuntimeException("storm");
    }
  }

  /** A listener as production has one: it looks at every update and its failure. */
  private static final class CountingListener implements SupervisorListener {
    private final AtomicLong updates;

    CountingListener(AtomicLong updates) {
      this.updates = updates;
    }

    @Override
    public void statusChanged(StatusUpdate update) {
      if (update.failure().map(failure -> failure.message().length()).orElse(0) >= 0) {
        updates.incrementAndGet();
      }
    }
  }

  /** Reads the supervisor as an operator's tool would, while a storm runs. */
  private static final class Prober extends Thread {
    private final Engine engine;
    private volatile boolean done;
    private final long[] info = new long[200_000];
    private final long[] services = new long[20_000];
    private int infoCalls;
    private int servicesCalls;
    long infoP50;
    long infoP99;
    long servicesP50;
    long servicesP99;

    Prober(Engine engine) {
      super("storm-prober");
      this.engine = engine;
      setDaemon(true);
    }

    @Override
    public void run() {
      int i = 0;
      while (!done) {
        String name = String.format("w%04d", i % WORKERS);
        long t = System.nanoTime();
        engine.info(name);
        if (infoCalls < info.length) {
          info[infoCalls++] = System.nanoTime() - t;
        }
        if (i % 10 == 0 && servicesCalls < services.length) {
          t = System.nanoTime();
          engine.services();
          services[servicesCalls++] = System.nanoTime() - t;
        }
        i++;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }

    void finish() throws InterruptedException {
      done = true;
      join();
      infoP50 = Stats.percentile(info, infoCalls, 0.50);
      infoP99 = Stats.percentile(info, infoCalls, 0.99);
      servicesP50 = Stats.percentile(services, servicesCalls, 0.50);
      servicesP99 = Stats.percentile(services, servicesCalls, 0.99);
    }
  }

  /** What one second of a storm showed. */
  static final class Second {
    final double controlCpu;
    final int maxQueued;
    long restarts;
    long p50;
    long p99;

    Second(double controlCpu, int maxQueued) {
      this.controlCpu = controlCpu;
      this.maxQueued = maxQueued;
    }
  }

  /** What one storm showed. */
  static final class Result {
    final Load load;
    final Second[] seconds;
    final long restarts;
    final Duration took;
    final long bytes;
    final long cpu;
    final Prober probe;
    final long stopAllReturned;
    final long allStopped;
    long p50;
    long p99;

    Result(Load load, Second[] seconds, long restarts, Duration took, long bytes, long cpu, Prober probe,
        long stopAllReturned, long allStopped) {
      this.load = load;
      this.seconds = seconds;
      this.restarts = restarts;
      this.took = took;
      this.bytes = bytes;
      this.cpu = cpu;
      this.probe = probe;
      this.stopAllReturned = stopAllReturned;
      this.allStopped = allStopped;
    }

    /** Sorts the workers' timed restarts into seconds, from {@code begin} (ns since their origin). */
    void latencies(List<? extends Samples> workers, long begin) {
      List<long[]> bySecond = new ArrayList<>();
      int[] counts = new int[seconds.length];
      for (int s = 0; s < seconds.length; s++) {
        bySecond.add(new long[1024]);
      }
      long[] all = new long[1024];
      int total = 0;
      for (Samples worker : workers) {
        for (int i = 0; i < worker.count(); i++) {
          int s = (int) ((worker.at(i) - begin) / 1_000_000_000L);
          if (worker.at(i) < begin || s >= seconds.length) {
            continue;
          }
          long[] bucket = bySecond.get(s);
          if (counts[s] == bucket.length) {
            bucket = Arrays.copyOf(bucket, bucket.length * 2);
            bySecond.set(s, bucket);
          }
          bucket[counts[s]++] = worker.latency(i);
          if (total == all.length) {
            all = Arrays.copyOf(all, all.length * 2);
          }
          all[total++] = worker.latency(i);
        }
      }
      for (int s = 0; s < seconds.length; s++) {
        seconds[s].restarts = counts[s];
        seconds[s].p50 = counts[s] == 0 ? 0 : Stats.percentile(bySecond.get(s), counts[s], 0.50);
        seconds[s].p99 = counts[s] == 0 ? 0 : Stats.percentile(bySecond.get(s), counts[s], 0.99);
      }
      p50 = total == 0 ? 0 : Stats.percentile(all, total, 0.50);
      p99 = total == 0 ? 0 : Stats.percentile(all, total, 0.99);
    }

    double perSecond() {
      return restarts / (took.toNanos() / 1e9);
    }

    double controlCpu() {
      return Arrays.stream(seconds).mapToDouble(s -> s.controlCpu).sum() / seconds.length;
    }

    int maxQueued() {
      return Arrays.stream(seconds).mapToInt(s -> s.maxQueued).max().orElse(0);
    }

    long worstP50() {
      return Arrays.stream(seconds).mapToLong(s -> s.p50).max().orElse(0);
    }

    long worstP99() {
      return Arrays.stream(seconds).mapToLong(s -> s.p99).max().orElse(0);
    }

    double bytesPerRestart() {
      return restarts == 0 ? 0 : (double) bytes / restarts;
    }

    double cpuMicrosPerRestart() {
      return restarts == 0 ? 0 : cpu / 1000.0 / restarts;
    }
  }

  // ---------------------------------------------------------------- back to back

  /** Per restart, first and last 100,000: µs of wall time, bytes and µs of CPU of all supervisor threads. */
  record BackToBack(int restarts, double firstMicros, double firstBytes, double firstCpuMicros, double lastMicros,
      double lastBytes, double lastCpuMicros) {}

  private static BackToBack backToBack(int restarts) throws Exception {
    Report.settle();
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, EngineLog.QUIET);
    try {
      int slice = 100_000;
      Marks marks = new Marks(new int[] {1, slice + 1, restarts - slice + 1, restarts + 1});
      engine.add(ServiceSpec.builder("back-to-back").restartDelay(Duration.ZERO).jitter(0).build(), ctx -> {
        if (marks.reached(ctx.attempt())) {
          ctx.awaitStop();
          return;
        }
        throw new RuntimeException("back to back");
      });
      marks.done.await();
      return new BackToBack(restarts, marks.micros(0, slice), marks.bytes(0, slice), marks.cpuMicros(0, slice),
          marks.micros(2, slice), marks.bytes(2, slice), marks.cpuMicros(2, slice));
    } finally {
      engine.close();
      scheduler.shutdown();
    }
  }

  /** Time, bytes and CPU of all supervisor threads when the run of given attempts began. */
  private static final class Marks {
    private final int[] attempts;
    private final long[] time;
    private final long[] bytes;
    private final long[] cpu;
    final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

    Marks(int[] attempts) {
      this.attempts = attempts;
      this.time = new long[attempts.length];
      this.bytes = new long[attempts.length];
      this.cpu = new long[attempts.length];
    }

    /** @return true at the last mark: the worker is to stay */
    boolean reached(int attempt) {
      for (int i = 0; i < attempts.length; i++) {
        if (attempts[i] == attempt) {
          time[i] = System.nanoTime();
          bytes[i] = Profile.allocated(RestartLatency::isSupervisorThread);
          cpu[i] = Profile.cpu(RestartLatency::isSupervisorThread);
          if (i == attempts.length - 1) {
            done.countDown();
            return true;
          }
        }
      }
      return false;
    }

    double micros(int from, int count) {
      return (time[from + 1] - time[from]) / 1000.0 / count;
    }

    double bytes(int from, int count) {
      return (bytes[from + 1] - bytes[from]) / (double) count;
    }

    double cpuMicros(int from, int count) {
      return (cpu[from + 1] - cpu[from]) / 1000.0 / count;
    }
  }

  private static String ms(long nanos) {
    if (nanos < 1_000_000) {
      return Stats.num(nanos / 1000.0) + " µs";
    }
    return Stats.num(nanos / 1e6) + " ms";
  }

  private static String queued(int max) {
    return max < 0 ? "n/a" : String.format("%,d", max);
  }

  private static String pct(double fraction) {
    return String.format("%.0f%%", fraction * 100);
  }
}
