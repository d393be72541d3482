package dev.supervisor.impl.engine;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a service's {@code supervisor.*} properties into a {@link ServiceSpec}. Every error names the
 * service (once its name is known), the property and the value as given.
 *
 * <p>Accepted forms: durations as {@link java.time.Duration}, ISO-8601 text ({@code "PT0.5S"}) or whole milliseconds
 * (a number, or digits as text); numbers as numbers or text; booleans as {@link Boolean} or
 * {@code "true"}/{@code "false"}; enum names in any letter case; {@code supervisor.dependsOn} as one
 * String, a String[] or a collection of Strings.
 */
public final class SpecProperties {
  private static final Set<String> KNOWN = Set.of(ServiceSpec.NAME, ServiceSpec.DEPENDS_ON, ServiceSpec.RESTART,
      ServiceSpec.AUTO_START, ServiceSpec.RESTART_DELAY, ServiceSpec.MAX_RESTART_DELAY,
      ServiceSpec.BACKOFF_MULTIPLIER, ServiceSpec.JITTER, ServiceSpec.MAX_RESTARTS, ServiceSpec.RESTART_WINDOW,
      ServiceSpec.MAX_RESTARTS_IN_WINDOW, ServiceSpec.READY_TIMEOUT, ServiceSpec.STOP_TIMEOUT,
      ServiceSpec.READINESS, ServiceSpec.GROUP, ServiceSpec.COMPONENT, ServiceSpec.ESCALATE);

  private SpecProperties() {}

  /**
   * @param properties the service's properties (other keys are ignored)
   * @param warn told about {@code supervisor.*} keys this version does not know (likely typos)
   * @return the spec
   * @throws SupervisorException INVALID_PROPERTY, DEPENDS_ON_ITSELF or DUPLICATE_DEPENDENCY
   */
  public static ServiceSpec parse(Map<String, ?> properties, Consumer<String> warn) {
    return parse(properties, Map.of(), warn);
  }

  /**
   * @param properties the service's properties (other keys are ignored)
   * @param defaults values for keys the service does not set (from {@link #defaults}); the service's win
   * @param warn told about {@code supervisor.*} keys this version does not know (likely typos)
   * @return the spec
   * @throws SupervisorException INVALID_PROPERTY, DEPENDS_ON_ITSELF or DUPLICATE_DEPENDENCY
   */
  public static ServiceSpec parse(Map<String, ?> properties, Map<String, ?> defaults, Consumer<String> warn) {
    Object rawName = properties.get(ServiceSpec.NAME);
    if (!(rawName instanceof String name)) {
      throw SupervisorException.invalidProperty(null, ServiceSpec.NAME, rawName,
          rawName == null ? "is required on every Supervised service" : "must be a String");
    }
    ServiceSpec.Builder builder = ServiceSpec.builder(name);
    read(PropertyReader.forService(name, defaults), builder);
    read(PropertyReader.forService(name, properties), builder);
    for (String key : properties.keySet()) {
      if (key.startsWith("supervisor.") && !KNOWN.contains(key)) {
        warn.accept("service '" + name + "': unknown property " + key + " ignored (known: " + KNOWN + ")");
      }
    }
    try {
      return builder.build();
    } catch (SupervisorException e) {
      throw e.forService(name);
    }
  }

  /** Applies every {@code supervisor.*} key the reader's properties hold. */
  private static void read(PropertyReader reader, ServiceSpec.Builder builder) {
    reader.stringList(ServiceSpec.DEPENDS_ON).ifPresent(builder::dependsOn);
    reader.enumValue(ServiceSpec.RESTART, RestartPolicy.class).ifPresent(builder::restart);
    reader.bool(ServiceSpec.AUTO_START).ifPresent(builder::autoStart);
    reader.duration(ServiceSpec.RESTART_DELAY).ifPresent(builder::restartDelay);
    reader.duration(ServiceSpec.MAX_RESTART_DELAY).ifPresent(builder::maxRestartDelay);
    reader.decimal(ServiceSpec.BACKOFF_MULTIPLIER).ifPresent(builder::backoffMultiplier);
    reader.decimal(ServiceSpec.JITTER).ifPresent(builder::jitter);
    reader.integer(ServiceSpec.MAX_RESTARTS).ifPresent(builder::maxRestarts);
    reader.duration(ServiceSpec.RESTART_WINDOW).ifPresent(builder::restartWindow);
    reader.integer(ServiceSpec.MAX_RESTARTS_IN_WINDOW).ifPresent(builder::maxRestartsInWindow);
    reader.duration(ServiceSpec.READY_TIMEOUT).ifPresent(builder::readyTimeout);
    reader.duration(ServiceSpec.STOP_TIMEOUT).ifPresent(builder::stopTimeout);
    reader.enumValue(ServiceSpec.READINESS, Readiness.class).ifPresent(builder::readiness);
    reader.string(ServiceSpec.GROUP).ifPresent(builder::group);
    reader.enumValue(ServiceSpec.ESCALATE, Escalation.class).ifPresent(builder::escalate);
  }

  /** The keys a configuration may give defaults for: every timing, limit and policy, not identity or wiring. */
  public static final List<String> DEFAULTABLE = List.of(ServiceSpec.RESTART, ServiceSpec.AUTO_START,
      ServiceSpec.RESTART_DELAY, ServiceSpec.MAX_RESTART_DELAY, ServiceSpec.BACKOFF_MULTIPLIER, ServiceSpec.JITTER,
      ServiceSpec.MAX_RESTARTS, ServiceSpec.RESTART_WINDOW, ServiceSpec.MAX_RESTARTS_IN_WINDOW,
      ServiceSpec.READY_TIMEOUT, ServiceSpec.STOP_TIMEOUT, ServiceSpec.READINESS, ServiceSpec.ESCALATE);

  /**
   * Checks defaults given by a configuration (the keys of {@link #DEFAULTABLE}) and keeps them.
   *
   * @param pid the configuration's PID, for messages
   * @param configuration its properties; other keys are ignored
   * @return the defaults to pass to {@link #parse(Map, Map, Consumer)}
   * @throws SupervisorException INVALID_PROPERTY naming the PID, the key and the value
   */
  public static Map<String, Object> defaults(String pid, Map<String, ?> configuration) {
    Map<String, Object> defaults = new HashMap<>();
    for (String key : DEFAULTABLE) {
      Object value = configuration.get(key);
      if (value != null) {
        defaults.put(key, value);
      }
    }
    ServiceSpec.Builder builder = ServiceSpec.builder("defaults");
    read(PropertyReader.forConfiguration(pid, defaults), builder);
    try {
      builder.build();
    } catch (SupervisorException e) {
      String message = e.getMessage().replaceFirst("^service 'defaults': ", "");
      throw new SupervisorException(e.kind(), null, "configuration '" + pid + "': " + message, null);
    }
    return Map.copyOf(defaults);
  }
}
