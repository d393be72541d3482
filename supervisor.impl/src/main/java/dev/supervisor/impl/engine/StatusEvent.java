package dev.supervisor.impl.engine;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Failure;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import java.time.Instant;
import java.util.Optional;

/** The engine's immutable {@link StatusUpdate}. */
record StatusEvent(long serviceId, String serviceName, String group, long sequence, Instant time, State previous, State newState,
    Failure cause, Escalation escalationStarted, String reason) implements StatusUpdate {

  @Override public Optional<State> oldState() { return Optional.ofNullable(previous); }

  @Override public Optional<Failure> failure() { return Optional.ofNullable(cause); }

  @Override public Optional<Escalation> escalation() { return Optional.ofNullable(escalationStarted); }

  @Override public Optional<String> stopReason() { return Optional.ofNullable(reason); }

  @Override
  public String toString() {
    return serviceName + " #" + sequence + ": " + previous + " -> " + newState
        + (cause == null ? "" : " (" + cause + ")")
        + (escalationStarted == null ? "" : ", escalating: " + escalationStarted)
        + (reason == null ? "" : ", ended for good: " + reason);
  }
}
