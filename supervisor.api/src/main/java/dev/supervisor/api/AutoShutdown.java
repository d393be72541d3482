package dev.supervisor.api;

/**
 * When a group ends by itself because of its significant members ({@code supervisor.significant}), as OTP
 * 24's {@code auto_shutdown}: a significant member "ends for good" when it is FAILED, or when its run ended
 * and its restart policy does not restart it (a stop by hand, a removal or the supervisor closing is not
 * such an end). The group then stops all its members in reverse dependency order and ends; for the root
 * group, the supervisor terminates.
 *
 * @since 1.3
 */
public enum AutoShutdown {
  /** Never: significant members mean nothing to the group (the default). */
  NEVER,
  /** When any significant member has ended for good. */
  ANY_SIGNIFICANT,
  /** When every significant member has ended for good. */
  ALL_SIGNIFICANT
}
