package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.IDLE;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STARTING;
import static dev.supervisor.api.State.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.FatalException;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervised;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code supervisor.escalate=REFRESH_BUNDLE}: a service whose own restart limits are used up has its escalator
 * called once per name (until a reset) before it is declared FAILED. The escalators here stand in for the OSGi
 * adapter's bundle refresh; the one that "refreshes" does what the framework does: removes the registration
 * and registers the same name again.
 */
class EscalationTest extends EngineTestBase {

  private static final String NAME = "worker";

  private final List<String> escalations = new CopyOnWriteArrayList<>();
  private final AtomicInteger runs = new AtomicInteger();

  /** Fails every run; gives up after one restart, with a 10 ms delay. */
  private static ServiceSpec.Builder exhausting() {
    return spec(NAME).maxRestarts(1).restartDelay(ms(10)).escalate(Escalation.REFRESH_BUNDLE);
  }

  /** Runs the first registration of {@link #NAME} up to its exhaustion: one failure, one restart, one more. */
  private void failTwice(int time) {
    recorder.await(NAME, BACKOFF, time);
    advance(ms(10));
  }

  @Test
  void escalatesOnceThenFailsOnTheNextExhaustion() {
    ServiceSpec spec = exhausting().build();
    Supervised worker = Workers.failing(runs);
    AtomicReference<ServiceToken> registration = new AtomicReference<>();
    Escalator refresh = new Escalator() {
      @Override
      public void escalate(String serviceName, Escalation escalation) {
        escalations.add(serviceName + ":" + escalation);
        // What a bundle refresh does: the bundle stops (its service goes), then starts (it registers again).
        registration.get().remove();
        registration.set(engine.add(spec, worker, "bundle a [7]", this));
      }
    };
    registration.set(engine.add(spec, worker, "bundle a [7]", refresh));

    failTwice(1);
    StatusUpdate escalated = recorder.await(NAME, STOPPED);
    assertEquals(Optional.of(Escalation.REFRESH_BUNDLE), escalated.escalation());
    assertEquals(FailureKind.EXCEPTION, escalated.failure().orElseThrow().kind());

    failTwice(2);
    StatusUpdate failed = recorder.await(NAME, FAILED);
    assertEquals(Optional.empty(), failed.escalation(), "the name was escalated already");
    assertNotEquals(escalated.serviceId(), failed.serviceId(), "FAILED is the refreshed bundle's registration");
    assertEquals(List.of(NAME + ":REFRESH_BUNDLE"), escalations);
    assertEquals(4, runs.get(), "two runs per registration");
    assertEquals(1, engine.info(NAME).orElseThrow().bundleRefreshes(), "the count carries over by name");
    assertEquals(List.of(Optional.<Escalation>empty(), Optional.of(Escalation.REFRESH_BUNDLE)),
        recorder.all().stream().map(StatusUpdate::escalation).distinct().collect(Collectors.toList()),
        "only the STOPPED update starts the escalation");
  }

  @Test
  void notEscalatedWhenTheSpecSaysNone() {
    engine.add(spec(NAME).maxRestarts(1).restartDelay(ms(10)).build(), Workers.failing(runs), "bundle a [7]",
        (name, escalation) -> escalations.add(name));
    failTwice(1);
    StatusUpdate failed = recorder.await(NAME, FAILED);
    assertEquals(Optional.empty(), failed.escalation());
    assertEquals(List.of(IDLE, STARTING, RUNNING, BACKOFF, STARTING, RUNNING, FAILED), recorder.states(NAME));
    assertEquals(0, engine.info(NAME).orElseThrow().bundleRefreshes());
  }

  @Test
  void aResetAllowsOneMoreEscalation() {
    // This escalator sets the refresh off but nothing comes of it: the registration stays, STOPPED.
    engine.add(exhausting().build(), Workers.failing(runs), "bundle a [7]",
        (name, escalation) -> escalations.add(name));
    failTwice(1);
    recorder.await(NAME, STOPPED);

    engine.start(NAME); // its restarts are still used up: the next failure ends it, without a second escalation
    StatusUpdate failed = recorder.await(NAME, FAILED);
    assertEquals(Optional.empty(), failed.escalation());
    assertEquals(1, engine.info(NAME).orElseThrow().bundleRefreshes());

    engine.reset(NAME);
    failTwice(2);
    StatusUpdate again = recorder.await(NAME, STOPPED, 2);
    assertEquals(Optional.of(Escalation.REFRESH_BUNDLE), again.escalation());
    assertEquals(2, engine.info(NAME).orElseThrow().bundleRefreshes());
  }

  @Test
  void anEscalatorThatRefusesLeavesTheServiceFailedAndSaysWhy() {
    List<String> errors = new CopyOnWriteArrayList<>();
    Engine logged = new Engine(clock, Jitter.NONE, new RecordingLog(errors));
    Recorder updates = new Recorder();
    logged.addListener(updates);
    try {
      // Exhausted by the window limit this time: the same escalation applies.
      logged.add(spec(NAME).maxRestartsInWindow(1).restartDelay(ms(0)).escalate(Escalation.REFRESH_BUNDLE).build(),
          Workers.failing(runs), "bundle a [7]", (name, escalation) -> {
            throw new IllegalStateException("bundle a [7] is the system bundle");
          });
      StatusUpdate stopped = updates.await(NAME, STOPPED);
      assertEquals(Optional.of(Escalation.REFRESH_BUNDLE), stopped.escalation());
      StatusUpdate failed = updates.await(NAME, FAILED);
      assertEquals(stopped.failure(), failed.failure(), "FAILED with the worker's last failure");
      assertEquals(0, logged.info(NAME).orElseThrow().bundleRefreshes(), "a refused refresh is not counted");
      assertTrue(errors.stream().anyMatch(line -> line.contains("'" + NAME + "' FAILED")
          && line.contains("bundle a [7] is the system bundle")), errors::toString);
    } finally {
      logged.close();
    }
  }

  @Test
  void aWorkerAddedThroughThePlainApiHasNoBundleToRefresh() {
    add(exhausting(), Workers.failing(runs));
    failTwice(1);
    recorder.await(NAME, FAILED);
    assertEquals(List.of(IDLE, STARTING, RUNNING, BACKOFF, STARTING, RUNNING, STOPPED, FAILED), recorder.states(NAME));
    assertEquals(0, engine.info(NAME).orElseThrow().bundleRefreshes());
  }

  @Test
  void aFatalErrorIsNotEscalated() {
    engine.add(exhausting().build(), ctx -> {
      throw new FatalException(3, "disk gone");
    }, "bundle a [7]", (name, escalation) -> escalations.add(name));
    StatusUpdate failed = recorder.await(NAME, FAILED);
    assertEquals(FailureKind.FATAL, failed.failure().orElseThrow().kind());
    assertTrue(recorder.all().stream().allMatch(update -> update.escalation().isEmpty()),
        () -> recorder.transitions().toString());
    assertEquals(List.of(IDLE, STARTING, RUNNING, FAILED), recorder.states(NAME));
    assertEquals(0, engine.info(NAME).orElseThrow().bundleRefreshes());
  }

  @Test
  void aGroupFailingAsAWholeDoesNotEscalate() {
    engine.configureGroup(GroupSpec.builder("g").maxRestarts(1).restartWindow(Duration.ofMinutes(1)).build());
    engine.add(spec(NAME).group("g").restartDelay(Duration.ZERO).maxRestartDelay(Duration.ZERO).maxRestarts(5)
        .escalate(Escalation.REFRESH_BUNDLE).build(), ctx -> {
          if (runs.incrementAndGet() <= 2) {
            throw new java.io.IOException("failure " + runs.get());
          }
          ctx.awaitStop();
        }, "bundle a [7]", (name, escalation) -> escalations.add(name));
    // Failure 2 exceeds the group's limit: the group fails as a whole and the root restarts it; the service's
    // own limit (5) is far off, so nothing escalates to the bundle.
    recorder.await(NAME, RUNNING, 3);
    assertEquals(1, engine.group("g").orElseThrow().escalations());
    assertTrue(recorder.all().stream().allMatch(update -> update.escalation().isEmpty()),
        () -> recorder.transitions().toString());
    assertEquals(0, engine.info(NAME).orElseThrow().bundleRefreshes());
  }

  /** Keeps every error line. */
  private record RecordingLog(List<String> errors) implements EngineLog {
    @Override public void info(String message) {}

    @Override public void warn(String message, Throwable error) {}

    @Override public void error(String message, Throwable error) { errors.add(message); }
  }
}
