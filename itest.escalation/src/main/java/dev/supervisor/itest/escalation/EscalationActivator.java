package dev.supervisor.itest.escalation;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import java.util.Hashtable;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * Registers {@value #NAME}, a whiteboard worker that fails at once on every run, whose restarts are soon used
 * up ({@code maxRestarts} 2, 10 ms apart) and whose spec asks for its bundle to be refreshed then
 * ({@code supervisor.escalate=REFRESH_BUNDLE}). Each start of this bundle registers it anew, the start after
 * the supervisor's refresh included; the framework unregisters it when the bundle stops.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class EscalationActivator implements BundleActivator {

  /** The worker's {@code supervisor.name}. */
  public static final String NAME = "escalation.refresh";
  /** Its {@code supervisor.maxRestarts}: each registration runs this many times plus one. */
  public static final int MAX_RESTARTS = 2;

  @Override
  public void start(BundleContext context) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(ServiceSpec.NAME, NAME);
    properties.put(ServiceSpec.MAX_RESTARTS, MAX_RESTARTS);
    properties.put(ServiceSpec.RESTART_DELAY, "PT0.01S");
    properties.put(ServiceSpec.JITTER, 0.0);
    properties.put(ServiceSpec.ESCALATE, Escalation.REFRESH_BUNDLE.name());
    Supervised alwaysFails = ctx -> {
      throw new IllegalStateException("fails on purpose, attempt " + ctx.attempt());
    };
    context.registerService(Supervised.class, alwaysFails, properties);
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the worker
  }
}
