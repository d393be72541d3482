package dev.supervisor.impl.engine;

import static dev.supervisor.api.State.BACKOFF;
import static dev.supervisor.api.State.FAILED;
import static dev.supervisor.api.State.IDLE;
import static dev.supervisor.api.State.RUNNING;
import static dev.supervisor.api.State.STARTING;
import static dev.supervisor.api.State.STOPPED;
import static dev.supervisor.impl.engine.Stepper.ms;
import static dev.supervisor.impl.engine.Stepper.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.FatalException;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.StatusUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code supervisor.escalate=REFRESH_BUNDLE}: a service whose own restart limits are used up has its escalator
 * called once per name (until a reset) before it is declared FAILED. The escalators here stand in for the OSGi
 * adapter's bundle refresh; the one that "refreshes" does what the framework does: removes the registration
 * and registers the same name again. Stepped: the escalator is called once no message waits, as a run thread
 * would call it.
 */
class EscalationTest {
  private static final String NAME = "worker";
  private static final String BUNDLE = "bundle a [7]";

  private final Stepper s = new Stepper();
  private final List<String> escalations = new ArrayList<>();

  /** Fails every run; gives up after one restart, with a 10 ms delay. */
  private static ServiceSpec.Builder exhausting() {
    return spec(NAME).maxRestarts(1).restartDelay(ms(10)).escalate(Escalation.REFRESH_BUNDLE);
  }

  /** The current registration of {@link #NAME} fails, is restarted after 10 ms and fails again. */
  private void failTwice() {
    s.crash(NAME);
    s.advance(ms(10));
    s.crash(NAME);
  }

  @Test
  void escalatesOnceThenFailsOnTheNextExhaustion() {
    ServiceSpec spec = exhausting().build();
    long[] registration = new long[1];
    Escalator refresh = new Escalator() {
      @Override
      public void escalate(String serviceName, Escalation escalation) {
        escalations.add(serviceName + ":" + escalation);
        // What a bundle refresh does: the bundle stops (its service goes), then starts (it registers again).
        s.remove(registration[0]).join();
        registration[0] = s.add(spec, BUNDLE, this);
      }
    };
    registration[0] = s.add(spec, BUNDLE, refresh);
    long first = registration[0];

    failTwice();
    StatusUpdate escalated = s.updates.last(NAME, STOPPED);
    assertEquals(Optional.of(Escalation.REFRESH_BUNDLE), escalated.escalation());
    assertEquals(FailureKind.EXCEPTION, escalated.failure().orElseThrow().kind());
    assertEquals(first, escalated.serviceId());
    assertNotEquals(first, registration[0], "registered again");
    assertEquals(STARTING, s.state(NAME), "the new registration starts");

    failTwice();
    StatusUpdate failed = s.updates.last(NAME, FAILED);
    assertEquals(Optional.empty(), failed.escalation(), "the name was escalated already");
    assertEquals(registration[0], failed.serviceId(), "FAILED is the refreshed bundle's registration");
    assertEquals(List.of(NAME + ":REFRESH_BUNDLE"), escalations);
    assertEquals(4, s.updates.count(NAME, STARTING), "two runs per registration");
    assertEquals(1, s.info(NAME).bundleRefreshes(), "the count carries over by name");
    assertEquals(List.of(Optional.<Escalation>empty(), Optional.of(Escalation.REFRESH_BUNDLE)),
        s.updates.all().stream().map(StatusUpdate::escalation).distinct().toList(),
        "only the STOPPED update starts the escalation");
  }

  @Test
  void notEscalatedWhenTheSpecSaysNone() {
    s.add(spec(NAME).maxRestarts(1).restartDelay(ms(10)).build(), BUNDLE, (name, escalation) -> escalations.add(name));
    failTwice();
    assertEquals(Optional.empty(), s.updates.last(NAME, FAILED).escalation());
    assertEquals(List.of(IDLE, STARTING, RUNNING, BACKOFF, STARTING, RUNNING, FAILED), s.updates.states(NAME));
    assertEquals(0, s.info(NAME).bundleRefreshes());
    assertEquals(List.of(), escalations);
  }

  @Test
  void aResetAllowsOneMoreEscalation() {
    // This escalator sets the refresh off but nothing comes of it: the registration stays, STOPPED.
    s.add(exhausting().build(), BUNDLE, (name, escalation) -> escalations.add(name));
    failTwice();
    assertEquals(STOPPED, s.state(NAME));
    assertEquals(List.of(NAME), escalations);

    s.start(NAME); // its restarts are still used up: the next failure ends it, without a second escalation
    s.crash(NAME);
    assertEquals(Optional.empty(), s.updates.last(NAME, FAILED).escalation());
    assertEquals(1, s.info(NAME).bundleRefreshes());
    assertEquals(List.of(NAME), escalations);

    s.reset(NAME);
    failTwice();
    StatusUpdate again = s.updates.last(NAME, STOPPED);
    assertEquals(2, s.updates.count(NAME, STOPPED));
    assertEquals(Optional.of(Escalation.REFRESH_BUNDLE), again.escalation());
    assertEquals(2, s.info(NAME).bundleRefreshes());
    assertEquals(List.of(NAME, NAME), escalations);
  }

  @Test
  void anEscalatorThatRefusesLeavesTheServiceFailedAndSaysWhy() {
    List<String> errors = new ArrayList<>();
    Stepper logged = new Stepper(new RecordingLog(errors));
    // Exhausted by the window limit this time: the same escalation applies.
    logged.add(spec(NAME).maxRestartsInWindow(1).restartDelay(ms(0)).escalate(Escalation.REFRESH_BUNDLE).build(),
        BUNDLE, (name, escalation) -> {
          throw new IllegalStateException("bundle a [7] is the system bundle");
        });
    logged.crash(NAME);
    logged.crash(NAME);
    StatusUpdate stopped = logged.updates.last(NAME, STOPPED);
    assertEquals(Optional.of(Escalation.REFRESH_BUNDLE), stopped.escalation());
    StatusUpdate failed = logged.updates.last(NAME, FAILED);
    assertEquals(stopped.failure(), failed.failure(), "FAILED with the worker's last failure");
    assertEquals(List.of(IDLE, STARTING, RUNNING, BACKOFF, STARTING, RUNNING, STOPPED, FAILED),
        logged.updates.states(NAME), "a zero delay passes through BACKOFF too");
    assertEquals(0, logged.info(NAME).bundleRefreshes(), "a refused refresh is not counted");
    assertTrue(errors.stream().anyMatch(line -> line.contains("'" + NAME + "' FAILED")
        && line.contains("bundle a [7] is the system bundle")), errors::toString);
  }

  @Test
  void aWorkerAddedThroughThePlainApiHasNoBundleToRefresh() {
    s.add(exhausting());
    failTwice();
    assertEquals(List.of(IDLE, STARTING, RUNNING, BACKOFF, STARTING, RUNNING, STOPPED, FAILED), s.updates.states(NAME));
    assertEquals(0, s.info(NAME).bundleRefreshes());
  }

  @Test
  void aFatalErrorIsNotEscalated() {
    s.add(exhausting().build(), BUNDLE, (name, escalation) -> escalations.add(name));
    s.enter(NAME);
    s.end(NAME, new FatalException(3, "disk gone"));
    assertEquals(FailureKind.FATAL, s.updates.last(NAME, FAILED).failure().orElseThrow().kind());
    assertTrue(s.updates.all().stream().allMatch(update -> update.escalation().isEmpty()),
        () -> s.updates.transitions().toString());
    assertEquals(List.of(IDLE, STARTING, RUNNING, FAILED), s.updates.states(NAME));
    assertEquals(0, s.info(NAME).bundleRefreshes());
    assertEquals(List.of(), escalations);
  }

  @Test
  void aGroupFailingAsAWholeDoesNotEscalate() {
    s.configureGroup(GroupSpec.builder("g").maxRestarts(1).restartWindow(Duration.ofMinutes(1)));
    s.add(spec(NAME).group("g").restartDelay(Duration.ZERO).maxRestartDelay(Duration.ZERO).maxRestarts(5)
        .escalate(Escalation.REFRESH_BUNDLE).build(), BUNDLE, (name, escalation) -> escalations.add(name));
    // Failure 2 exceeds the group's limit: the group fails as a whole and the root restarts it; the service's
    // own limit (5) is far off, so nothing escalates to the bundle.
    s.crash(NAME);
    s.crash(NAME);
    s.enter(NAME);
    assertEquals(RUNNING, s.state(NAME));
    assertEquals(1, s.group("g").escalations());
    assertTrue(s.updates.all().stream().allMatch(update -> update.escalation().isEmpty()),
        () -> s.updates.transitions().toString());
    assertEquals(0, s.info(NAME).bundleRefreshes());
    assertEquals(List.of(), escalations);
  }

  /** Keeps every error line. */
  private record RecordingLog(List<String> errors) implements EngineLog {
    @Override public void info(String message) {}

    @Override public void warn(String message, Throwable error) {}

    @Override public void error(String message, Throwable error) { errors.add(message); }
  }
}
