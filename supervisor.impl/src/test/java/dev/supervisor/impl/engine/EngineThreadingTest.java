package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The {@link Engine} on real threads: what the stepped tests cannot show, because it is about threads (a run
 * thread named, interrupted and abandoned, {@code stop()} on a thread of its own, listeners on theirs, every
 * thread ended by close, callers on many threads) or about the facade itself (tokens, blocking calls). Time
 * is virtual; waits have a generous deadline only so that a broken engine fails instead of hanging, and
 * nothing is timed. The logic of supervision is tested stepped ({@link Stepper}).
 */
class EngineThreadingTest extends EngineTestBase {

  @Test
  void concurrentCommandsFromManyThreadsLeaveAConsistentState() throws Exception {
    add(spec("a"), Workers.untilStopped());
    add(spec("b").dependsOn("a"), Workers.untilStopped());
    recorder.await("b", RUNNING);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          engine.restart("a");
          engine.stop("b");
          engine.start("b");
          engine.reset("a");
        }
      }, "commands-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(thread.isAlive(), thread.getName() + " is stuck");
    }
    engine.start("a");
    engine.start("b");
    assertEquals(RUNNING, engine.awaitReady("b", Duration.ofSeconds(20)).state());
    assertEquals(RUNNING, engine.info("a").orElseThrow().state());
  }

  @Test
  void aTokenFromAnotherSupervisorIsRefusedAndNothingIsRemoved() {
    add(spec("mine"), Workers.untilStopped());
    try (Engine other = new Engine(clock, Jitter.NONE, EngineLog.QUIET)) {
      ServiceToken foreign = other.add(spec("mine").build(), Workers.untilStopped());
      SupervisorException error = assertThrows(SupervisorException.class, () -> engine.remove(foreign));
      assertEquals(Kind.WRONG_SUPERVISOR, error.kind());
      assertTrue(engine.info("mine").isPresent());
      assertTrue(other.info("mine").isPresent());
    }
  }

  @Test
  void awaitReadyAnswersARunningServiceAtOnceAndSaysWhatAServiceIsWhenItTimesOut() throws Exception {
    add(spec("up"), Workers.untilStopped());
    recorder.await("up", RUNNING);
    engine.sync();
    // Issue 13: a zero timeout timed out even for a RUNNING service.
    assertEquals(RUNNING, engine.awaitReady("up", Duration.ZERO).state());
    add(spec("sleeper").autoStart(false), Workers.untilStopped());
    TimeoutException timeout = assertThrows(TimeoutException.class,
        () -> engine.awaitReady("sleeper", Duration.ofMillis(1)));
    assertTrue(timeout.getMessage().contains("IDLE"), timeout.getMessage());
  }

  @Test
  void callsAfterCloseAreRefused() {
    add(spec("svc"), Workers.untilStopped());
    recorder.await("svc", RUNNING);
    engine.close();
    recorder.await("svc", dev.supervisor.api.State.STOPPED);
    SupervisorException error = assertThrows(SupervisorException.class, () -> engine.start("svc"));
    assertEquals(Kind.SUPERVISOR_STOPPED, error.kind());
    assertThrows(SupervisorException.class, () -> add(spec("late"), Workers.untilStopped()));
  }
}
