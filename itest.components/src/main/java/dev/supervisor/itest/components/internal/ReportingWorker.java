package dev.supervisor.itest.components.internal;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.components.Store;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** A worker that is a DS component with a reference to {@link Store}: it derives a dependency on itest.store. */
@Component(name = "itest.reportingWorker", property = {"supervisor.name=itest.reportingWorker",
    "supervisor.autoStart:Boolean=false"})
public final class ReportingWorker implements Supervised {

  @Reference
  Store store;

  @Override
  public void run(RunContext ctx) throws InterruptedException {
    store.read();
    ctx.awaitStop();
  }
}
