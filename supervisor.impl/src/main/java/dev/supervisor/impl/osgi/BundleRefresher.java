package dev.supervisor.impl.osgi;

import dev.supervisor.api.Escalation;
import dev.supervisor.impl.engine.Escalator;
import java.util.Collection;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Carries out {@code supervisor.escalate=REFRESH_BUNDLE}: refreshes the bundle that registered (or added) a
 * service, with {@link FrameworkWiring#refreshBundles}. The framework then stops that bundle (its services go,
 * so the supervisor forgets the exhausted registration) and starts it again (it registers the service anew).
 *
 * <p>It refuses, with the reason as the exception's message, a bundle whose refresh would also refresh the
 * supervisor itself or the system bundle (a refresh takes the bundles wired to it along): that would end the
 * supervision it is part of. Threads: called by the engine on a worker-pool thread; {@code refreshBundles}
 * only queues the work and returns, the framework refreshes on a thread of its own.
 */
final class BundleRefresher {
  private final BundleContext context;
  private final OsgiLog log;

  BundleRefresher(BundleContext context, OsgiLog log) {
    this.context = context;
    this.log = log;
  }

  /**
   * @param bundle the bundle that registered or added the service
   * @return the escalator of that bundle's registrations
   */
  Escalator forBundle(Bundle bundle) {
    return (serviceName, escalation) -> refresh(serviceName, escalation, bundle);
  }

  private void refresh(String serviceName, Escalation escalation, Bundle bundle) {
    if (escalation != Escalation.REFRESH_BUNDLE) {
      throw new IllegalStateException("escalation " + escalation + " is not supported");
    }
    String owner = SupervisorComponent.ownerOf(bundle);
    if (bundle.getState() == Bundle.UNINSTALLED) {
      throw new IllegalStateException("its bundle " + owner + " is uninstalled");
    }
    FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkWiring.class);
    Collection<Bundle> closure = wiring.getDependencyClosure(Set.of(bundle));
    Bundle self = context.getBundle();
    for (Bundle refreshed : closure) {
      if (refreshed.getBundleId() == Constants.SYSTEM_BUNDLE_ID || refreshed.equals(self)) {
        throw new IllegalStateException("refreshing its bundle " + owner + " would refresh "
            + (refreshed.equals(self) ? "the supervisor itself " : "the system bundle ")
            + SupervisorComponent.ownerOf(refreshed) + "; refused");
      }
    }
    log.warn("service '" + serviceName + "': refreshing its bundle " + owner + " (supervisor.escalate = "
        + escalation + "); bundles refreshed with it: " + (closure.size() - 1), null);
    wiring.refreshBundles(Set.of(bundle), event -> {
      if (event.getType() == FrameworkEvent.ERROR) {
        log.error("service '" + serviceName + "': refreshing bundle " + owner + " failed", event.getThrowable());
      }
    });
  }
}
