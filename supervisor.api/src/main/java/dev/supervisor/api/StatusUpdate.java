package dev.supervisor.api;

import java.time.Instant;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One state change of one service, as delivered to {@link SupervisorListener}s. Immutable.
 *
 * <p>Updates of one service arrive in the order they happened and carry consecutive
 * {@link #sequence()} numbers starting at 1, so a gap would show a lost update.
 */
@ProviderType
public interface StatusUpdate {

  /** @return a number unique to the service's registration within this supervisor */
  long serviceId();

  /** @return the service's name */
  String serviceName();

  /** @return the path of the service's group; "" is the root group */
  String group();

  /** @return 1 for the first update of this registration, then +1 per update */
  long sequence();

  /** @return when the change happened, by the supervisor's clock */
  Instant time();

  /** @return the state before, or empty for the very first update of a registration */
  Optional<State> oldState();

  /** @return the state after */
  State newState();

  /** @return the failure that caused this change, if one did (BACKOFF, FAILED, and STOPPED after a failure) */
  Optional<Failure> failure();

  /**
   * @return the escalation this change starts, if it does: {@link Escalation#REFRESH_BUNDLE} on the update to
   *     {@link State#STOPPED} of a service whose restarts were used up and whose bundle is about to be refreshed
   */
  default Optional<Escalation> escalation() {
    return Optional.empty();
  }

  /**
   * @return on the update to {@link State#STOPPED} of a run that threw {@link DoNotRestartException}, its
   *     message (why the service ended for good); empty otherwise
   * @since 1.2
   */
  default Optional<String> stopReason() {
    return Optional.empty();
  }
}
