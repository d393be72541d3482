package dev.supervisor.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An immutable snapshot of one supervision group: its spec, its live failure intensity and its members.
 * The decayed failure count is computed as of {@link #takenAt()}.
 */
@ProviderType
public interface GroupInfo {

  /** @return the group's path; "" is the root */
  String path();

  /** @return the effective spec */
  GroupSpec spec();

  /** @return when this snapshot was taken */
  Instant takenAt();

  /** @return {@link State#RUNNING}, or {@link State#BACKOFF} while restarts pause, or {@link State#FAILED} (the root, once it gave up) */
  State state();

  /** @return suptree's decayed failure count as of {@link #takenAt()}: each failure adds one, halving every failureDecay */
  double failureCount();

  /** @return while restarts pause, when they may go on */
  Optional<Instant> backoffUntil();

  /** @return failures within the spec's restart window, as of {@link #takenAt()} (OTP's intensity) */
  int restartsInWindow();

  /** @return how many times the group exceeded its restart intensity and failed as a whole */
  long escalations();

  /** @return what made it fail last, or which members did not stop in time when it was last stopped */
  Optional<Failure> lastFailure();

  /** @return the services directly in this group, by name */
  List<String> members();

  /** @return the paths of the direct child groups */
  List<String> children();
}
