package dev.supervisor.impl.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The Metatype description of PID {@code dev.supervisor} (e.g. {@code etc/dev.supervisor.cfg} in Karaf):
 * defaults for every service's timings and limits, the root group's strategy and intensity, and what a
 * fatal error does, and which threads carry the runs. Keys are the service property keys
 * ({@code supervisor.restartDelay}, ...), the group property keys ({@code supervisor.group.strategy}, ... for the
 * root group), {@code fatal.action}, {@code supervised.components} and {@code supervisor.threads}. A service's
 * own property always wins over a default; an element that {@code @SupervisedService} leaves out is no
 * property. Read as a plain map by {@link SupervisorComponent}, which validates it.
 *
 * <p>The service keys here are those {@link dev.supervisor.api.ServiceProperty} marks configurable, with its
 * defaults: annotation values must be constants, so this cannot be generated from the table, and
 * {@code PropertyTableTest} checks it instead.
 */
@ObjectClassDefinition(id = SupervisorComponent.PID, name = "Service supervisor",
    description = "Defaults for every supervised service, the root supervision group, and the fatal-error action. "
        + "Changes apply live: the next restart decision uses them; running workers are not disturbed. "
        + "Except supervisor.threads: read when the supervisor starts.")
@interface SupervisorConfiguration {

  @AttributeDefinition(name = "Restart policy", description = "supervisor.restart for services that set none",
      options = {@Option(label = "ALWAYS", value = "ALWAYS"), @Option(label = "ON_FAILURE", value = "ON_FAILURE"), @Option(label = "NEVER", value = "NEVER")})
  String supervisor_restart() default "ON_FAILURE";

  @AttributeDefinition(name = "Auto start", description = "supervisor.autoStart for services that set none")
  boolean supervisor_autoStart() default true;

  @AttributeDefinition(name = "Restart delay", description = "First restart delay, ISO-8601 (PT0.1S) or millis")
  String supervisor_restartDelay() default "PT0.1S";

  @AttributeDefinition(name = "Maximum restart delay", description = "Cap of the growing delay, ISO-8601 or millis")
  String supervisor_maxRestartDelay() default "PT30S";

  @AttributeDefinition(name = "Backoff multiplier", description = "Delay growth per consecutive failure, >= 1")
  double supervisor_backoffMultiplier() default 2.0;

  @AttributeDefinition(name = "Jitter", description = "Random +/- fraction of each delay, 0 to 1")
  double supervisor_jitter() default 0.1;

  @AttributeDefinition(name = "Maximum restarts", description = "Lifetime restart cap, then FAILED; 0 = unlimited")
  int supervisor_maxRestarts() default 0;

  @AttributeDefinition(name = "Restart window", description = "Sliding window for the next limit, ISO-8601 or millis")
  String supervisor_restartWindow() default "PT60S";

  @AttributeDefinition(name = "Maximum restarts in window", description = "Restarts allowed in the window; 0 = unlimited")
  int supervisor_maxRestartsInWindow() default 0;

  @AttributeDefinition(name = "Ready timeout", description = "With EXPLICIT readiness: no ready() in time = failed start")
  String supervisor_readyTimeout() default "PT30S";

  @AttributeDefinition(name = "Stop timeout", description = "After a stop request: then interrupt and abandon")
  String supervisor_stopTimeout() default "PT10S";

  @AttributeDefinition(name = "Readiness", description = "AUTO: ready when run is entered; EXPLICIT: on ctx.ready()",
      options = {@Option(label = "AUTO", value = "AUTO"), @Option(label = "EXPLICIT", value = "EXPLICIT")})
  String supervisor_readiness() default "AUTO";

  @AttributeDefinition(name = "Escalation", description = "supervisor.escalate for services that set none: "
      + "REFRESH_BUNDLE refreshes the worker's bundle once when its restarts are used up, before it is FAILED",
      options = {@Option(label = "NONE", value = "NONE"), @Option(label = "REFRESH_BUNDLE", value = "REFRESH_BUNDLE")})
  String supervisor_escalate() default "NONE";

  @AttributeDefinition(name = "Missing dependency grace", description = "A dependency not registered for this long "
      + "is reported (a WARN line, the health check, a JMX notification); the service still waits for it")
  String supervisor_missingDependencyGrace() default "PT30S";

  @AttributeDefinition(name = "Supervised DS components", required = false,
      description = "Names of Declarative Services components to supervise as if they set supervisor.component=true")
  String[] supervised_components() default {};

  @AttributeDefinition(name = "Root group strategy", description = "How the root group answers a member's failure",
      options = {@Option(label = "ONE_FOR_ONE", value = "ONE_FOR_ONE"), @Option(label = "ONE_FOR_ALL", value = "ONE_FOR_ALL"), @Option(label = "REST_FOR_ONE", value = "REST_FOR_ONE")})
  String supervisor_group_strategy() default "ONE_FOR_ONE";

  @AttributeDefinition(name = "Root failure decay", description = "Half-life of the root's failure count")
  String supervisor_group_failureDecay() default "PT30S";

  @AttributeDefinition(name = "Root failure threshold",
      description = "Failure count past which the root pauses restarts; Infinity = never")
  double supervisor_group_failureThreshold() default Double.POSITIVE_INFINITY;

  @AttributeDefinition(name = "Root failure backoff", description = "How long the root pauses restarts")
  String supervisor_group_failureBackoff() default "PT15S";

  @AttributeDefinition(name = "Root maximum restarts",
      description = "Failures within the root's window past which the supervisor gives up; 0 = no limit")
  int supervisor_group_maxRestarts() default 0;

  @AttributeDefinition(name = "Root restart window", description = "The window of the root's maximum restarts")
  String supervisor_group_restartWindow() default "PT5S";

  @AttributeDefinition(name = "Root stop timeout", description = "How long stopping the root group waits")
  String supervisor_group_stopTimeout() default "PT10S";

  @AttributeDefinition(name = "Root auto-shutdown", description = "When the supervisor ends because of its "
      + "significant services (supervisor.significant): NEVER, or once ANY or ALL of them ended for good",
      options = {@Option(label = "NEVER", value = "NEVER"), @Option(label = "ANY_SIGNIFICANT", value = "ANY_SIGNIFICANT"),
          @Option(label = "ALL_SIGNIFICANT", value = "ALL_SIGNIFICANT")})
  String supervisor_group_autoShutdown() default "NEVER";

  @AttributeDefinition(name = "Run threads", description = "What carries the runs: PLATFORM, platform threads kept "
      + "for reuse; VIRTUAL, a virtual thread per run (Java 21 or later; on an older Java a warning, and platform "
      + "threads). Read when the supervisor starts: a change applies once bundle supervisor.impl is restarted",
      options = {@Option(label = "PLATFORM", value = "PLATFORM"), @Option(label = "VIRTUAL", value = "VIRTUAL")})
  String supervisor_threads() default "PLATFORM";

  @AttributeDefinition(name = "Fatal action",
      description = "What a FatalException (or the root giving up) does besides stopping every service",
      options = {@Option(label = "STOP_SUPERVISOR", value = "STOP_SUPERVISOR"), @Option(label = "STOP_FRAMEWORK", value = "STOP_FRAMEWORK")})
  String fatal_action() default "STOP_SUPERVISOR";
}
