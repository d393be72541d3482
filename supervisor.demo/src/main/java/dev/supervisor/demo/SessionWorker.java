package dev.supervisor.demo;

import static dev.supervisor.demo.DemoLog.log;

import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.annotations.SupervisedService;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.ServiceScope;

/**
 * {@code demo.session}: a prototype-scoped worker. Each start gets a fresh instance (the supervisor asks the
 * service registry for a new one and releases the old one), so its instance number grows with every start.
 * Each instance works for a few seconds and returns; restart policy {@code ALWAYS} starts the next one.
 */
@Component(service = Supervised.class, scope = ServiceScope.PROTOTYPE)
@SupervisedService(name = SessionWorker.NAME, restart = RestartPolicy.ALWAYS, restartDelay = "PT2S")
public class SessionWorker implements Supervised {
  static final String NAME = "demo.session";
  private static final Duration LIFETIME = Duration.ofSeconds(5);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final int instance = INSTANCES.incrementAndGet();

  @Override
  public void run(RunContext ctx) throws Exception {
    log(NAME, "instance #%d runs (attempt %d); it returns in %d s", instance, ctx.attempt(), LIFETIME.toSeconds());
    if (ctx.awaitStop(LIFETIME)) {
      log(NAME, "instance #%d stopped on request", instance);
    } else {
      log(NAME, "instance #%d done; the next start gets a fresh instance", instance);
    }
  }

  @Deactivate
  void deactivate() {
    log(NAME, "instance #%d released", instance);
  }
}
