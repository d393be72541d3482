package dev.supervisor.demo;

import static dev.supervisor.demo.DemoLog.log;

import dev.supervisor.api.RestartPolicy;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.annotations.SupervisedService;
import java.time.Duration;
import java.util.concurrent.ConcurrentMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code demo.job}: a one-shot import that writes {@code job.records} records into the store and returns.
 * Restart policy {@code ON_FAILURE}: returning normally ends it, so it stays {@code STOPPED} (start it
 * again by hand, over JMX or the API, to re-run it).
 */
@Component(service = Supervised.class)
@SupervisedService(name = JobWorker.NAME, dependsOn = StoreWorker.NAME, restart = RestartPolicy.ON_FAILURE)
public class JobWorker implements Supervised {
  static final String NAME = "demo.job";
  private static final Duration PER_RECORD = Duration.ofMillis(300);

  @Reference
  private DemoState state;

  @Override
  public void run(RunContext ctx) throws Exception {
    int records = Integer.parseInt(state.setting("job.records", "5"));
    long started = System.nanoTime();
    log(NAME, "importing %d records (attempt %d)", records, ctx.attempt());
    for (int i = 1; i <= records; i++) {
      if (ctx.awaitStop(PER_RECORD)) { // stands for the real work, and answers a stop at once
        log(NAME, "stop requested after %d of %d records", i - 1, records);
        return;
      }
      ConcurrentMap<String, String> store = state.openedStore();
      store.put("job.record." + i, "imported");
      store.put("job.imported", String.valueOf(i));
    }
    log(NAME, "done: %d records in %d ms; returning, so it ends STOPPED", records,
        (System.nanoTime() - started) / 1_000_000);
  }
}
