package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.BootReport;
import dev.supervisor.api.MissingDependency;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code awaitStarted} on a real engine, with its threads: the wait wakes on updates, ends when start-up
 * has settled, returns an unsettled report when the time is up, and ends on interrupt; an overdue
 * dependency reaches listeners and the log. Virtual time decides the grace; the waits themselves are real.
 */
class AwaitStartedTest {
  private final VirtualScheduler clock = new VirtualScheduler();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final Engine engine = TestThreads.engine(clock, Jitter.NONE, new EngineLog() {
    @Override public void info(String message) {}

    @Override public void warn(String message, Throwable error) { warnings.add(message); }

    @Override public void error(String message, Throwable error) {}
  });

  @AfterEach
  void close() {
    engine.close();
    assertEquals(0, clock.pendingTimers(), "every grace timer was cancelled or fired");
  }

  @Test
  void theWaitEndsOnceAServiceThatWasStartingIsReadyAndTheReportSaysHowLongItTook() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    engine.add(ServiceSpec.builder("db").readiness(Readiness.EXPLICIT).build(), ctx -> {
      ready.await();
      ctx.ready();
      ctx.awaitStop();
    });
    engine.add(ServiceSpec.builder("api").dependsOn("db").build(), ctx -> ctx.awaitStop());
    CompletableFuture<BootReport> report = CompletableFuture.supplyAsync(() -> {
      try {
        return engine.awaitStarted(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    engine.sync();
    assertFalse(report.isDone(), "db is STARTING: not settled");
    ready.countDown();
    BootReport settled = report.get(30, TimeUnit.SECONDS);
    assertTrue(settled.allRunning(), settled.toString());
    assertEquals(List.of("api", "db"), settled.services().stream().map(BootReport.Line::name).toList());
    assertTrue(settled.services().get(1).timeToReady().isPresent());
    assertTrue(settled.toString().contains("2 of 2 services RUNNING"), settled.toString());
  }

  @Test
  void whenTheTimeIsUpTheReportSaysItDidNotSettleAndWhatIsStillStarting() throws Exception {
    engine.add(ServiceSpec.builder("slow").readiness(Readiness.EXPLICIT).build(), ctx -> ctx.awaitStop());
    BootReport report = engine.awaitStarted(Duration.ZERO);
    assertFalse(report.settled());
    BootReport.Line slow = report.services().get(0);
    assertEquals(State.STARTING, slow.state());
    assertEquals("starting: not ready yet", slow.why().orElseThrow());
  }

  @Test
  void anInterruptEndsTheWaitAndNothingElse() throws Exception {
    engine.add(ServiceSpec.builder("slow").readiness(Readiness.EXPLICIT).build(), ctx -> ctx.awaitStop());
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> engine.awaitStarted(Duration.ofMinutes(1)));
    assertEquals(State.STARTING, engine.info("slow").orElseThrow().state());
    assertThrows(SupervisorException.class, () -> engine.awaitStarted(null));
  }

  @Test
  void anOverdueDependencyIsToldToListenersAndLoggedOnceWithTheClosestName() throws Exception {
    List<MissingDependency> told = new CopyOnWriteArrayList<>();
    CountDownLatch heard = new CountDownLatch(1);
    engine.addListener(new SupervisorListener() {
      @Override public void statusChanged(StatusUpdate update) {}

      @Override
      public void dependencyMissing(MissingDependency missing) {
        told.add(missing);
        heard.countDown();
      }
    });
    engine.add(ServiceSpec.builder("orders").build(), ctx -> ctx.awaitStop());
    engine.add(ServiceSpec.builder("billing").dependsOn("odrers-db", "orders").build(), ctx -> ctx.awaitStop());
    engine.add(ServiceSpec.builder("orders-db").build(), ctx -> ctx.awaitStop());
    clock.advance(Duration.ofSeconds(30));
    assertTrue(heard.await(30, TimeUnit.SECONDS), "told " + told + ", log " + warnings);
    clock.advance(Duration.ofMinutes(5));
    engine.sync();
    assertEquals(1, told.size(), "said once: " + told);
    MissingDependency missing = told.get(0);
    assertEquals("billing", missing.service());
    assertEquals("odrers-db", missing.dependency());
    assertEquals("orders-db", missing.closestName().orElseThrow());
    assertEquals(1, warnings.stream().filter(line -> line.contains("did you mean 'orders-db'?")).count(), warnings.toString());
    assertEquals(List.of("odrers-db"), engine.info("billing").orElseThrow().overdueDependencies());
    BootReport report = engine.awaitStarted(Duration.ofSeconds(30));
    assertTrue(report.settled(), report.toString());
    assertFalse(report.allRunning());
  }
}
