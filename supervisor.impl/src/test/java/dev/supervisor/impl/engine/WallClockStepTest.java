package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.impl.engine.Stepper.ms;
import static dev.supervisor.impl.engine.Stepper.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: decisions are measured on a monotonic clock. The wall clock may step (NTP, a resumed VM); a step
 * changes what is shown as the time, never a decision: restart windows, the decay of a group's failure
 * count, whether a run outlived the window, uptimes. Stepped.
 */
class WallClockStepTest {
  private static final Duration DAY = Duration.ofDays(1);
  private final Stepper s = new Stepper();

  @Test
  void aStepForwardDoesNotEmptyTheRestartWindow() {
    s.add(spec("w").restartDelay(ms(100)).maxRestartsInWindow(2).restartWindow(Duration.ofSeconds(10)));
    s.crash("w");
    s.clock.stepWallClock(DAY);
    s.advance(ms(100));
    s.crash("w");
    s.clock.stepWallClock(DAY.negated().multipliedBy(3));
    s.advance(ms(200));
    s.crash("w");
    assertEquals(FAILED, s.state("w"), "two restarts within 10 s of monotonic time: the third failure is the last");
    assertEquals(3, s.info("w").startCount());
  }

  @Test
  void uptimeAndTheHealthyRunFollowTheMonotonicClock() {
    s.add(spec("s").restartDelay(ms(100)).restartWindow(Duration.ofSeconds(60)));
    s.crash("s");
    s.advance(ms(100));
    s.enter("s");
    s.clock.stepWallClock(DAY);
    ServiceInfo afterJump = s.info("s");
    assertEquals(Duration.ZERO, afterJump.currentUptime(), "a day on the wall clock is no uptime");
    assertEquals(1, afterJump.consecutiveFailures(), "nor a run that outlived the window");
    s.clock.stepWallClock(DAY.negated().multipliedBy(2));
    s.advance(Duration.ofSeconds(5));
    assertEquals(Duration.ofSeconds(5), s.info("s").currentUptime(), "never negative: 5 s of monotonic time");
  }

  @Test
  void aGroupsFailureCountDoesNotDecayWithAStep() {
    s.configureGroup(GroupSpec.builder("g").failureThreshold(Double.POSITIVE_INFINITY)
        .failureDecay(Duration.ofSeconds(10)).restartWindow(Duration.ofMinutes(1)));
    s.add(spec("m").group("g").restartDelay(Duration.ofHours(1)).maxRestartDelay(Duration.ofHours(1)));
    s.crash("m");
    s.clock.stepWallClock(DAY);
    assertEquals(1.0, s.group("g").failureCount(), 1e-12);
    assertEquals(1, s.group("g").restartsInWindow(), "a day's step does not empty the group's window");
    s.clock.stepWallClock(DAY.negated().multipliedBy(2));
    s.advance(Duration.ofSeconds(10));
    assertEquals(0.5, s.group("g").failureCount(), 1e-12, "one half-life of monotonic time");
    assertEquals(1, s.group("g").restartsInWindow());
  }
}
