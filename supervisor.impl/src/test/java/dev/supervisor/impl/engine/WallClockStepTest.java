package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: decisions are measured on a monotonic clock. The wall clock may step (NTP, a resumed VM); a step
 * changes what is shown as the time, never a decision: restart windows, the decay of a group's failure
 * count, whether a run outlived the window, uptimes.
 */
class WallClockStepTest extends EngineTestBase {
  private static final Duration DAY = Duration.ofDays(1);

  @Test
  void aStepForwardDoesNotEmptyTheRestartWindow() {
    AtomicInteger runs = new AtomicInteger();
    add(spec("w").restartDelay(ms(100)).maxRestartsInWindow(2).restartWindow(Duration.ofSeconds(10)),
        Workers.failing(runs));
    recorder.await("w", BACKOFF, 1);
    clock.stepWallClock(DAY);
    advance(ms(100));
    recorder.await("w", BACKOFF, 2);
    clock.stepWallClock(DAY.negated().multipliedBy(3));
    advance(ms(200));
    recorder.await("w", FAILED);
    assertEquals(3, runs.get(), "two restarts within 10 s of monotonic time: the third failure is the last");
  }

  @Test
  void uptimeAndTheHealthyRunFollowTheMonotonicClock() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    add(spec("s").restartDelay(ms(100)).restartWindow(Duration.ofSeconds(60)), ctx -> {
      if (runs.incrementAndGet() == 1) {
        throw new java.io.IOException("once");
      }
      ctx.awaitStop();
    });
    recorder.await("s", BACKOFF);
    advance(ms(100));
    recorder.await("s", RUNNING, 2);
    engine.sync();
    clock.stepWallClock(DAY);
    ServiceInfo afterJump = engine.info("s").orElseThrow();
    assertEquals(Duration.ZERO, afterJump.currentUptime(), "a day on the wall clock is no uptime");
    assertEquals(1, afterJump.consecutiveFailures(), "nor a run that outlived the window");
    clock.stepWallClock(DAY.negated().multipliedBy(2));
    advance(Duration.ofSeconds(5));
    ServiceInfo afterStepBack = engine.info("s").orElseThrow();
    assertEquals(Duration.ofSeconds(5), afterStepBack.currentUptime(), "never negative: 5 s of monotonic time");
    assertFalse(afterStepBack.currentUptime().isNegative());
  }

  @Test
  void aGroupsFailureCountDoesNotDecayWithAStep() {
    engine.configureGroup(GroupSpec.builder("g").failureThreshold(Double.POSITIVE_INFINITY)
        .failureDecay(Duration.ofSeconds(10)).build());
    AtomicInteger runs = new AtomicInteger();
    add(spec("m").group("g").restartDelay(Duration.ofHours(1)).maxRestartDelay(Duration.ofHours(1)),
        Workers.failing(runs));
    recorder.await("m", BACKOFF);
    engine.sync();
    clock.stepWallClock(DAY);
    assertEquals(1.0, engine.group("g").orElseThrow().failureCount(), 1e-12);
    clock.stepWallClock(DAY.negated().multipliedBy(2));
    advance(Duration.ofSeconds(10));
    assertEquals(0.5, engine.group("g").orElseThrow().failureCount(), 1e-12, "one half-life of monotonic time");
    assertTrue(engine.group("g").orElseThrow().restartsInWindow() >= 0);
  }
}
