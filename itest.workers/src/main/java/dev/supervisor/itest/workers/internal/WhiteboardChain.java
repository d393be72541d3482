package dev.supervisor.itest.workers.internal;

import static dev.supervisor.itest.workers.StartupWorkers.CHAIN_A;
import static dev.supervisor.itest.workers.StartupWorkers.CHAIN_B;
import static dev.supervisor.itest.workers.StartupWorkers.CHAIN_C;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.BlockingWorker;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Hashtable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers the chain a &lt;- b &lt;- c as plain whiteboard services with this bundle's context. The order is
 * the hardest one for the supervisor: c first (its dependency is missing), a last; and on the way out a is
 * unregistered first, so b and c must be stopped before a although a leaves first.
 */
@Component(immediate = true, service = {})
public class WhiteboardChain {

  private final Deque<ServiceRegistration<Supervised>> registrations = new ArrayDeque<>();

  @Activate
  void activate(BundleContext context) {
    register(context, CHAIN_C, CHAIN_B);
    register(context, CHAIN_B, CHAIN_A);
    register(context, CHAIN_A, null);
  }

  @Deactivate
  void deactivate() {
    // reverse of registration: a leaves first
    while (!registrations.isEmpty()) {
      registrations.pop().unregister();
    }
  }

  private void register(BundleContext context, String name, String dependsOn) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(ServiceSpec.NAME, name);
    properties.put(ServiceSpec.JITTER, 0.0);
    // ready once run has recorded its start, so the recorded start order is the supervisor's
    properties.put(ServiceSpec.READINESS, "EXPLICIT");
    if (dependsOn != null) {
      properties.put(ServiceSpec.DEPENDS_ON, dependsOn);
    }
    registrations.push(context.registerService(Supervised.class, new BlockingWorker(), properties));
  }
}
