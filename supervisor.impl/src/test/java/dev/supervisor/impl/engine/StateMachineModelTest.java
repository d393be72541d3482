package dev.supervisor.impl.engine;

import dev.supervisor.api.DoNotRestartException;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Strategy;
import dev.supervisor.api.SupervisorException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;

/**
 * The state machine stepped through random sequences of everything that can happen to it (add, remove,
 * runs entering, becoming ready or not, returning, failing, ignoring their stop, manual and group commands,
 * group configuration, spec updates, time passing), with the engine's invariants checked after every
 * message. Each try is one seed: jqwik prints the failing seed, and the same seed replays the same
 * sequence. 1,000 tries of 1,000 steps: a million steps per {@code mvn -B verify}.
 */
class StateMachineModelTest {
  private static final int STEPS = 1_000;
  private static final String[] NAMES = {"a", "b", "c", "d", "e", "f"};
  private static final String[] GROUPS = {"", "g", "g/h"};

  @Property(tries = 1_000, shrinking = ShrinkingMode.OFF)
  void invariantsHoldAfterEveryMessage(@ForAll long seed) {
    Random random = new Random(seed);
    Stepper stepper = new Stepper();
    List<String> trail = new ArrayList<>();
    try {
      for (int step = 0; step < STEPS; step++) {
        trail.add(step(stepper, random));
        if (trail.size() > 30) {
          trail.remove(0);
        }
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + ", after " + stepper.handled + " messages; last steps " + trail
          + ": " + e.getMessage(), e);
    }
  }

  private static String step(Stepper s, Random random) {
    String name = NAMES[random.nextInt(NAMES.length)];
    int choice = random.nextInt(100);
    if (choice < 12) {
      ServiceSpec spec = randomSpec(name, random);
      s.<Long>request(reply -> new Message.Add(s.nextId(), spec, WorkerSource.of(ctx -> { }), "model", Escalator.NONE,
          false, reply));
      return "add " + spec.name() + " on " + spec.dependsOn() + " " + spec.restart();
    }
    if (choice < 16) {
      s.<Void>request(reply -> new Message.Command(Message.Action.REMOVE, name, 0, reply));
      return "remove " + name;
    }
    ScriptedRuns runs = s.runs;
    if (choice < 36 && !runs.launched.isEmpty()) {
      Run run = pick(new ArrayList<>(runs.launched), random);
      runs.enter(run);
      s.settle();
      return "enter " + run;
    }
    if (choice < 46 && !runs.inside.isEmpty()) {
      Run run = pick(new ArrayList<>(runs.inside), random);
      if (random.nextBoolean()) {
        run.ready();
        s.settle();
        return "ready " + run;
      }
      run.notReady();
      s.settle();
      return "notReady " + run;
    }
    if (choice < 62 && !runs.inside.isEmpty()) {
      Run run = pick(new ArrayList<>(runs.inside), random);
      Throwable outcome = switch (random.nextInt(4)) {
        case 0 -> null;
        case 1 -> new IOException("model failure");
        case 2 -> new IllegalStateException("model panic");
        default -> new DoNotRestartException("model: done");
      };
      runs.end(run, outcome);
      s.settle();
      return "end " + run + " with " + outcome;
    }
    if (choice < 70 && !runs.stopCalled.isEmpty()) {
      Run run = pick(new ArrayList<>(runs.stopCalled), random);
      runs.end(run, random.nextBoolean() ? null : new InterruptedException());
      s.settle();
      return "stopped " + run;
    }
    if (choice < 80) {
      Message.Action action = Message.Action.values()[random.nextInt(4)]; // START, STOP, RESTART, RESET
      if (random.nextInt(4) == 0) {
        s.<Void>request(reply -> new Message.CommandAll(action, reply));
        return action + " all";
      }
      s.<Void>request(reply -> new Message.Command(action, name, 0, reply));
      return action + " " + name;
    }
    if (choice < 84) {
      String path = GROUPS[random.nextInt(GROUPS.length)];
      Message.Action action = List.of(Message.Action.STOP, Message.Action.RESTART, Message.Action.RESET)
          .get(random.nextInt(3));
      CompletableFuture<List<String>> reply = s.request(r -> new Message.GroupCommand(action, path, r));
      return action + " group '" + path + "'" + (reply.isDone() ? "" : " (waiting)");
    }
    if (choice < 87) {
      String path = GROUPS[random.nextInt(GROUPS.length)];
      GroupSpec spec = GroupSpec.builder(path).strategy(Strategy.values()[random.nextInt(3)])
          .maxRestarts(random.nextInt(4)).restartWindow(Duration.ofSeconds(1 + random.nextInt(10)))
          .failureThreshold(random.nextBoolean() ? Double.POSITIVE_INFINITY : 1 + random.nextInt(4))
          .failureBackoff(Duration.ofMillis(random.nextInt(2_000))).stopTimeout(Duration.ofSeconds(1)).build();
      s.<Void>request(reply -> new Message.ConfigureGroup(spec, reply));
      return "configure " + spec;
    }
    if (choice < 90) {
      Snapshot shown = s.published.get(name); // the model adds no rejected registrations
      if (shown != null) {
        ServiceSpec spec = randomSpec(name, random).toBuilder().group(shown.group()).build();
        s.<Void>request(reply -> new Message.UpdateSpec(shown.id(), spec, reply));
        return "update " + name + " on " + spec.dependsOn();
      }
    }
    Duration by = Duration.ofMillis(random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(300));
    s.advance(by);
    return "advance " + by.toMillis() + " ms";
  }

  private static ServiceSpec randomSpec(String name, Random random) {
    List<String> dependencies = new ArrayList<>();
    for (String other : NAMES) {
      if (!other.equals(name) && random.nextInt(5) == 0) {
        dependencies.add(other);
      }
    }
    try {
      return ServiceSpec.builder(name).dependsOn(dependencies.toArray(String[]::new))
          .restart(RestartPolicy.values()[random.nextInt(3)]).autoStart(random.nextInt(5) > 0)
          .readiness(random.nextBoolean() ? Readiness.AUTO : Readiness.EXPLICIT)
          .restartDelay(Duration.ofMillis(random.nextInt(3) * 100L)).maxRestartDelay(Duration.ofSeconds(1))
          .jitter(0).maxRestarts(random.nextInt(6)).maxRestartsInWindow(random.nextInt(4))
          .restartWindow(Duration.ofSeconds(1 + random.nextInt(5))).readyTimeout(Duration.ofMillis(500))
          .stopTimeout(Duration.ofMillis(200 + random.nextInt(800)))
          .group(GROUPS[random.nextInt(GROUPS.length)]).build();
    } catch (SupervisorException invalid) {
      throw new AssertionError(invalid);
    }
  }

  private static <T> T pick(List<T> items, Random random) {
    return items.get(random.nextInt(items.size()));
  }
}
