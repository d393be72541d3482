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
 * page must show as text.
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
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the services
  }
}
