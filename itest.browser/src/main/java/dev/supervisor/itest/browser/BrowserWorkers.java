package dev.supervisor.itest.browser;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.time.Duration;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Two workers the browser test adds to the product (on the whiteboard, as any bundle would):
 * {@code browser.flaky} fails at every start and has one restart, so a start makes it FAILED; it is started
 * only by the test (autoStart false). And a worker whose name is an HTML tag with a script in it, which the
 * page must show as text. With the framework property {@code browser.scale.services} (a measured run, not
 * the build) also that many idle services named {@code browser.scale-NNNNN}.
 */
public final class BrowserWorkers implements BundleActivator {
  public static final String FLAKY = "browser.flaky";
  public static final String EVIL = "<img src=x onerror=alert(1)>";

  @Override
  public void start(BundleContext context) {
    Hashtable<String, Object> flaky = new Hashtable<>();
    flaky.put("supervisor.name", FLAKY);
    flaky.put("supervisor.autoStart", false);
    flaky.put("supervisor.maxRestarts", 1);
    flaky.put("supervisor.restartDelay", "PT0.05S");
    context.registerService(Supervised.class, ctx -> {
      throw new IllegalStateException("flaky on purpose");
    }, flaky);

    Hashtable<String, Object> evil = new Hashtable<>();
    evil.put("supervisor.name", EVIL);
    evil.put("supervisor.dependsOn", "demo.store");
    context.registerService(Supervised.class, (RunContext ctx) -> {
      while (!ctx.awaitStop(Duration.ofSeconds(10))) {
        // idle
      }
    }, evil);

    // a measured run only (-Dbrowser.scale=N on the test's command line): N more services, 100 layers deep
    String scale = context.getProperty("browser.scale.services");
    int n = scale == null ? 0 : Integer.parseInt(scale);
    for (int i = 0; i < n; i++) {
      Hashtable<String, Object> props = new Hashtable<>();
      props.put("supervisor.name", scaleName(i));
      if (i >= 100) {
        props.put("supervisor.dependsOn", scaleName(i - 100));
      }
      context.registerService(Supervised.class, (RunContext ctx) -> {
        while (!ctx.awaitStop(Duration.ofSeconds(10))) {
          // idle
        }
      }, props);
    }
  }

  private static String scaleName(int i) {
    return String.format(java.util.Locale.ROOT, "browser.scale-%05d", i);
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the services
  }
}
