package dev.supervisor.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one service is supervised: its name, dependencies, restart policy, backoff, limits and timeouts.
 * Immutable and validated: an instance always holds legal values. Each field mirrors one
 * {@code supervisor.*} service property; {@link ServiceProperty} is the table of them, with their types,
 * defaults and meanings (a builder starts from those defaults).
 *
 * <pre>{@code
 * ServiceSpec spec = ServiceSpec.builder("store")
 *     .dependsOn("config")
 *     .restart(RestartPolicy.ALWAYS)
 *     .restartDelay(Duration.ofMillis(200))
 *     .maxRestartsInWindow(5)
 *     .build();
 * supervisor.add(spec, new Store());
 * }</pre>
 */
public final class ServiceSpec {

  /** Key {@code supervisor.name} (type, default, meaning: {@link ServiceProperty#NAME}). */
  public static final String NAME = "supervisor.name";
  /** Key {@code supervisor.dependsOn} (type, default, meaning: {@link ServiceProperty#DEPENDS_ON}). */
  public static final String DEPENDS_ON = "supervisor.dependsOn";
  /** Key {@code supervisor.restart} (type, default, meaning: {@link ServiceProperty#RESTART}). */
  public static final String RESTART = "supervisor.restart";
  /** Key {@code supervisor.autoStart} (type, default, meaning: {@link ServiceProperty#AUTO_START}). */
  public static final String AUTO_START = "supervisor.autoStart";
  /** Key {@code supervisor.restartDelay} (type, default, meaning: {@link ServiceProperty#RESTART_DELAY}). */
  public static final String RESTART_DELAY = "supervisor.restartDelay";
  /** Key {@code supervisor.maxRestartDelay} (type, default, meaning: {@link ServiceProperty#MAX_RESTART_DELAY}). */
  public static final String MAX_RESTART_DELAY = "supervisor.maxRestartDelay";
  /** Key {@code supervisor.backoffMultiplier} (type, default, meaning: {@link ServiceProperty#BACKOFF_MULTIPLIER}). */
  public static final String BACKOFF_MULTIPLIER = "supervisor.backoffMultiplier";
  /** Key {@code supervisor.jitter} (type, default, meaning: {@link ServiceProperty#JITTER}). */
  public static final String JITTER = "supervisor.jitter";
  /** Key {@code supervisor.maxRestarts} (type, default, meaning: {@link ServiceProperty#MAX_RESTARTS}). */
  public static final String MAX_RESTARTS = "supervisor.maxRestarts";
  /** Key {@code supervisor.restartWindow} (type, default, meaning: {@link ServiceProperty#RESTART_WINDOW}). */
  public static final String RESTART_WINDOW = "supervisor.restartWindow";
  /** Key {@code supervisor.maxRestartsInWindow} (see {@link ServiceProperty#MAX_RESTARTS_IN_WINDOW}). */
  public static final String MAX_RESTARTS_IN_WINDOW = "supervisor.maxRestartsInWindow";
  /** Key {@code supervisor.readyTimeout} (type, default, meaning: {@link ServiceProperty#READY_TIMEOUT}). */
  public static final String READY_TIMEOUT = "supervisor.readyTimeout";
  /** Key {@code supervisor.stopTimeout} (type, default, meaning: {@link ServiceProperty#STOP_TIMEOUT}). */
  public static final String STOP_TIMEOUT = "supervisor.stopTimeout";
  /** Key {@code supervisor.readiness} (type, default, meaning: {@link ServiceProperty#READINESS}). */
  public static final String READINESS = "supervisor.readiness";
  /** Key {@code supervisor.group} (type, default, meaning: {@link ServiceProperty#GROUP}). */
  public static final String GROUP = "supervisor.group";
  /**
   * Component property {@code supervisor.component}: {@code true} on a Declarative Services component (not a
   * {@code Supervised} service) asks the supervisor to supervise the component itself: retry a failed
   * activation with the restart policy and backoff, disable it on stop. Its other {@code supervisor.*}
   * properties are its spec; {@code supervisor.name} defaults to the component's name.
   *
   * @since 1.1
   */
  public static final String COMPONENT = "supervisor.component";
  /** Key {@code supervisor.escalate} (type, default, meaning: {@link ServiceProperty#ESCALATE}). */
  public static final String ESCALATE = "supervisor.escalate";
  /**
   * Key {@code supervisor.missingDependencyGrace} (type, default, meaning:
   * {@link ServiceProperty#MISSING_DEPENDENCY_GRACE}).
   *
   * @since 1.3
   */
  public static final String MISSING_DEPENDENCY_GRACE = "supervisor.missingDependencyGrace";
  /**
   * Key {@code supervisor.significant} (type, default, meaning: {@link ServiceProperty#SIGNIFICANT}).
   *
   * @since 1.3
   */
  public static final String SIGNIFICANT = "supervisor.significant";

  /** The longest name accepted; longer names are rejected (JMX object names and log lines stay usable). */
  public static final int MAX_NAME_LENGTH = 1024;

  private final String name;
  private final List<String> dependsOn;
  private final List<String> derivedDependsOn;
  private final List<String> allDependencies;
  private final RestartPolicy restart;
  private final boolean autoStart;
  private final Duration restartDelay;
  private final Duration maxRestartDelay;
  private final double backoffMultiplier;
  private final double jitter;
  private final int maxRestarts;
  private final Duration restartWindow;
  private final int maxRestartsInWindow;
  private final Duration readyTimeout;
  private final Duration stopTimeout;
  private final Readiness readiness;
  private final String group;
  private final Escalation escalate;
  private final Duration missingDependencyGrace;
  private final boolean significant;

  private ServiceSpec(Builder b) {
    this.name = b.name;
    this.dependsOn = List.copyOf(b.dependsOn);
    this.derivedDependsOn = List.copyOf(b.derivedDependsOn);
    Set<String> all = new LinkedHashSet<>(dependsOn);
    all.addAll(derivedDependsOn);
    this.allDependencies = List.copyOf(all);
    this.restart = b.restart;
    this.autoStart = b.autoStart;
    this.restartDelay = b.restartDelay;
    this.maxRestartDelay = b.maxRestartDelay;
    this.backoffMultiplier = b.backoffMultiplier;
    this.jitter = b.jitter;
    this.maxRestarts = b.maxRestarts;
    this.restartWindow = b.restartWindow;
    this.maxRestartsInWindow = b.maxRestartsInWindow;
    this.readyTimeout = b.readyTimeout;
    this.stopTimeout = b.stopTimeout;
    this.readiness = b.readiness;
    this.group = b.group;
    this.escalate = b.escalate;
    this.missingDependencyGrace = b.missingDependencyGrace;
    this.significant = b.significant;
  }

  /**
   * @param name the service's name ({@code supervisor.name}): not empty, at most {@link #MAX_NAME_LENGTH}
   *     characters, no control characters
   * @return a builder with every other field at its default
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** @return a builder holding this spec's values, to derive a changed copy */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.dependsOn.addAll(dependsOn);
    b.derivedDependsOn.addAll(derivedDependsOn);
    b.restart = restart;
    b.autoStart = autoStart;
    b.restartDelay = restartDelay;
    b.maxRestartDelay = maxRestartDelay;
    b.backoffMultiplier = backoffMultiplier;
    b.jitter = jitter;
    b.maxRestarts = maxRestarts;
    b.restartWindow = restartWindow;
    b.maxRestartsInWindow = maxRestartsInWindow;
    b.readyTimeout = readyTimeout;
    b.stopTimeout = stopTimeout;
    b.readiness = readiness;
    b.group = group;
    b.escalate = escalate;
    b.missingDependencyGrace = missingDependencyGrace;
    b.significant = significant;
    return b;
  }

  /** @return {@code supervisor.name} */
  public String name() { return name; }

  /** @return {@code supervisor.dependsOn}, in the order given */
  public List<String> dependsOn() { return dependsOn; }

  /**
   * Dependencies the supervisor derived, not declared: for a service that is a Declarative Services
   * component, the supervised services that provide its mandatory references. They are not a property and
   * never appear in {@link #toProperties()}.
   *
   * @return the derived dependencies, sorted; default none
   */
  public List<String> derivedDependsOn() { return derivedDependsOn; }

  /**
   * @return what the supervisor orders by: {@link #dependsOn()} in order, then each
   *     {@link #derivedDependsOn()} not declared as well
   */
  public List<String> allDependencies() { return allDependencies; }

  /** @return {@code supervisor.restart} */
  public RestartPolicy restart() { return restart; }

  /** @return {@code supervisor.autoStart} */
  public boolean autoStart() { return autoStart; }

  /** @return {@code supervisor.restartDelay}, the first restart delay */
  public Duration restartDelay() { return restartDelay; }

  /** @return {@code supervisor.maxRestartDelay}, the cap of the backoff */
  public Duration maxRestartDelay() { return maxRestartDelay; }

  /** @return {@code supervisor.backoffMultiplier}, the delay's growth per consecutive failure */
  public double backoffMultiplier() { return backoffMultiplier; }

  /** @return {@code supervisor.jitter}, the random +/- fraction applied to each delay */
  public double jitter() { return jitter; }

  /** @return {@code supervisor.maxRestarts}, the lifetime cap of restarts; 0 = unlimited */
  public int maxRestarts() { return maxRestarts; }

  /** @return {@code supervisor.restartWindow}, the sliding window for {@link #maxRestartsInWindow} */
  public Duration restartWindow() { return restartWindow; }

  /** @return {@code supervisor.maxRestartsInWindow}; 0 = unlimited */
  public int maxRestartsInWindow() { return maxRestartsInWindow; }

  /** @return {@code supervisor.readyTimeout}, used with {@link Readiness#EXPLICIT} */
  public Duration readyTimeout() { return readyTimeout; }

  /** @return {@code supervisor.stopTimeout}: then interrupt, then abandon */
  public Duration stopTimeout() { return stopTimeout; }

  /** @return {@code supervisor.readiness} */
  public Readiness readiness() { return readiness; }

  /** @return {@code supervisor.group}, a path like {@code ingest/kafka}; "" = the root group */
  public String group() { return group; }

  /** @return {@code supervisor.escalate}, what happens once when the restarts are used up */
  public Escalation escalate() { return escalate; }

  /**
   * @return {@code supervisor.missingDependencyGrace}: how long a dependency may be unregistered before it
   *     is reported; the service waits for it all the same
   * @since 1.3
   */
  public Duration missingDependencyGrace() { return missingDependencyGrace; }

  /**
   * @return {@code supervisor.significant}: whether its end for good may end its group (see
   *     {@link AutoShutdown})
   * @since 1.3
   */
  public boolean significant() { return significant; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ServiceSpec)) {
      return false;
    }
    ServiceSpec s = (ServiceSpec) o;
    return name.equals(s.name) && dependsOn.equals(s.dependsOn) && derivedDependsOn.equals(s.derivedDependsOn)
        && restart == s.restart
        && autoStart == s.autoStart && restartDelay.equals(s.restartDelay)
        && maxRestartDelay.equals(s.maxRestartDelay)
        && Double.compare(backoffMultiplier, s.backoffMultiplier) == 0
        && Double.compare(jitter, s.jitter) == 0 && maxRestarts == s.maxRestarts
        && restartWindow.equals(s.restartWindow) && maxRestartsInWindow == s.maxRestartsInWindow
        && readyTimeout.equals(s.readyTimeout) && stopTimeout.equals(s.stopTimeout)
        && readiness == s.readiness && group.equals(s.group) && escalate == s.escalate
        && missingDependencyGrace.equals(s.missingDependencyGrace) && significant == s.significant;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dependsOn, derivedDependsOn, restart, autoStart, restartDelay, maxRestartDelay,
        backoffMultiplier, jitter, maxRestarts, restartWindow, maxRestartsInWindow, readyTimeout, stopTimeout,
        readiness, group, escalate, missingDependencyGrace, significant);
  }

  /**
   * The spec as its service properties, for display (JMX, shell, logs).
   *
   * @return every {@code supervisor.*} property with its value as text, in the order of the documentation:
   *     durations in ISO-8601, dependencies comma-separated, the root group as ""
   */
  public Map<String, String> toProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    for (ServiceProperty<?> property : ServiceProperty.all()) {
      property.valueIn(this).ifPresent(value -> properties.put(property.key(), ServiceProperty.text(value)));
    }
    return properties;
  }

  /** @return every field as {@code supervisor.*} property = value, as {@link #toProperties()} gives them */
  @Override
  public String toString() {
    return toProperties().toString();
  }

  /**
   * Collects values and checks them in {@link #build()}. Not thread-safe. Every setter accepts anything;
   * {@link #build()} throws a {@link SupervisorException} of kind {@code INVALID_PROPERTY},
   * {@code DEPENDS_ON_ITSELF} or {@code DUPLICATE_DEPENDENCY} that names the service, the property and the value.
   */
  public static final class Builder {
    private final String name;
    private final List<String> dependsOn = new ArrayList<>();
    private final List<String> derivedDependsOn = new ArrayList<>();
    // The defaults are the table's (ServiceProperty), so that they are written once.
    private RestartPolicy restart = ServiceProperty.RESTART.builtInDefault();
    private boolean autoStart = ServiceProperty.AUTO_START.builtInDefault();
    private Duration restartDelay = ServiceProperty.RESTART_DELAY.builtInDefault();
    private Duration maxRestartDelay = ServiceProperty.MAX_RESTART_DELAY.builtInDefault();
    private double backoffMultiplier = ServiceProperty.BACKOFF_MULTIPLIER.builtInDefault();
    private double jitter = ServiceProperty.JITTER.builtInDefault();
    private int maxRestarts = ServiceProperty.MAX_RESTARTS.builtInDefault();
    private Duration restartWindow = ServiceProperty.RESTART_WINDOW.builtInDefault();
    private int maxRestartsInWindow = ServiceProperty.MAX_RESTARTS_IN_WINDOW.builtInDefault();
    private Duration readyTimeout = ServiceProperty.READY_TIMEOUT.builtInDefault();
    private Duration stopTimeout = ServiceProperty.STOP_TIMEOUT.builtInDefault();
    private Readiness readiness = ServiceProperty.READINESS.builtInDefault();
    private String group = ServiceProperty.GROUP.builtInDefault();
    private Escalation escalate = ServiceProperty.ESCALATE.builtInDefault();
    private Duration missingDependencyGrace = ServiceProperty.MISSING_DEPENDENCY_GRACE.builtInDefault();
    private boolean significant = ServiceProperty.SIGNIFICANT.builtInDefault();

    private Builder(String name) {
      this.name = name;
    }

    /** @param names dependencies to add, in order; @return this */
    public Builder dependsOn(String... names) {
      for (String n : names) {
        dependsOn.add(n);
      }
      return this;
    }

    /** @param names dependencies to add, in order; @return this */
    public Builder dependsOn(List<String> names) {
      dependsOn.addAll(names);
      return this;
    }

    /** For {@link ServiceProperty#DEPENDS_ON}: a property's value replaces what was there. */
    Builder replaceDependsOn(List<String> names) {
      dependsOn.clear();
      dependsOn.addAll(names);
      return this;
    }

    /**
     * Sets any property by its row in the table, as the setter of that property does.
     *
     * @param property a {@linkplain ServiceProperty#settable() settable} property
     * @param value its value (checked in {@link #build()}, like every value)
     * @param <T> the property's value type
     * @return this
     * @throws IllegalArgumentException for {@link ServiceProperty#NAME} (given to
     *     {@link ServiceSpec#builder(String)}) and {@link ServiceProperty#COMPONENT} (not part of a spec)
     * @since 1.3
     */
    public <T> Builder set(ServiceProperty<T> property, T value) {
      property.set(this, value);
      return this;
    }

    /**
     * Replaces the derived dependencies (see {@link ServiceSpec#derivedDependsOn()}); they are sorted and
     * de-duplicated, since they come from a set of references, not from an order someone wrote.
     *
     * @param names the names of the supervised services this one was found to need
     * @return this
     */
    public Builder derivedDependsOn(Collection<String> names) {
      derivedDependsOn.clear();
      derivedDependsOn.addAll(new TreeSet<>(names));
      return this;
    }

    /** @param policy the restart policy; @return this */
    public Builder restart(RestartPolicy policy) { this.restart = policy; return this; }

    /** @param autoStart false to stay IDLE until started by hand; @return this */
    public Builder autoStart(boolean autoStart) { this.autoStart = autoStart; return this; }

    /** @param delay the first restart delay, &gt;= 0; @return this */
    public Builder restartDelay(Duration delay) { this.restartDelay = delay; return this; }

    /** @param delay the longest restart delay, &gt;= restartDelay; @return this */
    public Builder maxRestartDelay(Duration delay) { this.maxRestartDelay = delay; return this; }

    /** @param multiplier the delay's growth per consecutive failure, finite and &gt;= 1; @return this */
    public Builder backoffMultiplier(double multiplier) { this.backoffMultiplier = multiplier; return this; }

    /** @param fraction random +/- fraction of each delay, in [0, 1]; @return this */
    public Builder jitter(double fraction) { this.jitter = fraction; return this; }

    /** @param max lifetime restart cap, &gt;= 0, 0 = unlimited; @return this */
    public Builder maxRestarts(int max) { this.maxRestarts = max; return this; }

    /** @param window the sliding window, &gt; 0; @return this */
    public Builder restartWindow(Duration window) { this.restartWindow = window; return this; }

    /** @param max restarts allowed inside the window, &gt;= 0, 0 = unlimited; @return this */
    public Builder maxRestartsInWindow(int max) { this.maxRestartsInWindow = max; return this; }

    /** @param timeout how long to wait for {@code ready()}, &gt; 0; @return this */
    public Builder readyTimeout(Duration timeout) { this.readyTimeout = timeout; return this; }

    /** @param timeout how long to wait for {@code run} to return after a stop request, &gt; 0; @return this */
    public Builder stopTimeout(Duration timeout) { this.stopTimeout = timeout; return this; }

    /** @param readiness when a start counts as ready; @return this */
    public Builder readiness(Readiness readiness) { this.readiness = readiness; return this; }

    /** @param path the owning group's path ("" = root); @return this */
    public Builder group(String path) { this.group = path; return this; }

    /** @param escalation what happens once when the restarts are used up; @return this */
    public Builder escalate(Escalation escalation) { this.escalate = escalation; return this; }

    /**
     * @param grace how long a dependency may be unregistered before it is reported; @return this
     * @since 1.3
     */
    public Builder missingDependencyGrace(Duration grace) { this.missingDependencyGrace = grace; return this; }

    /**
     * @param significant whether its end for good may end its group; @return this
     * @since 1.3
     */
    public Builder significant(boolean significant) { this.significant = significant; return this; }

    /**
     * Checks every value and builds the spec.
     *
     * @return the immutable spec
     * @throws SupervisorException naming the service, the property and the value of the first bad field
     */
    public ServiceSpec build() {
      checkName();
      checkDependencies();
      checkDerivedDependencies();
      notNull(RESTART, restart);
      notNull(READINESS, readiness);
      notNull(ESCALATE, escalate);
      checkDuration(RESTART_DELAY, restartDelay, true);
      checkDuration(MAX_RESTART_DELAY, maxRestartDelay, true);
      if (maxRestartDelay.compareTo(restartDelay) < 0) {
        throw SupervisorException.invalidProperty(name, MAX_RESTART_DELAY, maxRestartDelay,
            "must not be less than " + RESTART_DELAY + " (" + restartDelay + ")");
      }
      if (!Double.isFinite(backoffMultiplier) || backoffMultiplier < 1.0) {
        throw SupervisorException.invalidProperty(name, BACKOFF_MULTIPLIER, backoffMultiplier,
            "must be a finite number >= 1.0");
      }
      if (!Double.isFinite(jitter) || jitter < 0.0 || jitter > 1.0) {
        throw SupervisorException.invalidProperty(name, JITTER, jitter, "must be between 0.0 and 1.0");
      }
      if (maxRestarts < 0) {
        throw SupervisorException.invalidProperty(name, MAX_RESTARTS, maxRestarts, "must be >= 0 (0 = unlimited)");
      }
      if (maxRestartsInWindow < 0) {
        throw SupervisorException.invalidProperty(name, MAX_RESTARTS_IN_WINDOW, maxRestartsInWindow,
            "must be >= 0 (0 = unlimited)");
      }
      checkDuration(RESTART_WINDOW, restartWindow, false);
      checkDuration(READY_TIMEOUT, readyTimeout, false);
      checkDuration(STOP_TIMEOUT, stopTimeout, false);
      checkDuration(MISSING_DEPENDENCY_GRACE, missingDependencyGrace, false);
      checkGroup();
      return new ServiceSpec(this);
    }

    private void checkName() {
      if (name == null || name.isEmpty()) {
        throw SupervisorException.invalidProperty(null, NAME, name, "a non-empty name is required");
      }
      if (name.length() > MAX_NAME_LENGTH) {
        throw SupervisorException.invalidProperty(null, NAME, name,
            "is " + name.length() + " characters long; at most " + MAX_NAME_LENGTH + " are allowed");
      }
      if (name.chars().anyMatch(Character::isISOControl)) {
        throw SupervisorException.invalidProperty(null, NAME, name, "must not contain control characters");
      }
      if (!name.equals(name.strip())) {
        throw SupervisorException.invalidProperty(null, NAME, name,
            "must not start or end with white space");
      }
    }

    private void checkDependencies() {
      Set<String> seen = new HashSet<>();
      for (String dependency : dependsOn) {
        if (dependency == null || dependency.isEmpty()) {
          throw SupervisorException.invalidProperty(name, DEPENDS_ON, dependsOn.toArray(),
              "dependency names must not be null or empty");
        }
        if (dependency.equals(name)) {
          throw new SupervisorException(SupervisorException.Kind.DEPENDS_ON_ITSELF, name,
              "service '" + name + "': property " + DEPENDS_ON + " = " + dependsOn + ": depends on itself");
        }
        if (!seen.add(dependency)) {
          throw new SupervisorException(SupervisorException.Kind.DUPLICATE_DEPENDENCY, name,
              "service '" + name + "': property " + DEPENDS_ON + " = " + dependsOn + ": lists '" + dependency
                  + "' more than once");
        }
      }
    }

    private void checkDerivedDependencies() {
      if (derivedDependsOn.contains(name)) {
        throw new SupervisorException(SupervisorException.Kind.DEPENDS_ON_ITSELF, name,
            "service '" + name + "': a reference of the component is satisfied by the service itself");
      }
    }

    private void checkGroup() {
      notNull(GROUP, group);
      if (group.startsWith("/") || group.endsWith("/") || group.contains("//")
          || group.chars().anyMatch(Character::isISOControl)) {
        throw SupervisorException.invalidProperty(name, GROUP, group,
            "must be a path of non-empty segments separated by '/', without a leading or trailing '/'");
      }
    }

    private void notNull(String property, Object value) {
      if (value == null) {
        throw SupervisorException.invalidProperty(name, property, null, "must not be null");
      }
    }

    private void checkDuration(String property, Duration value, boolean zeroAllowed) {
      notNull(property, value);
      if (value.isNegative() || (!zeroAllowed && value.isZero())) {
        throw SupervisorException.invalidProperty(name, property, value,
            zeroAllowed ? "must not be negative" : "must be positive");
      }
      // Durations beyond about 292 years overflow nanosecond arithmetic; nobody means them.
      if (value.compareTo(Duration.ofDays(365L * 100)) > 0) {
        throw SupervisorException.invalidProperty(name, property, value, "must be at most 100 years");
      }
    }
  }
}
