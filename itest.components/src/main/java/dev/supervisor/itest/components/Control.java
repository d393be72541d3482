package dev.supervisor.itest.components;

import java.util.concurrent.atomic.AtomicInteger;

/** Knobs the tests set and counters the components keep (static: the test and the components share the class). */
public final class Control {
  /** How many more activations of itest.flaky throw. */
  public static final AtomicInteger FLAKY_FAILURES_LEFT = new AtomicInteger();
  /** Activations of itest.flaky, failed ones included. */
  public static final AtomicInteger FLAKY_ACTIVATIONS = new AtomicInteger();
  /** Activations of itest.store. */
  public static final AtomicInteger STORE_ACTIVATIONS = new AtomicInteger();

  private Control() {}
}
