package dev.supervisor.itest.escalation;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import java.time.Duration;
import java.util.Hashtable;
import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * Supervises {@value #NAME} (or {@value #API_NAME}), a worker that fails at once on every run, whose restarts are soon used up
 * ({@code maxRestarts} 2, 10 ms apart) and whose spec asks for its bundle to be refreshed then
 * ({@code supervisor.escalate=REFRESH_BUNDLE}). Each start of this bundle supervises it anew, the start after
 * the supervisor's refresh included.
 *
 * <p>How it joins depends on the location the test installed the bundle from (a location outlives a refresh):
 * one ending in {@value #API_LOCATION_SUFFIX} adds it through the {@link Supervisor} service (which removes it
 * when this bundle stops), any other registers it as a whiteboard service (which the framework unregisters).
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class EscalationActivator implements BundleActivator {

  /** The worker's {@code supervisor.name} as a whiteboard service. */
  public static final String NAME = "escalation.refresh";
  /**
   * Its name when added through the Supervisor service: another name, since the supervisor escalates a name
   * once (until a reset), and each way is tested in the same framework.
   */
  public static final String API_NAME = "escalation.refresh.api";
  /** Its {@code supervisor.maxRestarts}: each registration runs this many times plus one. */
  public static final int MAX_RESTARTS = 2;
  /** Install from a location with this ending to have the worker added through the Supervisor service. */
  public static final String API_LOCATION_SUFFIX = ":api";

  private static final Supervised ALWAYS_FAILS = ctx -> {
    throw new IllegalStateException("fails on purpose, attempt " + ctx.attempt());
  };

  @Override
  public void start(BundleContext context) {
    if (context.getBundle().getLocation().endsWith(API_LOCATION_SUFFIX)) {
      ServiceReference<Supervisor> reference = context.getServiceReference(Supervisor.class);
      if (reference == null) {
        throw new IllegalStateException("no Supervisor service to add " + API_NAME + " to");
      }
      // The service is let go when this bundle stops; the supervisor then removes what it added.
      context.getService(reference).add(ServiceSpec.builder(API_NAME).maxRestarts(MAX_RESTARTS)
          .restartDelay(Duration.ofMillis(10)).jitter(0.0).escalate(Escalation.REFRESH_BUNDLE).build(), ALWAYS_FAILS);
      return;
    }
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(ServiceSpec.NAME, NAME);
    properties.put(ServiceSpec.MAX_RESTARTS, MAX_RESTARTS);
    properties.put(ServiceSpec.RESTART_DELAY, "PT0.01S");
    properties.put(ServiceSpec.JITTER, 0.0);
    properties.put(ServiceSpec.ESCALATE, Escalation.REFRESH_BUNDLE.name());
    context.registerService(Supervised.class, ALWAYS_FAILS, properties);
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the worker service and lets go of the Supervisor service
  }
}
