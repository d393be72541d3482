package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A 10,000-deep dependency chain starts in order and stops in exact reverse order, stepped by hand (no run
 * thread, no deadline) on a thread with a 1 MB stack, as the control thread has: a recursive walk anywhere
 * in starting, stopping or publishing would overflow it.
 */
class DeepChainStepTest {
  private static final int DEPTH = 10_000;

  @Test
  void aTenThousandDeepChainStartsAndStopsInOrderOnAOneMegabyteStack() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread stepping = new Thread(null, () -> {
      try {
        chain();
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "deep-chain-stepper", 1L << 20);
    stepping.start();
    stepping.join();
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  private static void chain() {
    Stepper s = new Stepper(false); // the invariants are O(services): checked at the three milestones
    for (int i = 0; i < DEPTH; i++) {
      ServiceSpec spec = i == 0 ? ServiceSpec.builder("n0").build()
          : ServiceSpec.builder("n" + i).dependsOn("n" + (i - 1)).build();
      s.<Long>request(reply -> new Message.Add(s.nextId(), spec, WorkerSource.of(ctx -> { }), "test", Escalator.NONE,
          false, reply));
    }
    // Each start waits for its dependency: one run at a time is launched, in chain order.
    List<String> started = new ArrayList<>();
    while (!s.runs.launched.isEmpty()) {
      Run run = s.runs.launched.iterator().next();
      started.add(run.name());
      s.runs.enter(run);
      s.settle();
    }
    assertEquals(DEPTH, started.size());
    assertEquals("n0", started.get(0));
    assertEquals("n" + (DEPTH - 1), started.get(DEPTH - 1));
    assertEquals(State.RUNNING, s.published.get("n" + (DEPTH - 1)).state());
    s.checkInvariants("all RUNNING");

    s.<Void>request(reply -> new Message.CommandAll(Message.Action.STOP, reply));
    List<String> stopped = new ArrayList<>();
    while (!s.runs.stopCalled.isEmpty()) {
      Run run = s.runs.stopCalled.iterator().next();
      stopped.add(run.name());
      s.runs.end(run, null);
      s.settle();
    }
    assertEquals(DEPTH, stopped.size(), "every run was asked to stop, one at a time");
    for (int i = 0; i < DEPTH; i++) {
      assertEquals("n" + (DEPTH - 1 - i), stopped.get(i), "exact reverse order");
    }
    assertTrue(s.published.values().stream().allMatch(info -> info.state() == State.STOPPED));
    s.checkInvariants("all STOPPED");
  }
}
