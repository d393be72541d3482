package dev.supervisor.launcher.prometheus;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The bundle {@code PrometheusExporterIT} adds to the launcher: {@value #STEADY} runs until stopped, and
 * {@value #FLAKY} in group {@value #GROUP} fails at once on every run, so that after {@value #MAX_RESTARTS}
 * restarts it is {@code FAILED} with {@code MAX_RESTARTS + 1} failures.
 */
public final class PrometheusActivator implements BundleActivator {
  public static final String SYMBOLIC_NAME = "supervisor.it.prometheus";
  public static final String STEADY = "prom.steady";
  public static final String FLAKY = "prom.flaky";
  public static final String GROUP = "ingest";
  public static final int MAX_RESTARTS = 2;

  @Override
  public void start(BundleContext context) {
    context.registerService(Supervised.class, RunContext::awaitStop,
        new Hashtable<>(Map.of("supervisor.name", STEADY)));
    context.registerService(Supervised.class, new Flaky(), new Hashtable<>(Map.of("supervisor.name", FLAKY,
        "supervisor.group", GROUP, "supervisor.maxRestarts", MAX_RESTARTS, "supervisor.restartDelay", "PT0.05S")));
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the services
  }

  /** Fails every run. */
  static final class Flaky implements Supervised {
    @Override
    public void run(RunContext ctx) {
      throw new IllegalStateException("broker gone (on purpose)");
    }
  }
}
