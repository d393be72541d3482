package dev.supervisor.impl.engine;

import dev.supervisor.api.SupervisorException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads typed values out of OSGi service properties, one key at a time, in the forms
 * {@link SpecProperties} documents; every error names the service or group, the key and the value as given.
 */
final class PropertyReader {
  private final String service;
  /** What errors name when there is no service: "group 'x'" or "configuration 'pid'". */
  private final String subject;
  private final Map<String, ?> properties;

  private PropertyReader(String service, String subject, Map<String, ?> properties) {
    this.service = service;
    this.subject = subject;
    this.properties = properties;
  }

  /** @return a reader whose errors name the service */
  static PropertyReader forService(String service, Map<String, ?> properties) {
    return new PropertyReader(service, null, properties);
  }

  /** @return a reader whose errors name the group */
  static PropertyReader forGroup(String path, Map<String, ?> properties) {
    return new PropertyReader(null, "group '" + path + "'", properties);
  }

  /** @return a reader whose errors name the configuration PID */
  static PropertyReader forConfiguration(String pid, Map<String, ?> properties) {
    return new PropertyReader(null, "configuration '" + pid + "'", properties);
  }

  SupervisorException invalid(String key, Object value, String problem) {
    SupervisorException error = SupervisorException.invalidProperty(service, key, value, problem);
    return subject == null ? error
        : new SupervisorException(error.kind(), null, subject + ": " + error.getMessage(), null);
  }

  /**
   * The value of a key that holds one value. An array or collection of one value is that value, as DS coerces
   * it, since DS gives an array for an element of {@code @SupervisedService} that is an array so that it can
   * be left unset; an empty one is no value (how such an element is left out). More than one is an error.
   *
   * @return the value, or null when there is none
   */
  private Object scalar(String key) {
    Object value = properties.get(key);
    List<?> items;
    if (value instanceof Collection<?> collection) {
      items = new ArrayList<>(collection);
    } else if (value != null && value.getClass().isArray()) {
      items = java.util.stream.IntStream.range(0, java.lang.reflect.Array.getLength(value))
          .mapToObj(i -> java.lang.reflect.Array.get(value, i)).toList();
    } else {
      return value;
    }
    if (items.size() > 1) {
      throw invalid(key, value, "takes one value, not " + items.size());
    }
    if (items.size() == 1 && items.get(0) == null) {
      throw invalid(key, value, "must not hold null");
    }
    return items.isEmpty() ? null : items.get(0);
  }

  java.util.Optional<String> string(String key) {
    Object value = scalar(key);
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
    Object value = scalar(key);
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
    Object value = scalar(key);
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
    Object value = scalar(key);
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
    Object value = scalar(key);
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
      throw invalid(key, scalar(key), "must not be negative");
    }
    return duration;
  }

  private java.util.Optional<Duration> durationAsGiven(String key) {
    Object value = scalar(key);
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
