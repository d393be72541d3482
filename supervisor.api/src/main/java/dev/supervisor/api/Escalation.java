package dev.supervisor.api;

/**
 * What the supervisor does, once, when a service has used up its restarts ({@code supervisor.maxRestarts} or
 * {@code supervisor.maxRestartsInWindow}), before it declares the service {@link State#FAILED}.
 * Property {@code supervisor.escalate}.
 */
public enum Escalation {
  /** Nothing: the service goes FAILED at once. The default. */
  NONE,
  /**
   * Refresh the bundle that registered the service ({@code FrameworkWiring.refreshBundles}): the bundle is
   * stopped and started again, with fresh class loaders and a new registration of the service. This happens
   * once per service name; when the new registration uses up its restarts too, it goes FAILED. A manual
   * {@code reset} allows one more refresh. The service rests {@link State#STOPPED} while the refresh is on its
   * way; if the bundle cannot be refreshed (none is known, it is the supervisor's own or the system bundle),
   * it goes FAILED and the log says why.
   */
  REFRESH_BUNDLE
}
