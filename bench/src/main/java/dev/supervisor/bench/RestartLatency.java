package dev.supervisor.bench;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.Supervised;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.EngineLog;
import dev.supervisor.impl.engine.Jitter;
import dev.supervisor.impl.engine.RunThreadMode;
import dev.supervisor.impl.engine.SystemScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Item 1: restart latency, from {@code run} throwing to the next {@code run} entered (restart delay 0, no
 * jitter), timed inside the worker; beside it, in the same JVM and interleaved round by round, the
 * machine's floor: a bare hand-off of a task to a waiting thread and back (two wake-ups, as a restart has:
 * the run thread wakes the control thread, which wakes a run thread).
 *
 * <p>Between two restarts (and two hand-offs) the worker pauses {@value #GAP_MICROS} µs, so every thread
 * involved is idle and parked when the next one begins: this is the latency of one restart, not the
 * throughput of a restart storm.
 */
public final class RestartLatency {
  static final long GAP_MICROS = 100;
  private static final long GAP = TimeUnit.MICROSECONDS.toNanos(GAP_MICROS);

  private RestartLatency() {}

  public static void main(String[] args) throws Exception {
    boolean quick = Report.quick();
    int rounds = quick ? 2 : 7;
    int samples = quick ? 2_000 : 20_000;
    Report report = new Report("restart", "1. Restart latency");
    Floor floor = new Floor();
    // Warm-up: the JIT compiles both paths before anything counts.
    restarts("warm-up", quick ? 2_000 : 20_000);
    floor.roundTrips(quick ? 2_000 : 20_000);

    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    List<Double> p999 = new ArrayList<>();
    List<Double> floor50 = new ArrayList<>();
    List<Double> floor99 = new ArrayList<>();
    List<Double> floor999 = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    List<Double> firstThousand = new ArrayList<>();
    List<Double> lastThousand = new ArrayList<>();
    List<Double> bytesPerRestart = new ArrayList<>();
    List<Double> cpuPerRestart = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      Report.settle();
      Batch batch = restarts("round-" + round, samples);
      long[] restart = batch.latencies;
      bytesPerRestart.add((double) batch.allocated / samples);
      cpuPerRestart.add(batch.cpu / 1000.0 / samples);
      firstThousand.add(micros(Stats.percentile(java.util.Arrays.copyOfRange(restart, 0, 1000), 1000, 0.5)));
      lastThousand.add(micros(Stats.percentile(java.util.Arrays.copyOfRange(restart, samples - 1000, samples), 1000,
          0.5)));
      Report.settle();
      long[] hops = floor.roundTrips(samples);
      double r50 = micros(Stats.percentile(restart, samples, 0.50));
      double f50 = micros(Stats.percentile(hops, samples, 0.50));
      p50.add(r50);
      p99.add(micros(Stats.percentile(restart, samples, 0.99)));
      p999.add(micros(Stats.percentile(restart, samples, 0.999)));
      floor50.add(f50);
      floor99.add(micros(Stats.percentile(hops, samples, 0.99)));
      floor999.add(micros(Stats.percentile(hops, samples, 0.999)));
      ratio.add(r50 / f50);
      System.out.printf("restart round %d: p50 %.1f µs, floor p50 %.1f µs (load %s)%n", round, r50, f50, Report.load());
    }

    // Where the time goes: a sampled profile of one more batch (not counted above).
    List<String> profile = Profile.sample(Report.work().resolve("restart.jfr"), RestartLatency::isSupervisorThread, 16,
        () -> restarts("profiled", samples));
    floor.close();

    report.line(rounds + " rounds of " + String.format("%,d", samples) + " restarts of one worker (restart delay 0, "
        + "no jitter, a new `RuntimeException` each time; a fresh engine per round), each round followed by " + String.format("%,d", samples)
        + " hand-offs; µs, median of the rounds' figures (lowest–highest round). The worker pauses "
        + GAP_MICROS + " µs after entering `run` before it throws, so every thread is parked when a restart begins.")
        .blank()
        .line("| | p50 | p99 | p99.9 |")
        .line("| --- | --- | --- | --- |")
        .line("| restart: `run` throws → next `run` entered | " + Stats.spread(p50, "") + " | " + Stats.spread(p99, "")
            + " | " + Stats.spread(p999, "") + " |")
        .line("| floor: task handed to a parked thread and back | " + Stats.spread(floor50, "") + " | "
            + Stats.spread(floor99, "") + " | " + Stats.spread(floor999, "") + " |")
        .line("| ratio restart / floor (p50, same round) | " + Stats.spread(ratio, "x") + " | | |")
        .line("| **before issue 15** (2026-12-02 13:50, engine of issue 13): restart | 22.8 (20.1–25.4) | 109 (104–138) "
            + "| 419 (315–1,603) |")
        .line("| **before issue 15**: floor, same run | 11.6 (10.9–12.2) | 38.2 (35.5–51.6) | 158 (132–271) |")
        .line("| **before issue 15**: ratio | 1.98x (1.64–2.31) | | |")
        .blank()
        .line("Within a round (restarts of one worker, all inside the 60 s restart window): p50 of the first 1,000 "
            + "restarts " + Stats.spread(firstThousand, " µs") + ", of the last 1,000 " + Stats.spread(lastThousand, " µs")
            + ". Per restart, all `supervisor-*` threads together: " + Stats.spread(bytesPerRestart, " B")
            + " allocated, " + Stats.spread(cpuPerRestart, " µs") + " CPU.")
        .blank()
        .line("Profile of one more round (Flight Recorder, 1 ms sampling of the `supervisor-*` threads; a method's "
            + "share counts every sample it is on the stack of):")
        .blank()
        .line("```");
    profile.forEach(report::line);
    report.line("```").blank();
    double median50 = Stats.median(ratio);
    double median99 = Stats.median(p99);
    double median999 = Stats.median(p999);
    report.target("restart p50 at most 1.2x the floor (one hand-off)", Stats.num(median50) + "x ("
        + Stats.num(Stats.median(p50)) + " µs vs " + Stats.num(Stats.median(floor50)) + " µs)", median50 <= 1.2);
    report.target("restart p99 at most 50 µs", Stats.num(median99) + " µs", median99 <= 50);
    report.target("restart p99.9 at most 200 µs", Stats.num(median999) + " µs", median999 <= 200);
    report.write(Report.work());
    System.exit(0);
  }

  static boolean isSupervisorThread(String name) {
    return name.startsWith("supervisor-");
  }

  private static double micros(long nanos) {
    return nanos / 1000.0;
  }

  /**
   * Runs one worker in a fresh engine until it has been restarted {@code count} times.
   *
   * @return each restart's latency in ns, in order, and what the engine's threads used (all of them are new)
   */
  private static Batch restarts(String name, int count) throws Exception {
    return restarts(name, count, RunThreadMode.PLATFORM);
  }

  /** As {@link #restarts(String, int)}, the runs carried by {@code threads} (the virtual suite's). */
  static Batch restarts(String name, int count, RunThreadMode threads) throws Exception {
    SystemScheduler scheduler = new SystemScheduler();
    Engine engine = new Engine(scheduler, Jitter.NONE, EngineLog.QUIET, threads);
    try {
      Flapper worker = new Flapper(count);
      ServiceSpec spec = ServiceSpec.builder("restart-" + name).restartDelay(Duration.ZERO).jitter(0).build();
      ServiceToken token = engine.add(spec, worker);
      if (!worker.done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("restarts did not finish: " + engine.info(spec.name()));
      }
      Batch batch = new Batch(worker.latencies, Profile.allocated(RestartLatency::isSupervisorThread),
          Profile.cpu(RestartLatency::isSupervisorThread));
      token.remove();
      return batch;
    } finally {
      engine.close();
      scheduler.shutdown();
    }
  }

  /** One engine's restarts: latencies (ns), bytes allocated and CPU ns used by its threads. */
  record Batch(long[] latencies, long allocated, long cpu) {}

  /** Fails right after entering {@code run} (and a short pause) until it has been restarted often enough. */
  private static final class Flapper implements Supervised {
    final long[] latencies;
    final CountDownLatch done = new CountDownLatch(1);
    private int count;
    private volatile long thrownAt;

    Flapper(int restarts) {
      latencies = new long[restarts];
    }

    @Override
    public void run(RunContext ctx) throws Exception {
      long entered = System.nanoTime();
      if (thrownAt != 0) {
        latencies[count++] = entered - thrownAt;
      }
      if (count == latencies.length) {
        done.countDown();
        ctx.awaitStop();
        return;
      }
      LockSupport.parkNanos(GAP);
      RuntimeException failure = new RuntimeException("benchmark failure #" + count);
      thrownAt = System.nanoTime();
      throw failure;
    }
  }

  /** The floor: a task handed to a parked thread, which hands an answer back to the parked caller. */
  static final class Floor {
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Boolean> answers = new LinkedBlockingQueue<>();
    private final Thread other;

    Floor() {
      this(runnable -> new Thread(runnable, "floor-other"));
    }

    /** @param threads makes the thread that serves the tasks (the virtual suite's: a virtual one) */
    Floor(ThreadFactory threads) {
      other = threads.newThread(this::serve);
      other.setDaemon(true);
      other.start();
    }

    private void serve() {
      try {
        while (true) {
          tasks.take().run();
        }
      } catch (InterruptedException e) {
        // closed
      }
    }

    long[] roundTrips(int count) throws InterruptedException {
      long[] latencies = new long[count];
      Runnable answer = () -> answers.add(Boolean.TRUE);
      for (int i = 0; i < count; i++) {
        LockSupport.parkNanos(GAP);
        long sent = System.nanoTime();
        tasks.add(answer);
        answers.take();
        latencies[i] = System.nanoTime() - sent;
      }
      return latencies;
    }

    void close() {
      other.interrupt();
    }
  }
}
