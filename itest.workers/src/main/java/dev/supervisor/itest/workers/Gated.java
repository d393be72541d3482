package dev.supervisor.itest.workers;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the DS component gated on the readiness condition of worker {@link #WORKER} reports: how often it
 * was activated and deactivated. The component lives in this bundle with no supervisor code in it; only
 * its {@code osgi.ds.satisfying.condition.target} property ties it to the worker.
 */
public final class Gated {
  /** The worker whose condition {@code supervisor.itcond.gate} the component waits for. */
  public static final String WORKER = "itcond.gate";
  /** The component's name (as SCR knows it). */
  public static final String COMPONENT = "itest.workers.gated";

  private static final AtomicInteger activations = new AtomicInteger();
  private static final AtomicInteger deactivations = new AtomicInteger();

  private Gated() {}

  /** @return how many times the gated component was activated */
  public static int activations() {
    return activations.get();
  }

  /** @return how many times it was deactivated */
  public static int deactivations() {
    return deactivations.get();
  }

  /** @return whether it is active now */
  public static boolean active() {
    return activations.get() > deactivations.get();
  }

  /** Called by the component. */
  public static void activated() {
    activations.incrementAndGet();
  }

  /** Called by the component. */
  public static void deactivated() {
    deactivations.incrementAndGet();
  }
}
