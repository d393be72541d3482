package dev.supervisor.jmx;

import java.util.Date;
import java.util.Map;

/**
 * The management view of one supervised service, registered as {@code dev.supervisor:type=Service,name=<name>}.
 * Every attribute is read from the supervisor's current snapshot when it is asked for; every type is an
 * open type (String, long, int, Date, String[], and the spec as TabularData), so a JMX client needs no
 * class of this product. Times are {@link Date}s ({@code null} when there is none yet), durations are
 * milliseconds.
 *
 * <p>Public only because the MXBean introspector requires it: the package is not exported.
 */
@Description("A service supervised by the OSGi service supervisor: its state, metrics and spec, and the "
    + "operations start, stop, restart, reset and remove. Emits an AttributeChangeNotification on every state change "
    + "and dev.supervisor.service.failed when it goes FAILED, dev.supervisor.service.escalated when its bundle is "
    + "refreshed because its restarts were used up (supervisor.escalate).")
public interface ServiceMXBean {

  @Description("The service's name (supervisor.name), as registered; the name key of this MBean's ObjectName "
      + "is this name, quoted with ObjectName.quote when it contains characters an ObjectName does not allow")
  String getName();

  @Description("A number unique to this registration within the supervisor (the same as in status updates)")
  long getId();

  @Description("The current state: IDLE, WAITING, STARTING, RUNNING, STOPPING, STOPPED, BACKOFF or FAILED")
  String getState();

  @Description("When the service entered its current state")
  Date getStateSince();

  @Description("How many times run() was called")
  long getStartCount();

  @Description("How many runs ended in failure (exceptions, ready timeouts, stop timeouts)")
  long getFailureCount();

  @Description("How many runs returned normally (DoNotRestartException included)")
  long getSuccessCount();

  @Description("How many restarts the supervisor scheduled after a run ended (the restart limits count these)")
  long getRestartCount();

  @Description("Failures since the last run that did not fail (or that outlived the restart window)")
  int getConsecutiveFailures();

  @Description("Restarts inside the sliding restart window (supervisor.restartWindow), as of now")
  int getRestartsInWindow();

  @Description("Kind of the most recent failure: EXCEPTION, PANIC, READY_TIMEOUT, STOP_TIMEOUT, FATAL or "
      + "REJECTED (the registration itself was invalid); null if the service never failed")
  String getLastErrorKind();

  @Description("Class name of the exception of the most recent failure; empty for failures without one "
      + "(ready timeout); null if the service never failed")
  String getLastErrorClass();

  @Description("Message of the most recent failure (for a rejected registration: why it was rejected); null "
      + "if the service never failed")
  String getLastErrorMessage();

  @Description("Printed stack trace of the most recent failure, or empty; null if the service never failed")
  String getLastErrorStackTrace();

  @Description("When the supervisor saw the most recent failure; null if the service never failed")
  Date getLastErrorTime();

  @Description("Why the service last ended for good without failing: the message of the DoNotRestartException "
      + "its run threw; null if it did not, and again once it starts anew")
  String getStopReason();

  @Description("When run() was last called; null if never")
  Date getLastStartTime();

  @Description("When run() last returned (or was abandoned); null if never")
  Date getLastStopTime();

  @Description("Milliseconds the current run has been RUNNING; 0 when not RUNNING")
  long getCurrentUptime();

  @Description("The current uptime in words, e.g. 1h 02m 03.456s")
  String getCurrentUptimeText();

  @Description("Milliseconds RUNNING over all runs, the current one included")
  long getTotalUptime();

  @Description("The total uptime in words, e.g. 1h 02m 03.456s")
  String getTotalUptimeText();

  @Description("Milliseconds: the total uptime divided by the number of runs that reached RUNNING; 0 if none did")
  long getAverageUptime();

  @Description("The average uptime in words, e.g. 1h 02m 03.456s")
  String getAverageUptimeText();

  @Description("Milliseconds from run() entered to ready, for the last start that became ready; -1 if none did")
  long getTimeToReady();

  @Description("Milliseconds of the restart delay scheduled now (BACKOFF) or last; 0 if none yet")
  long getCurrentDelay();

  @Description("In BACKOFF: when the restart is due; otherwise null")
  Date getNextRestartAt();

  @Description("When the service was added to the supervisor")
  Date getCreatedAt();

  @Description("Who registered it, e.g. com.acme.workers [42] for a bundle")
  String getOwner();

  @Description("The path of its supervision group (supervisor.group); the empty string is the root group")
  String getGroup();

  @Description("Every dependency the supervisor orders by: the declared ones (supervisor.dependsOn) in the "
      + "order of the spec, then those derived from Declarative Services references")
  String[] getDependencies();

  @Description("The declared dependencies (supervisor.dependsOn), in the order of the spec")
  String[] getDeclaredDependencies();

  @Description("Dependencies derived from the service's mandatory Declarative Services references to other "
      + "supervised services (or to their supervisor.<name> conditions), sorted by name")
  String[] getDerivedDependencies();

  @Description("Services that declare this one as a dependency, sorted by name")
  String[] getDependents();

  @Description("Declared dependencies that are not registered at the moment (the service waits for them)")
  String[] getMissingDependencies();

  @Description("Missing dependencies not registered for longer than supervisor.missingDependencyGrace (default "
      + "30 s): each was reported once (a WARN log line and the supervisor MBean's "
      + "dev.supervisor.service.missingDependency notification, with the closest registered name); the service "
      + "still waits for them and starts when they appear")
  String[] getOverdueDependencies();

  @Description("How many times the supervisor refreshed the bundle of a service of this name because its restarts "
      + "were used up (supervisor.escalate=REFRESH_BUNDLE); counted by name, so the registration the refreshed "
      + "bundle makes shows it too")
  long getBundleRefreshes();

  @Description("The restart policy (supervisor.restart): ALWAYS, ON_FAILURE or NEVER")
  String getRestartPolicy();

  @Description("The effective spec: every supervisor.* property and its value (durations in ISO-8601, "
      + "dependencies comma-separated)")
  Map<String, String> getSpec();

  @Description("Starts the service if it is IDLE or STOPPED (or cuts a BACKOFF delay short); does nothing if it "
      + "is already starting or running. Fails for a FAILED service: reset it")
  void start();

  @Description("Stops the service and keeps it (STOPPED); its running dependents stop first")
  void stop();

  @Description("Stops the service (dependents first) and starts it again; starts it if it was not running")
  void restart();

  @Description("Clears the restart counters, consecutive failures, window and delay; a FAILED service starts "
      + "again, a service in BACKOFF restarts now. A rejected registration stays FAILED")
  void reset();

  @Description("Stops the service (dependents first) and removes it, if a bundle added it through the Supervisor "
      + "service; its MBean goes away. Refused for an OSGi service registration (whiteboard), which belongs to the "
      + "bundle that registered it: unregister it there, or stop it. Removing a service that is gone does nothing")
  void remove();
}
