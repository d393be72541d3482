package dev.supervisor.itest.workers.internal;

import dev.supervisor.api.Supervised;
import dev.supervisor.api.annotations.SupervisedService;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.StartupWorkers;
import org.osgi.service.component.annotations.Component;

/** Joins through the DS component property type: bnd writes the {@code supervisor.*} properties. */
@Component(service = Supervised.class)
@SupervisedService(name = StartupWorkers.DS, jitter = 0)
public class AnnotatedWorker extends BlockingWorker {}
