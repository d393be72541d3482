package dev.supervisor.itest.workers.internal;

import dev.supervisor.api.Supervised;
import dev.supervisor.api.annotations.SupervisedService;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.StartupWorkers;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

/** A prototype-scoped DS worker: SCR makes a new instance for every {@code getService}. */
@Component(service = Supervised.class, scope = ServiceScope.PROTOTYPE)
@SupervisedService(name = StartupWorkers.DS_PROTOTYPE, jitter = 0)
public class AnnotatedPrototypeWorker extends BlockingWorker {}
