package dev.supervisor.demo;

import static dev.supervisor.demo.DemoLog.log;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.annotations.SupervisedService;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code demo.poller}: polls a (pretend) upstream once per {@code poller.intervalMillis} and counts the
 * polls in the store under {@code poller.polls}; each poll fails with probability
 * {@code poller.failureRate}. The supervisor restarts it after 0.5 s, doubling the delay with every
 * consecutive failure up to 8 s: watch {@code currentDelay} and {@code consecutiveFailures} over JMX. A run
 * that lasted longer than its 20 s restart window was healthy: its failure starts a new streak at 0.5 s.
 */
@Component(service = Supervised.class)
@SupervisedService(name = PollerWorker.NAME, dependsOn = StoreWorker.NAME, restartDelay = "PT0.5S",
    backoffMultiplier = 2.0, maxRestartDelay = "PT8S", jitter = 0.1, restartWindow = "PT20S")
public class PollerWorker implements Supervised {
  static final String NAME = "demo.poller";

  @Reference
  private DemoState state;

  @Override
  public void run(RunContext ctx) throws Exception {
    Duration interval = Duration.ofMillis(Long.parseLong(state.setting("poller.intervalMillis", "1000")));
    double failureRate = Double.parseDouble(state.setting("poller.failureRate", "0.05"));
    log(NAME, "polling every %d ms, failure rate %.2f (attempt %d)", interval.toMillis(), failureRate, ctx.attempt());
    while (!ctx.awaitStop(interval)) {
      if (ThreadLocalRandom.current().nextDouble() < failureRate) {
        log(NAME, "upstream timed out: failing (attempt %d)", ctx.attempt());
        throw new IOException("upstream timed out (simulated, failure rate " + failureRate + ")");
      }
      ConcurrentMap<String, String> store = state.openedStore();
      store.merge("poller.polls", "1", (old, one) -> String.valueOf(Long.parseLong(old) + 1));
    }
  }
}
