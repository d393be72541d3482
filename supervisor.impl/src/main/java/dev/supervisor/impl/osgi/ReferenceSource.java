package dev.supervisor.impl.osgi;

import dev.supervisor.api.Supervised;
import dev.supervisor.impl.engine.WorkerSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceObjects;
import org.osgi.framework.ServiceReference;

/**
 * The worker instances of one registered {@code Supervised} service. A prototype-scoped service gives a
 * fresh instance per run, released after that run; singleton and bundle-scoped services are got once, at
 * the first run, and released when the service is removed.
 */
final class ReferenceSource implements WorkerSource {
  private final ServiceReference<Supervised> reference;
  private final ServiceObjects<Supervised> objects;
  private final boolean prototype;
  private Supervised shared;

  ReferenceSource(BundleContext context, ServiceReference<Supervised> reference) {
    this.reference = reference;
    this.objects = context.getServiceObjects(reference);
    this.prototype = Constants.SCOPE_PROTOTYPE.equals(reference.getProperty(Constants.SERVICE_SCOPE));
  }

  @Override
  public Supervised acquire() {
    if (objects == null) {
      throw new IllegalStateException("the service " + reference + " is no longer registered");
    }
    if (prototype) {
      return present(objects.getService());
    }
    synchronized (this) {
      if (shared == null) {
        shared = present(objects.getService());
      }
      return shared;
    }
  }

  private Supervised present(Supervised worker) {
    if (worker == null) {
      throw new IllegalStateException("the framework returned no object for " + reference
          + " (its service factory failed or it was unregistered)");
    }
    return worker;
  }

  @Override
  public void release(Supervised instance) {
    if (prototype) {
      ungetQuietly(instance);
    }
  }

  @Override
  public void close() {
    Supervised worker;
    synchronized (this) {
      worker = shared;
      shared = null;
    }
    if (worker != null) {
      ungetQuietly(worker);
    }
  }

  private void ungetQuietly(Supervised instance) {
    try {
      objects.ungetService(instance);
    } catch (IllegalStateException | IllegalArgumentException gone) {
      // The service was unregistered meanwhile: the framework has already released it.
    }
  }

  @Override
  public String toString() {
    return "service " + reference.getProperty(Constants.SERVICE_ID) + (prototype ? " (prototype)" : "");
  }
}
