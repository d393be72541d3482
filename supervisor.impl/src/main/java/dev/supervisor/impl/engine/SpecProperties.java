package dev.supervisor.impl.engine;

import dev.supervisor.api.Readiness;
import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a service's {@code supervisor.*} properties into a {@link ServiceSpec}. Every error names the
 * service (once its name is known), the property and the value as given.
 *
 * <p>Accepted forms: durations as {@link Duration}, ISO-8601 text ({@code "PT0.5S"}) or whole milliseconds
 * (a number, or digits as text); numbers as numbers or text; booleans as {@link Boolean} or
 * {@code "true"}/{@code "false"}; enum names in any letter case; {@code supervisor.dependsOn} as one
 * String, a String[] or a collection of Strings.
 */
public final class SpecProperties {
  private static final Set<String> KNOWN = Set.of(ServiceSpec.NAME, ServiceSpec.DEPENDS_ON, ServiceSpec.RESTART,
      ServiceSpec.AUTO_START, ServiceSpec.RESTART_DELAY, ServiceSpec.MAX_RESTART_DELAY,
      ServiceSpec.BACKOFF_MULTIPLIER, ServiceSpec.JITTER, ServiceSpec.MAX_RESTARTS, ServiceSpec.RESTART_WINDOW,
      ServiceSpec.MAX_RESTARTS_IN_WINDOW, ServiceSpec.READY_TIMEOUT, ServiceSpec.STOP_TIMEOUT,
      ServiceSpec.READINESS, ServiceSpec.GROUP);

  private SpecProperties() {}

  /**
   * @param properties the service's properties (other keys are ignored)
   * @param warn told about {@code supervisor.*} keys this version does not know (likely typos)
   * @return the spec
   * @throws SupervisorException INVALID_PROPERTY, DEPENDS_ON_ITSELF or DUPLICATE_DEPENDENCY
   */
  public static ServiceSpec parse(Map<String, ?> properties, Consumer<String> warn) {
    Object rawName = properties.get(ServiceSpec.NAME);
    if (!(rawName instanceof String name)) {
      throw SupervisorException.invalidProperty(null, ServiceSpec.NAME, rawName,
          rawName == null ? "is required on every Supervised service" : "must be a String");
    }
    ServiceSpec.Builder builder = ServiceSpec.builder(name);
    Reader reader = new Reader(name, properties);
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

  /** Reads one property at a time, with errors that name the service, key and value. */
  private static final class Reader {
    private final String service;
    private final Map<String, ?> properties;

    Reader(String service, Map<String, ?> properties) {
      this.service = service;
      this.properties = properties;
    }

    private SupervisorException invalid(String key, Object value, String problem) {
      return SupervisorException.invalidProperty(service, key, value, problem);
    }

    java.util.Optional<String> string(String key) {
      Object value = properties.get(key);
      if (value == null) {
        return java.util.Optional.empty();
      }
      if (!(value instanceof String text)) {
        throw invalid(key, value, "must be a String");
      }
      return java.util.Optional.of(text);
    }

    java.util.Optional<List<String>> stringList(String key) {
      Object value = properties.get(key);
      if (value == null) {
        return java.util.Optional.empty();
      }
      List<?> items;
      if (value instanceof String text) {
        items = List.of(text);
      } else if (value instanceof Object[] array) {
        items = Arrays.asList(array);
      } else if (value instanceof Collection<?> collection) {
        items = new ArrayList<>(collection);
      } else {
        throw invalid(key, value, "must be a String, a String[] or a collection of Strings");
      }
      List<String> names = new ArrayList<>();
      for (Object item : items) {
        if (!(item instanceof String name) || name.isEmpty()) {
          throw invalid(key, value, "every entry must be a non-empty String (found " + describe(item) + ")");
        }
        names.add(name);
      }
      return java.util.Optional.of(names);
    }

    <E extends Enum<E>> java.util.Optional<E> enumValue(String key, Class<E> type) {
      Object value = properties.get(key);
      if (value == null) {
        return java.util.Optional.empty();
      }
      if (type.isInstance(value)) {
        return java.util.Optional.of(type.cast(value));
      }
      if (value instanceof String text) {
        for (E constant : type.getEnumConstants()) {
          if (constant.name().equals(text.strip().toUpperCase(Locale.ROOT))) {
            return java.util.Optional.of(constant);
          }
        }
      }
      throw invalid(key, value, "must be one of " + Arrays.toString(type.getEnumConstants()));
    }

    java.util.Optional<Boolean> bool(String key) {
      Object value = properties.get(key);
      if (value == null) {
        return java.util.Optional.empty();
      }
      if (value instanceof Boolean flag) {
        return java.util.Optional.of(flag);
      }
      if (value instanceof String text) {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        if (trimmed.equals("true") || trimmed.equals("false")) {
          return java.util.Optional.of(Boolean.parseBoolean(trimmed));
        }
      }
      throw invalid(key, value, "must be true or false");
    }

    java.util.Optional<Double> decimal(String key) {
      Object value = properties.get(key);
      if (value == null) {
        return java.util.Optional.empty();
      }
      if (value instanceof Number number) {
        return java.util.Optional.of(number.doubleValue());
      }
      if (value instanceof String text) {
        try {
          return java.util.Optional.of(Double.parseDouble(text.strip()));
        } catch (NumberFormatException e) {
          throw invalid(key, value, "is not a number");
        }
      }
      throw invalid(key, value, "must be a number");
    }

    java.util.Optional<Integer> integer(String key) {
      Object value = properties.get(key);
      if (value == null) {
        return java.util.Optional.empty();
      }
      long whole;
      if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        whole = ((Number) value).longValue();
      } else if (value instanceof String text) {
        try {
          whole = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
          throw invalid(key, value, "is not a whole number");
        }
      } else {
        throw invalid(key, value, "must be a whole number (Integer, Long or digits)");
      }
      if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
        throw invalid(key, value, "is out of range (at most " + Integer.MAX_VALUE + ")");
      }
      return java.util.Optional.of((int) whole);
    }

    java.util.Optional<Duration> duration(String key) {
      java.util.Optional<Duration> duration = durationAsGiven(key);
      // Checked here as well as in the builder, so the message shows the value as written, not converted.
      if (duration.isPresent() && duration.get().isNegative()) {
        throw invalid(key, properties.get(key), "must not be negative");
      }
      return duration;
    }

    private java.util.Optional<Duration> durationAsGiven(String key) {
      Object value = properties.get(key);
      if (value == null) {
        return java.util.Optional.empty();
      }
      if (value instanceof Duration duration) {
        return java.util.Optional.of(duration);
      }
      if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
        return java.util.Optional.of(Duration.ofMillis(((Number) value).longValue()));
      }
      if (value instanceof String text) {
        String trimmed = text.strip();
        if (trimmed.matches("-?\\d{1,18}")) {
          return java.util.Optional.of(Duration.ofMillis(Long.parseLong(trimmed)));
        }
        try {
          return java.util.Optional.of(Duration.parse(trimmed));
        } catch (DateTimeParseException e) {
          throw invalid(key, value, "is neither an ISO-8601 duration (like PT0.5S) nor whole milliseconds");
        }
      }
      throw invalid(key, value, "must be an ISO-8601 duration String (like PT0.5S) or whole milliseconds");
    }

    private static String describe(Object item) {
      return item == null ? "null" : item instanceof String ? "\"\"" : item.getClass().getSimpleName();
    }
  }
}
