package dev.supervisor.bench.bundle.storm;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorListener;
import java.time.Duration;
import java.util.Hashtable;
import java.util.function.IntFunction;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Registers a {@link SupervisorListener} and {@code bench.storm.workers} {@link StormWorker}s (whiteboard, restart
 * delay 0, no jitter), each failing {@code bench.storm.periodMillis} after it enters {@code run}. Each worker's
 * sample array comes from the harness, through an {@code IntFunction<long[]>} service (a JDK type, shared with it).
 */
public final class StormActivator implements BundleActivator {
  @Override
  @SuppressWarnings("unchecked")
  public void start(BundleContext context) throws Exception {
    int workers = Integer.parseInt(context.getProperty("bench.storm.workers"));
    Duration period = Duration.ofMillis(Long.parseLong(context.getProperty("bench.storm.periodMillis")));
    ServiceReference<?>[] arrays = context.getServiceReferences(IntFunction.class.getName(), "(bench=storm-samples)");
    IntFunction<long[]> samples = (IntFunction<long[]>) context.getService(arrays[0]);
    context.registerService(SupervisorListener.class, new StormListener(), null);
    for (int i = 0; i < workers; i++) {
      Hashtable<String, Object> properties = new Hashtable<>();
      properties.put(ServiceSpec.NAME, String.format("w%04d", i));
      properties.put(ServiceSpec.RESTART_DELAY, "0");
      properties.put(ServiceSpec.JITTER, "0");
      context.registerService(Supervised.class, new StormWorker(period, samples.apply(i)), properties);
    }
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the services; the supervisor stops each worker first
  }
}
