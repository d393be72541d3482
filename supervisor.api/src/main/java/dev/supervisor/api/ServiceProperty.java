package dev.supervisor.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One {@code supervisor.*} service property: its key, the type of its value, its built-in default, what it
 * means, and whether PID {@code dev.supervisor} may configure its default. {@link #all()} is the one table of
 * them: the {@link ServiceSpec.Builder}'s defaults, {@link ServiceSpec#toProperties()}, the supervisor's
 * parser, its check for unknown keys and its merging of configured defaults all read it, and tests check the
 * Metatype of PID {@code dev.supervisor}, the README's table and the defaults in the Javadoc of the constants
 * below against it. Adding a property is adding a row here and a field to {@link ServiceSpec}.
 *
 * <pre>{@code
 * for (ServiceProperty<?> p : ServiceProperty.all()) {
 *   System.out.println(p.key() + " = " + p.defaultValue().orElse(null) + ": " + p.description());
 * }
 * ServiceSpec spec = ServiceSpec.builder("poller").set(ServiceProperty.JITTER, 0.0).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type of the value a {@link ServiceSpec} holds for it
 * @since 1.3
 */
public final class ServiceProperty<T> {

  /** {@code supervisor.name}: required, unique within a supervisor. */
  public static final ServiceProperty<String> NAME = new ServiceProperty<>(ServiceSpec.NAME, String.class,
      "String", null, false,
      "unique within the supervisor; any printable characters, at most " + ServiceSpec.MAX_NAME_LENGTH,
      ServiceSpec::name, null);

  /** {@code supervisor.dependsOn}, default none. */
  public static final ServiceProperty<List<String>> DEPENDS_ON = new ServiceProperty<>(ServiceSpec.DEPENDS_ON,
      List.class, "String or String[]", List.of(), false,
      "services that must be `RUNNING` before this one starts",
      ServiceSpec::dependsOn, ServiceSpec.Builder::replaceDependsOn);

  /** {@code supervisor.restart}, default {@code ON_FAILURE}. */
  public static final ServiceProperty<RestartPolicy> RESTART = new ServiceProperty<>(ServiceSpec.RESTART,
      RestartPolicy.class, null, RestartPolicy.ON_FAILURE, true,
      "restart after any end / after a failure only / never",
      ServiceSpec::restart, ServiceSpec.Builder::restart);

  /** {@code supervisor.autoStart}, default {@code true}. */
  public static final ServiceProperty<Boolean> AUTO_START = new ServiceProperty<>(ServiceSpec.AUTO_START,
      Boolean.class, "boolean", true, true,
      "`false`: stays `IDLE` until started by hand",
      ServiceSpec::autoStart, ServiceSpec.Builder::autoStart);

  /** {@code supervisor.restartDelay}, default {@code PT0.1S}. */
  public static final ServiceProperty<Duration> RESTART_DELAY = new ServiceProperty<>(ServiceSpec.RESTART_DELAY,
      Duration.class, "duration >= 0", Duration.ofMillis(100), true,
      "delay before the first restart",
      ServiceSpec::restartDelay, ServiceSpec.Builder::restartDelay);

  /** {@code supervisor.maxRestartDelay}, default {@code PT30S}. */
  public static final ServiceProperty<Duration> MAX_RESTART_DELAY = new ServiceProperty<>(
      ServiceSpec.MAX_RESTART_DELAY, Duration.class, "duration >= restartDelay", Duration.ofSeconds(30), true,
      "cap of the growing delay",
      ServiceSpec::maxRestartDelay, ServiceSpec.Builder::maxRestartDelay);

  /** {@code supervisor.backoffMultiplier}, default {@code 2.0}. */
  public static final ServiceProperty<Double> BACKOFF_MULTIPLIER = new ServiceProperty<>(
      ServiceSpec.BACKOFF_MULTIPLIER, Double.class, "double >= 1", 2.0, true,
      "delay growth per consecutive failure",
      ServiceSpec::backoffMultiplier, ServiceSpec.Builder::backoffMultiplier);

  /** {@code supervisor.jitter}, default {@code 0.1}. */
  public static final ServiceProperty<Double> JITTER = new ServiceProperty<>(ServiceSpec.JITTER, Double.class,
      "double in [0, 1]", 0.1, true,
      "random +/- fraction applied to each delay",
      ServiceSpec::jitter, ServiceSpec.Builder::jitter);

  /** {@code supervisor.maxRestarts}, default {@code 0} (unlimited). */
  public static final ServiceProperty<Integer> MAX_RESTARTS = new ServiceProperty<>(ServiceSpec.MAX_RESTARTS,
      Integer.class, "int >= 0", 0, true,
      "lifetime cap, then `FAILED`; `0` = unlimited",
      ServiceSpec::maxRestarts, ServiceSpec.Builder::maxRestarts);

  /** {@code supervisor.restartWindow}, default {@code PT1M}. */
  public static final ServiceProperty<Duration> RESTART_WINDOW = new ServiceProperty<>(ServiceSpec.RESTART_WINDOW,
      Duration.class, "duration > 0", Duration.ofSeconds(60), true,
      "the sliding window for the next property; a run that lasts longer than it resets the failure streak and "
          + "the delay",
      ServiceSpec::restartWindow, ServiceSpec.Builder::restartWindow);

  /** {@code supervisor.maxRestartsInWindow}, default {@code 0} (unlimited). */
  public static final ServiceProperty<Integer> MAX_RESTARTS_IN_WINDOW = new ServiceProperty<>(
      ServiceSpec.MAX_RESTARTS_IN_WINDOW, Integer.class, "int >= 0", 0, true,
      "restarts allowed inside the window, then `FAILED`; `0` = unlimited",
      ServiceSpec::maxRestartsInWindow, ServiceSpec.Builder::maxRestartsInWindow);

  /** {@code supervisor.readyTimeout}, default {@code PT30S}. */
  public static final ServiceProperty<Duration> READY_TIMEOUT = new ServiceProperty<>(ServiceSpec.READY_TIMEOUT,
      Duration.class, "duration > 0", Duration.ofSeconds(30), true,
      "with `EXPLICIT`: no `ready()` in time is a failed start",
      ServiceSpec::readyTimeout, ServiceSpec.Builder::readyTimeout);

  /** {@code supervisor.stopTimeout}, default {@code PT10S}. */
  public static final ServiceProperty<Duration> STOP_TIMEOUT = new ServiceProperty<>(ServiceSpec.STOP_TIMEOUT,
      Duration.class, "duration > 0", Duration.ofSeconds(10), true,
      "after a stop request: then the run thread is interrupted and abandoned, and the timeout is reported",
      ServiceSpec::stopTimeout, ServiceSpec.Builder::stopTimeout);

  /** {@code supervisor.readiness}, default {@code AUTO}. */
  public static final ServiceProperty<Readiness> READINESS = new ServiceProperty<>(ServiceSpec.READINESS,
      Readiness.class, null, Readiness.AUTO, true,
      "ready when `run` is entered / when the worker calls `ctx.ready()`",
      ServiceSpec::readiness, ServiceSpec.Builder::readiness);

  /** {@code supervisor.group}, default none (the root group). */
  public static final ServiceProperty<String> GROUP = new ServiceProperty<>(ServiceSpec.GROUP, String.class,
      "path like `ingest/kafka`", "", false,
      "the supervision group that owns the service, created on first use; none = the root group",
      ServiceSpec::group, ServiceSpec.Builder::group);

  /** {@code supervisor.escalate}, default {@code NONE}. */
  public static final ServiceProperty<Escalation> ESCALATE = new ServiceProperty<>(ServiceSpec.ESCALATE,
      Escalation.class, null, Escalation.NONE, true,
      "what happens once when the restarts above are used up, before `FAILED`",
      ServiceSpec::escalate, ServiceSpec.Builder::escalate);

  /** {@code supervisor.missingDependencyGrace}, default {@code PT30S}. */
  public static final ServiceProperty<Duration> MISSING_DEPENDENCY_GRACE = new ServiceProperty<>(
      ServiceSpec.MISSING_DEPENDENCY_GRACE, Duration.class, "duration > 0", Duration.ofSeconds(30), true,
      "a dependency not registered for this long is reported (log, health, JMX); the service still waits for it",
      ServiceSpec::missingDependencyGrace, ServiceSpec.Builder::missingDependencyGrace);

  /** {@code supervisor.significant}, default {@code false}. */
  public static final ServiceProperty<Boolean> SIGNIFICANT = new ServiceProperty<>(ServiceSpec.SIGNIFICANT,
      Boolean.class, "boolean", false, false,
      "`true`: its end for good (`FAILED`, or ended and not restarted) may end its group, see "
          + "`supervisor.group.autoShutdown`",
      ServiceSpec::significant, ServiceSpec.Builder::significant);

  /**
   * {@code supervisor.component}, default {@code false}. Not part of a {@link ServiceSpec}: it marks a plain DS
   * component for supervision (see {@link ServiceSpec#COMPONENT}).
   */
  public static final ServiceProperty<Boolean> COMPONENT = new ServiceProperty<>(ServiceSpec.COMPONENT,
      Boolean.class, "boolean", false, false,
      "on a plain DS component (not a `Supervised` service): supervise the component itself",
      null, null);

  private static final List<ServiceProperty<?>> ALL = List.of(NAME, DEPENDS_ON, RESTART, AUTO_START, RESTART_DELAY,
      MAX_RESTART_DELAY, BACKOFF_MULTIPLIER, JITTER, MAX_RESTARTS, RESTART_WINDOW, MAX_RESTARTS_IN_WINDOW,
      READY_TIMEOUT, STOP_TIMEOUT, READINESS, GROUP, ESCALATE, MISSING_DEPENDENCY_GRACE, SIGNIFICANT,
      COMPONENT);

  private final String key;
  private final Class<?> valueType;
  private final String typeDescription;
  private final T defaultValue;
  private final boolean configurable;
  private final String description;
  private final Function<ServiceSpec, T> getter;
  private final BiConsumer<ServiceSpec.Builder, T> setter;

  private ServiceProperty(String key, Class<?> valueType, String typeDescription, T defaultValue,
      boolean configurable, String description, Function<ServiceSpec, T> getter,
      BiConsumer<ServiceSpec.Builder, T> setter) {
    this.key = key;
    this.valueType = valueType;
    // An enum's type is its constants: written once, in the enum.
    this.typeDescription = typeDescription != null ? typeDescription
        : Arrays.stream(valueType.getEnumConstants()).map(c -> "`" + c + "`").collect(Collectors.joining(", "));
    this.defaultValue = defaultValue;
    this.configurable = configurable;
    this.description = description;
    this.getter = getter;
    this.setter = setter;
  }

  /** @return every property, in the order of the documentation */
  public static List<ServiceProperty<?>> all() {
    return ALL;
  }

  /**
   * @param key a property key, like {@code supervisor.restartDelay}
   * @return the property of that key (exact letter case), if there is one
   */
  public static Optional<ServiceProperty<?>> forKey(String key) {
    return ALL.stream().filter(p -> p.key.equals(key)).findFirst();
  }

  /** @return the key, like {@code supervisor.restartDelay} */
  public String key() {
    return key;
  }

  /**
   * @return the class of the value a {@link ServiceSpec} holds: {@code String}, {@code List} (of Strings),
   *     {@code Boolean}, {@code Duration}, {@code Double}, {@code Integer}, or the enum's class
   */
  public Class<?> valueType() {
    return valueType;
  }

  /** @return the type and its limits as the documentation shows them, like {@code duration > 0} */
  public String typeDescription() {
    return typeDescription;
  }

  /** @return the built-in default; empty for {@link #NAME}, which is required */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /**
   * @return whether PID {@code dev.supervisor} may give this property's default (every timing, limit and
   *     policy; not identity or wiring), which then applies to every service that does not set it
   */
  public boolean configurable() {
    return configurable;
  }

  /** @return what the property means, one sentence (Markdown: code in back-quotes) */
  public String description() {
    return description;
  }

  /**
   * @param spec a spec
   * @return the spec's value of this property; empty for {@link #COMPONENT}, which is not part of a spec
   */
  public Optional<T> valueIn(ServiceSpec spec) {
    return getter == null ? Optional.empty() : Optional.of(getter.apply(spec));
  }

  /** @return whether {@link ServiceSpec.Builder#set} takes it (all but {@link #NAME} and {@link #COMPONENT}) */
  public boolean settable() {
    return setter != null;
  }

  void set(ServiceSpec.Builder builder, T value) {
    if (setter == null) {
      throw new IllegalArgumentException(key + " cannot be set on a builder"
          + (this == NAME ? ": the name is given to ServiceSpec.builder(name)" : ": it is not part of a spec"));
    }
    setter.accept(builder, value);
  }

  /** The built-in default, for the builder's initial values. */
  T builtInDefault() {
    return defaultValue;
  }

  /**
   * @param value a value of this property
   * @return it as {@link ServiceSpec#toProperties()} shows it: durations in ISO-8601, lists comma-separated
   */
  static String text(Object value) {
    return value instanceof List<?> list
        ? list.stream().map(String::valueOf).collect(Collectors.joining(","))
        : String.valueOf(value);
  }

  /** @return the key */
  @Override
  public String toString() {
    return key;
  }
}
