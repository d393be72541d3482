package dev.supervisor.bench.bundle.ours;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorListener;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Registers {@code bench.workers} {@link Supervised} services (whiteboard, as a user's bundle does), after a
 * {@link SupervisorListener} that tells the harness of each of their RUNNING updates (through a
 * {@code java.lang.Runnable} service with {@code bench=ours-running}: a JDK type, shared with the harness).
 */
public final class WorkersActivator implements BundleActivator {
  @Override
  public void start(BundleContext context) throws Exception {
    int workers = Integer.parseInt(context.getProperty("bench.workers"));
    ServiceReference<?>[] tallies = context.getServiceReferences(Runnable.class.getName(), "(bench=ours-running)");
    Runnable running = (Runnable) context.getService(tallies[0]);
    context.registerService(SupervisorListener.class, new RunningCounter(running), null);
    for (int i = 0; i < workers; i++) {
      Hashtable<String, Object> properties = new Hashtable<>();
      properties.put(ServiceSpec.NAME, "bench-" + i);
      context.registerService(Supervised.class, new BenchWorker(), properties);
    }
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the services; the supervisor has stopped the workers before that
  }
}
