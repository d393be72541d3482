package dev.supervisor.demo;

import static dev.supervisor.demo.DemoLog.log;

import dev.supervisor.api.Readiness;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.annotations.SupervisedService;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code demo.store}: an in-memory key/value store, seeded from the {@code store.seed.*} settings. It
 * needs {@code demo.config}; it is ready once open, and it is emptied when it stops (it is in memory).
 */
@Component(service = Supervised.class)
@SupervisedService(name = StoreWorker.NAME, dependsOn = ConfigWorker.NAME, readiness = Readiness.EXPLICIT)
public class StoreWorker implements Supervised {
  static final String NAME = "demo.store";
  private static final String SEED_PREFIX = "store.seed.";

  @Reference
  private DemoState state;

  @Override
  public void run(RunContext ctx) throws Exception {
    Map<String, String> seed = new TreeMap<>();
    state.settings().forEach((key, value) -> {
      if (key.startsWith(SEED_PREFIX)) {
        seed.put(key.substring(SEED_PREFIX.length()), value);
      }
    });
    ConcurrentMap<String, String> store = state.openStore(seed);
    try {
      log(NAME, "open with %d keys (attempt %d)", store.size(), ctx.attempt());
      ctx.ready();
      ctx.awaitStop();
    } finally {
      state.closeStore();
      log(NAME, "closed with %d keys", store.size());
    }
  }
}
