package dev.supervisor.bench.bundle.storm;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.time.Duration;

/**
 * Fails {@code period} after entering {@code run}, as the engine storm's worker does, and records each restart
 * (its throw to its next run entered) in an array the harness gave it: {@code samples[0]} runs,
 * {@code samples[1]} timed restarts, then pairs of (entered at, latency) in nanoseconds. One run at a time
 * writes it (the supervisor never overlaps two runs of a service); the harness reads it once they have ended.
 */
public final class StormWorker implements Supervised {
  private final Duration period;
  private final long[] samples;
  private volatile long thrownAt;

  public StormWorker(Duration period, long[] samples) {
    this.period = period;
    this.samples = samples;
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    long entered = System.nanoTime();
    samples[0]++;
    long thrown = thrownAt;
    int n = (int) samples[1];
    if (thrown != 0 && 2 + 2 * n + 1 < samples.length) {
      samples[2 + 2 * n] = entered;
      samples[3 + 2 * n] = entered - thrown;
      samples[1] = n + 1;
    }
    thrownAt = 0;
    if (ctx.awaitStop(period)) {
      return;
    }
    thrownAt = System.nanoTime();
    throw new RuntimeException("storm");
  }
}
