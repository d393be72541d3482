package dev.supervisor.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How one supervision group behaves: its restart strategy and its failure intensity. Immutable and
 * validated; each default below is the one a group gets when it is created on first use.
 *
 * <p>Two limits apply to the failures of a group's members (child groups' failures included):
 * <ul>
 *   <li>suptree's smooth one: a failure count that halves every {@link #failureDecay()} and grows by one
 *       per failure; when it passes {@link #failureThreshold()}, every restart in the group waits for
 *       {@link #failureBackoff()}, then the count starts again from zero;</li>
 *   <li>OTP's hard one: more than {@link #maxRestarts()} failures within {@link #restartWindow()} and the
 *       group fails as a whole: its services stop (dependents first) and its parent handles it as one
 *       failed member. {@code maxRestarts = 0} (the default) turns this limit off.</li>
 * </ul>
 *
 * <pre>{@code
 * supervisor.configureGroup(GroupSpec.builder("ingest/kafka")
 *     .strategy(Strategy.ONE_FOR_ALL).maxRestarts(3).restartWindow(Duration.ofSeconds(10)).build());
 * }</pre>
 */
public final class GroupSpec {
  /** Service property of a {@link SupervisorGroup} service: the group's path (required). */
  public static final String PATH = "supervisor.group.path";
  /** Service property: {@link Strategy} name. */
  public static final String STRATEGY = "supervisor.group.strategy";
  /** Service property: duration, the failure count's half-life. */
  public static final String FAILURE_DECAY = "supervisor.group.failureDecay";
  /** Service property: number, the decayed count past which restarts pause. */
  public static final String FAILURE_THRESHOLD = "supervisor.group.failureThreshold";
  /** Service property: duration, how long restarts pause. */
  public static final String FAILURE_BACKOFF = "supervisor.group.failureBackoff";
  /** Service property: int, OTP's restart intensity (0 = no such limit). */
  public static final String MAX_RESTARTS = "supervisor.group.maxRestarts";
  /** Service property: duration, OTP's period. */
  public static final String RESTART_WINDOW = "supervisor.group.restartWindow";
  /** Service property: duration, how long stopping the group waits for its members. */
  public static final String STOP_TIMEOUT = "supervisor.group.stopTimeout";
  /**
   * Service property: {@link AutoShutdown} name, when the group ends because of its significant members.
   *
   * @since 1.3
   */
  public static final String AUTO_SHUTDOWN = "supervisor.group.autoShutdown";

  private final String path;
  private final Strategy strategy;
  private final Duration failureDecay;
  private final double failureThreshold;
  private final Duration failureBackoff;
  private final int maxRestarts;
  private final Duration restartWindow;
  private final Duration stopTimeout;
  private final AutoShutdown autoShutdown;

  private GroupSpec(Builder b) {
    this.path = b.path;
    this.strategy = b.strategy;
    this.failureDecay = b.failureDecay;
    this.failureThreshold = b.failureThreshold;
    this.failureBackoff = b.failureBackoff;
    this.maxRestarts = b.maxRestarts;
    this.restartWindow = b.restartWindow;
    this.stopTimeout = b.stopTimeout;
    this.autoShutdown = b.autoShutdown;
  }

  /**
   * @param path "" for the root group, else segments separated by '/', like {@code ingest/kafka}
   * @return a builder with the defaults
   */
  public static Builder builder(String path) {
    return new Builder(path);
  }

  /** @return a builder holding this spec's values */
  public Builder toBuilder() {
    Builder b = new Builder(path);
    b.strategy = strategy;
    b.failureDecay = failureDecay;
    b.failureThreshold = failureThreshold;
    b.failureBackoff = failureBackoff;
    b.maxRestarts = maxRestarts;
    b.restartWindow = restartWindow;
    b.stopTimeout = stopTimeout;
    b.autoShutdown = autoShutdown;
    return b;
  }

  /** @return the path; "" is the root group */
  public String path() { return path; }

  /** @return the strategy; default {@link Strategy#ONE_FOR_ONE} */
  public Strategy strategy() { return strategy; }

  /** @return the failure count's half-life; default 30 s (suptree's) */
  public Duration failureDecay() { return failureDecay; }

  /**
   * @return the count past which restarts pause; default 5 (suptree's) for every group but the root, whose
   *     default is infinity (never pause), so that services outside any group keep exactly their own
   *     restart policies until the root is configured
   */
  public double failureThreshold() { return failureThreshold; }

  /** @return how long restarts pause once past the threshold; default 15 s (suptree's) */
  public Duration failureBackoff() { return failureBackoff; }

  /** @return failures allowed within {@link #restartWindow()} before the group fails; 0 (default) = no limit */
  public int maxRestarts() { return maxRestarts; }

  /** @return the window of {@link #maxRestarts()}; default 5 s (OTP's period) */
  public Duration restartWindow() { return restartWindow; }

  /** @return how long stopping the group waits for its members; default 10 s (suptree's Timeout) */
  public Duration stopTimeout() { return stopTimeout; }

  /**
   * @return when the group ends because of its significant members; default {@link AutoShutdown#NEVER}
   * @since 1.3
   */
  public AutoShutdown autoShutdown() { return autoShutdown; }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupSpec g && path.equals(g.path) && strategy == g.strategy
        && failureDecay.equals(g.failureDecay) && Double.compare(failureThreshold, g.failureThreshold) == 0
        && failureBackoff.equals(g.failureBackoff) && maxRestarts == g.maxRestarts
        && restartWindow.equals(g.restartWindow) && stopTimeout.equals(g.stopTimeout)
        && autoShutdown == g.autoShutdown;
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, strategy, failureDecay, failureThreshold, failureBackoff, maxRestarts, restartWindow,
        stopTimeout, autoShutdown);
  }

  @Override
  public String toString() {
    return "group '" + path + "': strategy=" + strategy + ", failureDecay=" + failureDecay + ", failureThreshold="
        + failureThreshold + ", failureBackoff=" + failureBackoff + ", maxRestarts=" + maxRestarts
        + ", restartWindow=" + restartWindow + ", stopTimeout=" + stopTimeout + ", autoShutdown=" + autoShutdown;
  }

  /** Collects values; {@link #build()} checks them and names the group, the field and the value on error. */
  public static final class Builder {
    private final String path;
    private Strategy strategy = Strategy.ONE_FOR_ONE;
    private Duration failureDecay = Duration.ofSeconds(30);
    private double failureThreshold;
    private Duration failureBackoff = Duration.ofSeconds(15);
    private int maxRestarts;
    private Duration restartWindow = Duration.ofSeconds(5);
    private Duration stopTimeout = Duration.ofSeconds(10);
    private AutoShutdown autoShutdown = AutoShutdown.NEVER;

    private Builder(String path) {
      this.path = path;
      // The one place of this default (see failureThreshold()): the root never pauses unless configured to.
      this.failureThreshold = "".equals(path) ? Double.POSITIVE_INFINITY : 5;
    }

    /** @param strategy the strategy; @return this */
    public Builder strategy(Strategy strategy) { this.strategy = strategy; return this; }

    /** @param halfLife &gt; 0; @return this */
    public Builder failureDecay(Duration halfLife) { this.failureDecay = halfLife; return this; }

    /** @param threshold &gt; 0; {@code Double.POSITIVE_INFINITY} turns the pause off; @return this */
    public Builder failureThreshold(double threshold) { this.failureThreshold = threshold; return this; }

    /** @param pause &gt;= 0; @return this */
    public Builder failureBackoff(Duration pause) { this.failureBackoff = pause; return this; }

    /** @param max &gt;= 0, 0 = no limit; @return this */
    public Builder maxRestarts(int max) { this.maxRestarts = max; return this; }

    /** @param window &gt; 0; @return this */
    public Builder restartWindow(Duration window) { this.restartWindow = window; return this; }

    /** @param timeout &gt; 0; @return this */
    public Builder stopTimeout(Duration timeout) { this.stopTimeout = timeout; return this; }

    /**
     * @param when when the group ends because of its significant members; @return this
     * @since 1.3
     */
    public Builder autoShutdown(AutoShutdown when) { this.autoShutdown = when; return this; }

    /**
     * @return the spec
     * @throws SupervisorException INVALID_PROPERTY naming the group, the property and the value
     */
    public GroupSpec build() {
      if (path == null || !GroupSpec.isValidPath(path)) {
        throw invalid(PATH, path, "must be \"\" (the root) or segments separated by '/', without empty segments, "
            + "a leading or trailing '/', or control characters");
      }
      if (strategy == null) {
        throw invalid(STRATEGY, null, "must not be null");
      }
      positive(FAILURE_DECAY, failureDecay, false);
      if (Double.isNaN(failureThreshold) || failureThreshold <= 0) {
        throw invalid(FAILURE_THRESHOLD, failureThreshold, "must be a number > 0 (Infinity = never pause)");
      }
      positive(FAILURE_BACKOFF, failureBackoff, true);
      if (maxRestarts < 0) {
        throw invalid(MAX_RESTARTS, maxRestarts, "must be >= 0 (0 = no limit)");
      }
      positive(RESTART_WINDOW, restartWindow, false);
      positive(STOP_TIMEOUT, stopTimeout, false);
      if (autoShutdown == null) {
        throw invalid(AUTO_SHUTDOWN, null, "must not be null");
      }
      return new GroupSpec(this);
    }

    private void positive(String property, Duration value, boolean zeroAllowed) {
      if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())
          || value.compareTo(Duration.ofDays(365L * 100)) > 0) {
        throw invalid(property, value, zeroAllowed ? "must be between 0 and 100 years" : "must be positive (at most 100 years)");
      }
    }

    private SupervisorException invalid(String property, Object value, String problem) {
      SupervisorException e = SupervisorException.invalidProperty(null, property, value, problem);
      return new SupervisorException(e.kind(), null, "group '" + path + "': " + e.getMessage(), null);
    }
  }

  /**
   * @param path a candidate group path
   * @return true for "" (the root) and for '/'-separated non-empty segments without control characters
   */
  public static boolean isValidPath(String path) {
    if (path.isEmpty()) {
      return true;
    }
    if (path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
      return false;
    }
    return path.chars().noneMatch(Character::isISOControl);
  }
}
