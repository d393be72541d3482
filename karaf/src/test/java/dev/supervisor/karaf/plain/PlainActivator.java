package dev.supervisor.karaf.plain;

import dev.supervisor.api.Supervised;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Activator of the small bundle the Karaf test builds and installs: it registers a whiteboard worker
 * {@value #NAME} with no {@code supervisor.*} property but its name, so every other value of its spec comes
 * from the configuration {@code dev.supervisor}, as for a DS component whose {@code @SupervisedService} sets
 * only the name.
 */
public final class PlainActivator implements BundleActivator {
  /** The worker's name. */
  public static final String NAME = "karaf.plain";

  private ServiceRegistration<Supervised> registration;

  @Override
  public void start(BundleContext context) {
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("supervisor.name", NAME);
    registration = context.registerService(Supervised.class, new PlainWorker(), properties);
  }

  @Override
  public void stop(BundleContext context) {
    registration.unregister();
  }
}
