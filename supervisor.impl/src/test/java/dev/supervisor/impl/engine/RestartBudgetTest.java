package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.impl.engine.RestartBudget.Decision;
import dev.supervisor.impl.engine.RestartBudget.Outcome;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OTP's do_restart table: restart policy x outcome x limits, as a pure function, row by row. */
class RestartBudgetTest {
  private static final Decision REST = new Decision.Rest();

  private static ServiceSpec spec(RestartPolicy policy, int maxRestarts, int maxInWindow) {
    return ServiceSpec.builder("s").restart(policy).restartDelay(Duration.ofMillis(100)).backoffMultiplier(2)
        .maxRestartDelay(Duration.ofSeconds(10)).jitter(0).maxRestarts(maxRestarts).maxRestartsInWindow(maxInWindow)
        .build();
  }

  private static Decision restartAfter(long millis) {
    return new Decision.Restart(Duration.ofMillis(millis));
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // policy, outcome, restarts so far, in window, streak -> decision
        Arguments.of(RestartPolicy.ALWAYS, Outcome.RETURNED, 0, 0, 0, restartAfter(100)),
        Arguments.of(RestartPolicy.ON_FAILURE, Outcome.RETURNED, 0, 0, 0, REST),
        Arguments.of(RestartPolicy.NEVER, Outcome.RETURNED, 0, 0, 0, REST),
        Arguments.of(RestartPolicy.ALWAYS, Outcome.DO_NOT_RESTART, 0, 0, 0, REST),
        Arguments.of(RestartPolicy.ON_FAILURE, Outcome.DO_NOT_RESTART, 0, 0, 0, REST),
        Arguments.of(RestartPolicy.ALWAYS, Outcome.FAILED, 0, 0, 1, restartAfter(100)),
        Arguments.of(RestartPolicy.ON_FAILURE, Outcome.FAILED, 0, 0, 3, restartAfter(400)),
        Arguments.of(RestartPolicy.NEVER, Outcome.FAILED, 0, 0, 1, REST),
        // a restart after a success starts from the first delay, whatever the streak was
        Arguments.of(RestartPolicy.ALWAYS, Outcome.RETURNED, 2, 0, 5, restartAfter(100)));
  }

  @ParameterizedTest(name = "{0} {1}, {2} restarts, {3} in window, streak {4} -> {5}")
  @MethodSource("table")
  void decides(RestartPolicy policy, Outcome outcome, long restarts, int inWindow, int streak, Decision expected) {
    assertEquals(expected, RestartBudget.decide(spec(policy, 0, 0), outcome, restarts, inWindow, streak, 0.0));
  }

  static Stream<Arguments> limits() {
    return Stream.of(
        Arguments.of(Outcome.FAILED, 3, 0, 3L, 0, "3 restarts reached supervisor.maxRestarts = 3"),
        Arguments.of(Outcome.RETURNED, 3, 0, 3L, 0, "3 restarts reached supervisor.maxRestarts = 3"),
        Arguments.of(Outcome.FAILED, 0, 2, 9L, 2, "2 restarts within supervisor.restartWindow = PT1M reached "
            + "supervisor.maxRestartsInWindow = 2"),
        Arguments.of(Outcome.RETURNED, 0, 2, 9L, 2, "2 restarts within supervisor.restartWindow = PT1M reached "
            + "supervisor.maxRestartsInWindow = 2"));
  }

  @ParameterizedTest(name = "{0}: maxRestarts {1}, maxInWindow {2}, {3} restarts, {4} in window -> give up")
  @MethodSource("limits")
  void givesUpAtEitherLimitForAFailureAndForANormalReturnAlike(Outcome outcome, int maxRestarts, int maxInWindow,
      long restarts, int inWindow, String why) {
    Decision decision = RestartBudget.decide(spec(RestartPolicy.ALWAYS, maxRestarts, maxInWindow), outcome, restarts,
        inWindow, 1, 0.0);
    assertEquals(new Decision.GiveUp(why), decision);
  }

  @ParameterizedTest(name = "one below the limits: {0}")
  @MethodSource("limits")
  void restartsOneBelowTheLimits(Outcome outcome, int maxRestarts, int maxInWindow, long restarts, int inWindow,
      String why) {
    Decision decision = RestartBudget.decide(spec(RestartPolicy.ALWAYS, maxRestarts, maxInWindow), outcome,
        maxRestarts == 0 ? restarts : restarts - 1, maxInWindow == 0 ? inWindow : inWindow - 1, 1, 0.0);
    assertInstanceOf(Decision.Restart.class, decision);
  }
}
