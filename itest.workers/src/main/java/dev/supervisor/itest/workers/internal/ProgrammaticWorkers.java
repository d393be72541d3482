package dev.supervisor.itest.workers.internal;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.ServiceToken;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.StartupWorkers;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Joins through the programmatic API: adds a worker when the {@code Supervisor} service appears and removes
 * it with its token when the service (or this bundle) goes away.
 */
@Component(immediate = true, service = {})
public class ProgrammaticWorkers {

  private final ServiceToken token;

  @Activate
  public ProgrammaticWorkers(@Reference Supervisor supervisor) {
    token = supervisor.add(ServiceSpec.builder(StartupWorkers.API).jitter(0).build(), new BlockingWorker());
  }

  @Deactivate
  void deactivate() {
    try {
      token.remove();
    } catch (SupervisorException e) {
      // the supervisor may be shutting down already (its bundle stops): it stops the worker itself
      System.err.println("itest.workers: removing " + token.name() + ": " + e);
    }
  }
}
