package dev.supervisor.launcher.deploy;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The bundle {@code FileInstallIT} drops into the launcher's {@code deploy/} folder: one whiteboard worker,
 * {@value #NAME}, with no property but its name, so that the rest of its spec comes from
 * {@code etc/dev.supervisor.cfg}; and {@value #REJECTED} with a negative restart delay, rejected.
 */
public final class DeployActivator implements BundleActivator {
  public static final String SYMBOLIC_NAME = "supervisor.it.deployed";
  public static final String NAME = "deployed.worker";
  /** A second worker with a bad value, rejected: the README's example of a rejection message. */
  public static final String REJECTED = "db";
  public static final String BAD_DELAY = "-PT5S";

  @Override
  public void start(BundleContext context) {
    context.registerService(Supervised.class, RunContext::awaitStop, new Hashtable<>(Map.of("supervisor.name", NAME)));
    context.registerService(Supervised.class, RunContext::awaitStop,
        new Hashtable<>(Map.of("supervisor.name", REJECTED, "supervisor.restartDelay", BAD_DELAY)));
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the service
  }
}
