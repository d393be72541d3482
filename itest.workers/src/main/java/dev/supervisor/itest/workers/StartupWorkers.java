package dev.supervisor.itest.workers;

import java.util.List;

/**
 * The names of the workers this bundle adds whenever it starts, one way of joining each:
 *
 * <ul>
 *   <li>{@link #CHAIN_A} &lt;- {@link #CHAIN_B} &lt;- {@link #CHAIN_C}: whiteboard services ({@code c} depends on
 *       {@code b}, which depends on {@code a}), registered in the worst order, c first, and unregistered in the
 *       worst order, a first, so the supervisor, not the registration order, decides who starts and stops
 *       first; with readiness EXPLICIT, so a dependent cannot start before its dependency recorded its start;
 *   <li>{@link #DS}: a DS component with the {@code @SupervisedService} property type;
 *   <li>{@link #DS_PROTOTYPE}: the same with {@code scope=PROTOTYPE};
 *   <li>{@link #API}: added through the {@code Supervisor} service's {@code add} by a DS component of this
 *       bundle, and removed with its token when that component goes away.
 * </ul>
 *
 * All are {@link BlockingWorker}s, so they stay RUNNING until stopped.
 */
public final class StartupWorkers {

  /** Whiteboard, no dependencies. */
  public static final String CHAIN_A = "chain.a";
  /** Whiteboard, depends on {@link #CHAIN_A}. */
  public static final String CHAIN_B = "chain.b";
  /** Whiteboard, depends on {@link #CHAIN_B}. */
  public static final String CHAIN_C = "chain.c";
  /** DS component with {@code @SupervisedService}. */
  public static final String DS = "workers.ds";
  /** DS component with {@code @SupervisedService} and {@code scope=PROTOTYPE}. */
  public static final String DS_PROTOTYPE = "workers.ds.prototype";
  /** Added with {@code Supervisor.add} by a DS component of this bundle. */
  public static final String API = "workers.api";

  /** @return every name above */
  public static List<String> all() {
    return List.of(CHAIN_A, CHAIN_B, CHAIN_C, DS, DS_PROTOTYPE, API);
  }

  private StartupWorkers() {}
}
