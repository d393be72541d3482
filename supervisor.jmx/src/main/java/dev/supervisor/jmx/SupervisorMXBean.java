package dev.supervisor.jmx;

import java.util.Map;
import javax.management.MBeanOperationInfo;
import javax.management.openmbean.TabularData;

/**
 * The management view of the supervisor as a whole, registered as {@code dev.supervisor:type=Supervisor}:
 * counts by state, the service names, the dependency graph, the operations on every service, and the boot
 * report. Read from the supervisor when asked; open types only.
 *
 * <p>Public only because the MXBean introspector requires it: the package is not exported.
 */
@Description("The OSGi service supervisor: how many services are in which state, their names and dependency "
    + "graph, and operations on all services at once. Emits dev.supervisor.service.rejected when a registration "
    + "is rejected, dev.supervisor.service.failed when any service goes FAILED, and "
    + "dev.supervisor.service.escalated when a service's bundle is refreshed because its restarts were used up, "
    + "and dev.supervisor.service.missingDependency when a dependency has not been registered for longer than "
    + "its grace period.")
public interface SupervisorMXBean {

  @Description("How many services are supervised (rejected registrations included)")
  int getServiceCount();

  @Description("The names of every supervised service, sorted")
  String[] getServiceNames();

  @Description("How many services are in each state (every state listed, zeros included)")
  Map<String, Integer> getStateCounts();

  @Description("Every service in every state, as group path -> service name -> state -> 1 if the service is in "
      + "that state now, else 0 (the root group's path is \"\"). Nested tables, so that exporters such as "
      + "Prometheus' JMX exporter turn group, service and state into labels of one 0/1 gauge")
  Map<String, Map<String, Map<String, Integer>>> getServiceStates();

  @Description("Services in IDLE (registered, not started)")
  int getIdleCount();

  @Description("Services in WAITING (a dependency is missing or not RUNNING)")
  int getWaitingCount();

  @Description("Services in STARTING (run entered, not ready yet)")
  int getStartingCount();

  @Description("Services in RUNNING (ready)")
  int getRunningCount();

  @Description("Services in STOPPING (asked to stop, run has not returned yet)")
  int getStoppingCount();

  @Description("Services in STOPPED (stopped by hand, or finished and not to be restarted)")
  int getStoppedCount();

  @Description("Services in BACKOFF (failed, restart scheduled)")
  int getBackoffCount();

  @Description("Services in FAILED (restart limits reached, fatal, or a rejected registration)")
  int getFailedCount();

  @Description("The dependency graph as text, one line per service: 'name [STATE]' alone, or one line per "
      + "dependency 'name [STATE] -> dependency [STATE]' ('(missing)' for a dependency not registered)")
  String getDependencyGraph();

  @Description(value = "The boot report: waits until start-up has settled (every service RUNNING or come to "
      + "rest: IDLE, STOPPED, FAILED, BACKOFF, or WAITING on what is itself at rest or missing past its grace "
      + "period) or the timeout has passed, then returns one row per service: name, group, state, "
      + "timeToReadyMillis (-1 if it never became ready) and why it is not running (empty when RUNNING). Changes "
      + "nothing; 0 reports at once", impact = MBeanOperationInfo.INFO)
  TabularData awaitStarted(
      @Description("how long to wait at most, in milliseconds (0 or more)") long timeoutMillis)
      throws InterruptedException;

  @Description("Starts every service that is IDLE or STOPPED, in dependency order; FAILED ones are left alone")
  void startAll();

  @Description("Stops every service in reverse dependency order (dependents first); does not wait")
  void stopAll();

  @Description("Restarts every service that is not FAILED, in dependency order")
  void restartAll();

  @Description("Resets every service: clears counters and delays, starts FAILED services again (rejected "
      + "registrations stay FAILED)")
  void resetAll();
}
