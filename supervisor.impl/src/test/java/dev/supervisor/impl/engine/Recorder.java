package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Records every status update and lets a test wait for one. Waits have a generous real-time deadline only
 * so that a broken engine fails the test instead of hanging it; nothing is timed.
 */
final class Recorder implements SupervisorListener {
  private static final long DEADLINE_SECONDS = 20;
  private final List<StatusUpdate> updates = new ArrayList<>();

  @Override
  public synchronized void statusChanged(StatusUpdate update) {
    updates.add(update);
    notifyAll();
  }

  private final List<String> removals = new ArrayList<>();

  @Override
  public synchronized void serviceRemoved(long serviceId, String serviceName) {
    // Recorded in the same stream as the updates, so a test can check it came after the last one.
    removals.add(serviceName + "#" + serviceId + "@" + updates.size());
    notifyAll();
  }

  /** Waits for the removal of {@code name}; @return how many updates had arrived before it */
  synchronized int awaitRemoval(String name) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (true) {
      for (String removal : removals) {
        if (removal.startsWith(name + "#")) {
          return Integer.parseInt(removal.substring(removal.indexOf('@') + 1));
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("gave up waiting for the removal of '" + name + "'; removals so far: " + removals);
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  synchronized List<StatusUpdate> all() {
    return new ArrayList<>(updates);
  }

  /** @return "name:STATE" for every update, in arrival order */
  synchronized List<String> transitions() {
    return updates.stream().map(u -> u.serviceName() + ":" + u.newState()).collect(Collectors.toList());
  }

  /** Waits until {@code name} has entered {@code state} at least {@code times} times in all. */
  StatusUpdate await(String name, State state, int times) {
    return awaitUpdate("'" + name + "' entering " + state + " " + times + " time(s)",
        u -> u.serviceName().equals(name) && u.newState() == state, times);
  }

  StatusUpdate await(String name, State state) {
    return await(name, state, 1);
  }

  synchronized StatusUpdate awaitUpdate(String what, Predicate<StatusUpdate> match, int times) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    int seen = 0;
    int scanned = 0;
    while (true) {
      // Only the updates that arrived since the last look are scanned: big tests record tens of thousands.
      for (; scanned < updates.size(); scanned++) {
        StatusUpdate update = updates.get(scanned);
        if (match.test(update) && ++seen == times) {
          return update;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("gave up waiting for " + what + "; updates so far: " + transitions());
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while waiting for " + what);
      }
    }
  }
}
