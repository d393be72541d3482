package dev.supervisor.itest.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The tab in the Apache Felix Web Console 4.x (javax, as Karaf 4.4's webconsole feature has it), in the same
 * Felix as {@link WebConsoleTest}: the console lists it in its menu and frames the page of /supervisor/.
 */
class FelixWebConsoleTabTest {
  /** The web console's own default user (it does not know the supervisor's users file). */
  static final String CONSOLE_ADMIN = Http.basic("admin", "admin");

  @Test
  void theSupervisorTabIsInTheWebConsoleAndFramesThePage() throws Exception {
    BundleContext context = FrameworkUtil.getBundle(FelixWebConsoleTabTest.class).getBundleContext();
    ServiceTracker<HttpServiceRuntime, HttpServiceRuntime> rt = new ServiceTracker<>(context, HttpServiceRuntime.class, null);
    rt.open();
    assertNotNull(rt.waitForService(20_000));
    Http http = new Http(WebConsoleTest.endpoint(rt.getServiceReference()) + "system/console");
    Http.Response tab = Await.until("the Supervisor tab in the web console", () -> http.get("/supervisor", CONSOLE_ADMIN),
        r -> r.status() == 200 && r.body().contains("supervisor-console"));
    assertTrue(tab.body().contains("<iframe id=\"supervisor-console\" src=\"/supervisor/\""), tab.body());
    Http.Response bundles = http.get("/bundles", CONSOLE_ADMIN);
    assertEquals(200, bundles.status());
    assertTrue(bundles.body().contains("supervisor\""), "the menu links the tab");
    assertTrue(bundles.body().contains(">Supervisor<"), "under its title");
  }
}
