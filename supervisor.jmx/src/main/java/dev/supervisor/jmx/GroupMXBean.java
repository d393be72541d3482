package dev.supervisor.jmx;

import java.util.Date;

/**
 * The management view of one supervision group, registered as {@code dev.supervisor:type=Group,name=<path>}
 * (the root group's path is the empty string, which shows quoted: {@code name=""}). Read from the
 * supervisor's snapshot when asked; open types only; durations in milliseconds.
 *
 * <p>Public only because the MXBean introspector requires it: the package is not exported.
 */
@Description("A supervision group: its strategy, its failure intensity (suptree's decayed count, threshold and "
    + "pause; OTP's restarts within a window, past which it fails as a whole and its parent restarts it), its "
    + "members, and operations on all of them.")
public interface GroupMXBean {

  @Description("The group's path; the empty string is the root group")
  String getPath();

  @Description("RUNNING, BACKOFF while its restarts pause, or FAILED (the root, once it gave up)")
  String getState();

  @Description("ONE_FOR_ONE, ONE_FOR_ALL or REST_FOR_ONE")
  String getStrategy();

  @Description("The failure count now: each failure adds one, and it halves every FailureDecay (smoothly)")
  double getFailureCount();

  @Description("The half-life of the failure count, in milliseconds (supervisor.group.failureDecay)")
  long getFailureDecay();

  @Description("The failure count past which every restart in the group pauses (Infinity = never)")
  double getFailureThreshold();

  @Description("How long restarts pause once the threshold is passed, in milliseconds")
  long getFailureBackoff();

  @Description("While restarts pause, when they may go on; null otherwise")
  Date getBackoffUntil();

  @Description("Failures allowed within RestartWindow before the group fails as a whole (0 = no limit)")
  int getMaxRestarts();

  @Description("The window of MaxRestarts, in milliseconds")
  long getRestartWindow();

  @Description("Failures counted within the restart window now")
  int getRestartsInWindow();

  @Description("How many times the group exceeded MaxRestarts and failed as a whole")
  long getEscalations();

  @Description("Why it last failed as a whole, or which members did not stop in time; null if never")
  String getLastFailure();

  @Description("How long stopping the group waits for its members, in milliseconds")
  long getStopTimeout();

  @Description("The services directly in this group")
  String[] getMembers();

  @Description("The paths of its child groups")
  String[] getChildren();

  @Description("Restarts every service of the group and of its child groups (dependents stop first, "
      + "dependencies start first); FAILED ones are left alone")
  void restartAll();

  @Description("Stops every service of the group and of its child groups, dependents first, waiting at most "
      + "the group's stop timeout; returns the services that did not stop in time (interrupted and abandoned)")
  String[] stopAll() throws InterruptedException;

  @Description("Clears the group's failure count, window and pause, and resets every service in it and below")
  void reset();
}
