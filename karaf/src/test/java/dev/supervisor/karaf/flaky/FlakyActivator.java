package dev.supervisor.karaf.flaky;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Activator of the bundle the Karaf test installs to turn a health check CRITICAL: its worker {@value #NAME}
 * fails every run and may be restarted once, so it is {@code FAILED} within a second.
 */
public final class FlakyActivator implements BundleActivator {
  /** The worker's name. */
  public static final String NAME = "karaf.flaky";

  @Override
  public void start(BundleContext context) {
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put("supervisor.name", NAME);
    properties.put("supervisor.maxRestarts", 1);
    properties.put("supervisor.restartDelay", "PT0.1S");
    context.registerService(Supervised.class, new Flaky(), properties);
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the service
  }

  /** Fails at once. */
  static final class Flaky implements Supervised {
    @Override
    public void run(RunContext ctx) {
      throw new IllegalStateException("broker gone (on purpose, for the health check)");
    }
  }
}
