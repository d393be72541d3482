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
 * {@code supervisor.*} service property, and each default below is the property's default.
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

  /** Property {@code supervisor.name}: String, required, unique within a supervisor. */
  public static final String NAME = "supervisor.name";
  /** Property {@code supervisor.dependsOn}: String or String[], names that must be RUNNING first. */
  public static final String DEPENDS_ON = "supervisor.dependsOn";
  /** Property {@code supervisor.restart}: {@link RestartPolicy} name, default ON_FAILURE. */
  public static final String RESTART = "supervisor.restart";
  /** Property {@code supervisor.autoStart}: boolean, default true. */
  public static final String AUTO_START = "supervisor.autoStart";
  /** Property {@code supervisor.restartDelay}: ISO-8601 duration or millis, default 100ms. */
  public static final String RESTART_DELAY = "supervisor.restartDelay";
  /** Property {@code supervisor.maxRestartDelay}: ISO-8601 duration or millis, default 30s. */
  public static final String MAX_RESTART_DELAY = "supervisor.maxRestartDelay";
  /** Property {@code supervisor.backoffMultiplier}: double &gt;= 1, default 2.0. */
  public static final String BACKOFF_MULTIPLIER = "supervisor.backoffMultiplier";
  /** Property {@code supervisor.jitter}: double in [0, 1], default 0.1. */
  public static final String JITTER = "supervisor.jitter";
  /** Property {@code supervisor.maxRestarts}: int &gt;= 0, 0 = unlimited (the default). */
  public static final String MAX_RESTARTS = "supervisor.maxRestarts";
  /** Property {@code supervisor.restartWindow}: duration &gt; 0, default 60s. */
  public static final String RESTART_WINDOW = "supervisor.restartWindow";
  /** Property {@code supervisor.maxRestartsInWindow}: int &gt;= 0, 0 = unlimited (the default). */
  public static final String MAX_RESTARTS_IN_WINDOW = "supervisor.maxRestartsInWindow";
  /** Property {@code supervisor.readyTimeout}: duration &gt; 0, default 30s. */
  public static final String READY_TIMEOUT = "supervisor.readyTimeout";
  /** Property {@code supervisor.stopTimeout}: duration &gt; 0, default 10s. */
  public static final String STOP_TIMEOUT = "supervisor.stopTimeout";
  /** Property {@code supervisor.readiness}: {@link Readiness} name, default AUTO. */
  public static final String READINESS = "supervisor.readiness";
  /** Property {@code supervisor.group}: group path, default the root group. */
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
  /** Property {@code supervisor.escalate}: {@link Escalation} name, default NONE. */
  public static final String ESCALATE = "supervisor.escalate";

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
    return b;
  }

  /** @return {@code supervisor.name} */
  public String name() { return name; }

  /** @return {@code supervisor.dependsOn}, in the order given; default none */
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

  /** @return {@code supervisor.restart}; default {@link RestartPolicy#ON_FAILURE} */
  public RestartPolicy restart() { return restart; }

  /** @return {@code supervisor.autoStart}; default true */
  public boolean autoStart() { return autoStart; }

  /** @return {@code supervisor.restartDelay}, the first restart delay; default 100 ms */
  public Duration restartDelay() { return restartDelay; }

  /** @return {@code supervisor.maxRestartDelay}, the cap of the backoff; default 30 s */
  public Duration maxRestartDelay() { return maxRestartDelay; }

  /** @return {@code supervisor.backoffMultiplier}, the delay's growth per consecutive failure; default 2.0 */
  public double backoffMultiplier() { return backoffMultiplier; }

  /** @return {@code supervisor.jitter}, the random +/- fraction applied to each delay; default 0.1 */
  public double jitter() { return jitter; }

  /** @return {@code supervisor.maxRestarts}, the lifetime cap of restarts; 0 (default) = unlimited */
  public int maxRestarts() { return maxRestarts; }

  /** @return {@code supervisor.restartWindow}, the sliding window for {@link #maxRestartsInWindow}; default 60 s */
  public Duration restartWindow() { return restartWindow; }

  /** @return {@code supervisor.maxRestartsInWindow}; 0 (default) = unlimited */
  public int maxRestartsInWindow() { return maxRestartsInWindow; }

  /** @return {@code supervisor.readyTimeout}, used with {@link Readiness#EXPLICIT}; default 30 s */
  public Duration readyTimeout() { return readyTimeout; }

  /** @return {@code supervisor.stopTimeout}: then interrupt, then abandon; default 10 s */
  public Duration stopTimeout() { return stopTimeout; }

  /** @return {@code supervisor.readiness}; default {@link Readiness#AUTO} */
  public Readiness readiness() { return readiness; }

  /** @return {@code supervisor.group}, a path like {@code ingest/kafka}; "" (default) = the root group */
  public String group() { return group; }

  /**
   * @return {@code supervisor.escalate}, what happens once when the restarts are used up; default
   *     {@link Escalation#NONE}
   */
  public Escalation escalate() { return escalate; }

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
        && readiness == s.readiness && group.equals(s.group) && escalate == s.escalate;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dependsOn, derivedDependsOn, restart, autoStart, restartDelay, maxRestartDelay,
        backoffMultiplier, jitter, maxRestarts, restartWindow, maxRestartsInWindow, readyTimeout, stopTimeout,
        readiness, group, escalate);
  }

  /**
   * The spec as its service properties, for display (JMX, shell, logs).
   *
   * @return every {@code supervisor.*} property with its value as text, in the order of the documentation:
   *     durations in ISO-8601, dependencies comma-separated, the root group as ""
   */
  public Map<String, String> toProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(NAME, name);
    properties.put(DEPENDS_ON, String.join(",", dependsOn));
    properties.put(RESTART, restart.name());
    properties.put(AUTO_START, String.valueOf(autoStart));
    properties.put(RESTART_DELAY, restartDelay.toString());
    properties.put(MAX_RESTART_DELAY, maxRestartDelay.toString());
    properties.put(BACKOFF_MULTIPLIER, String.valueOf(backoffMultiplier));
    properties.put(JITTER, String.valueOf(jitter));
    properties.put(MAX_RESTARTS, String.valueOf(maxRestarts));
    properties.put(RESTART_WINDOW, restartWindow.toString());
    properties.put(MAX_RESTARTS_IN_WINDOW, String.valueOf(maxRestartsInWindow));
    properties.put(READY_TIMEOUT, readyTimeout.toString());
    properties.put(STOP_TIMEOUT, stopTimeout.toString());
    properties.put(READINESS, readiness.name());
    properties.put(GROUP, group);
    properties.put(ESCALATE, escalate.name());
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
    private RestartPolicy restart = RestartPolicy.ON_FAILURE;
    private boolean autoStart = true;
    private Duration restartDelay = Duration.ofMillis(100);
    private Duration maxRestartDelay = Duration.ofSeconds(30);
    private double backoffMultiplier = 2.0;
    private double jitter = 0.1;
    private int maxRestarts;
    private Duration restartWindow = Duration.ofSeconds(60);
    private int maxRestartsInWindow;
    private Duration readyTimeout = Duration.ofSeconds(30);
    private Duration stopTimeout = Duration.ofSeconds(10);
    private Readiness readiness = Readiness.AUTO;
    private String group = "";
    private Escalation escalate = Escalation.NONE;

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
