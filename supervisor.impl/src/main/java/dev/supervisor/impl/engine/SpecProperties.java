package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceProperty;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a service's {@code supervisor.*} properties into a {@link ServiceSpec}, row by row of the table
 * {@link ServiceProperty#all()}: which keys exist, their types, and which a configuration may give defaults
 * for all come from there. Every error names the service (once its name is known), the property and the value
 * as given.
 *
 * <p>Accepted forms: durations as {@link java.time.Duration}, ISO-8601 text ({@code "PT0.5S"}) or whole
 * milliseconds (a number, or digits as text); numbers as numbers or text; booleans as {@link Boolean} or
 * {@code "true"}/{@code "false"}; enum names in any letter case; {@code supervisor.dependsOn} as one String, a
 * String[] or a collection of Strings; any other key's one value also as an array or collection of one (what
 * DS gives for an element of {@code @SupervisedService}), an empty one being no value.
 */
public final class SpecProperties {
  /** Every key this version knows, for the warning about the others. */
  private static final List<String> KNOWN = ServiceProperty.all().stream().map(ServiceProperty::key).toList();

  /** The keys a configuration may give defaults for: every timing, limit and policy, not identity or wiring. */
  public static final List<String> DEFAULTABLE = ServiceProperty.all().stream()
      .filter(ServiceProperty::configurable).map(ServiceProperty::key).toList();

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

  /** Applies every settable key the reader's properties hold, in the table's order. */
  private static void read(PropertyReader reader, ServiceSpec.Builder builder) {
    for (ServiceProperty<?> property : ServiceProperty.all()) {
      if (property.settable()) {
        value(reader, property).ifPresent(value -> set(builder, property, value));
      }
    }
  }

  /** The property's value, read as the table's type says. */
  private static Optional<?> value(PropertyReader reader, ServiceProperty<?> property) {
    String key = property.key();
    Class<?> type = property.valueType();
    if (type == List.class) {
      return reader.stringList(key);
    } else if (type == String.class) {
      return reader.string(key);
    } else if (type == Boolean.class) {
      return reader.bool(key);
    } else if (type == Duration.class) {
      return reader.duration(key);
    } else if (type == Double.class) {
      return reader.decimal(key);
    } else if (type == Integer.class) {
      return reader.integer(key);
    } else if (type.isEnum()) {
      return reader.enumValue(key, type.asSubclass(Enum.class));
    }
    throw new AssertionError("no reader for " + key + " of type " + type.getName());
  }

  @SuppressWarnings("unchecked") // value() read it as the property's value type
  private static <T> void set(ServiceSpec.Builder builder, ServiceProperty<T> property, Object value) {
    builder.set(property, (T) value);
  }

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
