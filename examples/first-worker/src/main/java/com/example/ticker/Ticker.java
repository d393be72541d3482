package com.example.ticker;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.annotations.SupervisedService;
import java.time.Duration;
import org.osgi.service.component.annotations.Component;

/** Prints a tick every second until the supervisor stops it; restarted after a failure. */
@Component(service = Supervised.class)
@SupervisedService(name = "example.ticker", restartDelay = "PT1S")
public class Ticker implements Supervised {
  @Override
  public void run(RunContext ctx) throws InterruptedException {
    long ticks = 0;
    while (!ctx.awaitStop(Duration.ofSeconds(1))) {
      System.out.println("[example.ticker] tick " + ++ticks);
    }
  }
}
