package dev.supervisor.itest.workers;

import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.Recorder.Kind;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.PrototypeServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers whiteboard workers on behalf of a test, under this (the worker) bundle's context: the
 * registering bundle is {@code itest.workers}, as if the worker bundle had registered them itself, and
 * stopping this bundle unregisters them. The test owns the returned registration and unregisters it.
 */
public final class Registrations {

  private Registrations() {}

  /**
   * @param worker the worker
   * @param properties the service properties ({@code supervisor.*})
   * @return the registration, owned by the caller
   */
  public static ServiceRegistration<Supervised> whiteboard(Supervised worker, Map<String, ?> properties) {
    return context().registerService(Supervised.class, worker, new Hashtable<>(properties));
  }

  /**
   * Registers a prototype-scoped {@link BlockingWorker}: every {@code getService} through
   * {@code ServiceObjects} makes a new instance (recorded as GET), every {@code ungetService} is recorded
   * as UNGET.
   *
   * @param name the service name, used in the recorded GET and UNGET events
   * @param properties the service properties ({@code supervisor.*})
   * @return the registration, owned by the caller
   */
  public static ServiceRegistration<Supervised> prototype(String name, Map<String, ?> properties) {
    PrototypeServiceFactory<Supervised> factory = new PrototypeServiceFactory<>() {
      @Override
      public Supervised getService(Bundle bundle, ServiceRegistration<Supervised> registration) {
        BlockingWorker worker = new BlockingWorker();
        Recorder.record(name, Kind.GET, worker.id(), 0);
        return worker;
      }

      @Override
      public void ungetService(Bundle bundle, ServiceRegistration<Supervised> registration,
          Supervised service) {
        Recorder.record(name, Kind.UNGET, ((BlockingWorker) service).id(), 0);
      }
    };
    return context().registerService(Supervised.class, factory, new Hashtable<>(properties));
  }

  private static BundleContext context() {
    Bundle self = FrameworkUtil.getBundle(Registrations.class);
    BundleContext context = self == null ? null : self.getBundleContext();
    return Objects.requireNonNull(context, "the itest.workers bundle is not active: " + self);
  }
}
