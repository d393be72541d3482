package dev.supervisor.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Every error the supervisor reports to a caller, with a {@link Kind} to check by type and the service,
 * property and value it concerns where there is one. The message always names them.
 */
public class SupervisorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** A service with this name is already supervised. */
    ALREADY_EXISTS,
    /** A service lists itself in {@code supervisor.dependsOn}. */
    DEPENDS_ON_ITSELF,
    /** A service lists the same dependency twice. */
    DUPLICATE_DEPENDENCY,
    /** Adding the service would close a dependency cycle; {@link #cycle()} names it. */
    CIRCULAR_DEPENDENCY,
    /** A {@code supervisor.*} property (or spec field) has a wrong type or value. */
    INVALID_PROPERTY,
    /** A service could not be started. */
    START_FAILURE,
    /** A service did not stop within its stop timeout, or its {@code stop()} threw. */
    STOP_FAILURE,
    /** A {@link ServiceToken} was handed to a supervisor that did not issue it. */
    WRONG_SUPERVISOR,
    /** No service of that name is supervised. */
    UNKNOWN_SERVICE,
    /** The operation is not possible in the service's current state (e.g. starting a FAILED service). */
    ILLEGAL_STATE,
    /** The supervisor has been shut down. */
    SUPERVISOR_STOPPED,
    /**
     * No supervision group has that path.
     *
     * @since 1.3 (before, an unknown group was reported as {@link #UNKNOWN_SERVICE})
     */
    UNKNOWN_GROUP,
    /**
     * An argument of a call is missing or unusable: a null name, path, spec, worker or timeout. (A bad value
     * in a spec or in service properties is {@link #INVALID_PROPERTY}.)
     *
     * @since 1.3
     */
    INVALID_ARGUMENT,
    /**
     * The service is not the caller's to remove: another bundle added it through the {@link Supervisor}
     * service, or it is an OSGi service registration (whiteboard), which belongs to the bundle that registered
     * it. The message names the owner.
     *
     * @since 1.3
     */
    NOT_OWNER
  }

  private final Kind kind;
  private final String serviceName;
  private final String property;
  private final String value;
  private final List<String> cycle;

  /**
   * @param kind what went wrong
   * @param serviceName the service concerned, or null
   * @param message the full message; should name the service, property and value
   */
  public SupervisorException(Kind kind, String serviceName, String message) {
    this(kind, serviceName, null, null, List.of(), message, null);
  }

  /**
   * @param kind what went wrong
   * @param serviceName the service concerned, or null
   * @param message the full message
   * @param cause the underlying error, or null
   */
  public SupervisorException(Kind kind, String serviceName, String message, Throwable cause) {
    this(kind, serviceName, null, null, List.of(), message, cause);
  }

  private SupervisorException(Kind kind, String serviceName, String property, String value,
      List<String> cycle, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.serviceName = serviceName;
    this.property = property;
    this.value = value;
    this.cycle = List.copyOf(cycle);
  }

  /**
   * A bad property value.
   *
   * @param serviceName the service whose registration is wrong (may be null if not known yet)
   * @param property the property key, e.g. {@code supervisor.restartDelay}
   * @param value the offending value as given (printed with {@link String#valueOf}; arrays element by element)
   * @param problem what is wrong with it, e.g. "must not be negative"
   * @return the exception, with a message like
   *     {@code service 'db': property supervisor.restartDelay = "-5s": must not be negative}
   */
  public static SupervisorException invalidProperty(String serviceName, String property, Object value,
      String problem) {
    String shown = describe(value);
    String message = (serviceName == null ? "" : "service '" + serviceName + "': ")
        + "property " + property + " = " + shown + ": " + problem;
    return new SupervisorException(Kind.INVALID_PROPERTY, serviceName, property, shown, List.of(), message,
        null);
  }

  /**
   * The same error, now naming the service (for errors found before the name was known).
   *
   * @param name the service's name
   * @return a copy naming the service, or this if it names one already
   */
  public SupervisorException forService(String name) {
    if (serviceName != null) {
      return this;
    }
    return new SupervisorException(kind, name, property, value, cycle,
        "service '" + printable(name) + "': " + getMessage(), getCause());
  }

  /**
   * A dependency cycle.
   *
   * @param serviceName the service whose addition would close the cycle
   * @param cycle the names along the cycle, starting and ending with {@code serviceName}
   * @return the exception, with a message like {@code service 'a': circular dependency a -> b -> a}
   */
  public static SupervisorException circularDependency(String serviceName, List<String> cycle) {
    String message = "service '" + serviceName + "': property supervisor.dependsOn closes a circular dependency "
        + String.join(" -> ", cycle);
    return new SupervisorException(Kind.CIRCULAR_DEPENDENCY, serviceName, "supervisor.dependsOn",
        String.join(",", cycle), cycle, message, null);
  }

  /**
   * This error for a client that cannot load the supervisor's classes (a remote JMX console) or shows only a
   * message (a shell): the one translation every such client uses, so that each reads the same.
   *
   * @return an {@link IllegalArgumentException} when the request itself is at fault (it names a service or
   *     group that does not exist, gives a bad value or argument, or asks for what is not the caller's), an
   *     {@link IllegalStateException} when the supervisor's state refused it or the work failed
   *     ({@link Kind#ILLEGAL_STATE}, {@link Kind#START_FAILURE}, {@link Kind#STOP_FAILURE},
   *     {@link Kind#SUPERVISOR_STOPPED}); its message is this one followed by the kind in brackets, e.g.
   *     {@code no service named 'db' is supervised [UNKNOWN_SERVICE]}, and it has no cause, which could carry
   *     a class of the product to the client
   * @since 1.3
   */
  public RuntimeException forClient() {
    String message = getMessage() + " [" + kind + "]";
    // Every kind is listed (no default): a new kind does not compile until it is placed on one side.
    return switch (kind) {
      case ALREADY_EXISTS, DEPENDS_ON_ITSELF, DUPLICATE_DEPENDENCY, CIRCULAR_DEPENDENCY, INVALID_PROPERTY,
          WRONG_SUPERVISOR, UNKNOWN_SERVICE, UNKNOWN_GROUP, INVALID_ARGUMENT, NOT_OWNER ->
          new IllegalArgumentException(message);
      case ILLEGAL_STATE, START_FAILURE, STOP_FAILURE, SUPERVISOR_STOPPED -> new IllegalStateException(message);
    };
  }

  /** @return what went wrong */
  public Kind kind() {
    return kind;
  }

  /** @return the service concerned, if any */
  public Optional<String> serviceName() {
    return Optional.ofNullable(serviceName);
  }

  /** @return the property concerned, for {@link Kind#INVALID_PROPERTY} and dependency errors */
  public Optional<String> property() {
    return Optional.ofNullable(property);
  }

  /** @return the offending value as text, for {@link Kind#INVALID_PROPERTY} */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  /** @return for {@link Kind#CIRCULAR_DEPENDENCY}, the names along the cycle; otherwise empty */
  public List<String> cycle() {
    return cycle;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Object[]) {
      return java.util.Arrays.deepToString((Object[]) value);
    }
    if (value.getClass().isArray()) {
      StringBuilder out = new StringBuilder("[");
      int length = java.lang.reflect.Array.getLength(value);
      for (int i = 0; i < length; i++) {
        out.append(i == 0 ? "" : ", ").append(java.lang.reflect.Array.get(value, i));
      }
      return out.append(']').toString();
    }
    if (value instanceof CharSequence) {
      return '"' + printable(value.toString()) + '"' + " (" + value.getClass().getSimpleName() + ")";
    }
    return value + " (" + value.getClass().getSimpleName() + ")";
  }

  /** Control characters are shown escaped, and very long values shortened, so a log line stays one line. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    int limit = Math.min(text.length(), 200);
    for (int i = 0; i < limit; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > limit) {
      out.append("...(").append(text.length()).append(" chars)");
    }
    return out.toString();
  }
}
