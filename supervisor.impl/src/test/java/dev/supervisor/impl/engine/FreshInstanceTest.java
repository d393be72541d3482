package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.FailureKind;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code add(spec, factory)}: a fresh instance per run, its run and stop called at most once, closed after its
 * run; a factory that throws or returns null fails the start with a clear message and is backed off.
 */
class FreshInstanceTest {
  private final VirtualScheduler clock = new VirtualScheduler();
  private final Engine engine = TestThreads.engine(clock, Jitter.NONE, EngineLog.QUIET);
  private final List<Instance> made = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    engine.close();
  }

  /** Counts its runs, stops and closes. */
  final class Instance implements Supervised, AutoCloseable {
    final AtomicInteger runs = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();

    Instance() {
      made.add(this);
    }

    @Override
    public void run(RunContext ctx) throws InterruptedException {
      runs.incrementAndGet();
      ctx.awaitStop();
    }

    @Override public void stop() { stops.incrementAndGet(); }

    @Override public void close() { closes.incrementAndGet(); }
  }

  /**
   * Waits until the {@code n}th instance is inside its run: RUNNING comes as the run is entered, and a stop
   * asked before {@code run} is called skips it (the run then never happens, rightly).
   */
  private void awaitInside(int n) {
    until(() -> made.size() >= n && made.get(n - 1).runs.get() == 1);
    assertEquals(1, made.get(n - 1).runs.get(), "instance " + n + " entered run");
  }

  /** Waits for what other threads do; the deadline is a failsafe against a hang, not a timing assertion. */
  private static void until(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  private ServiceInfo await(String name, State state) {
    until(() -> engine.info(name).orElseThrow().state() == state);
    return engine.info(name).orElseThrow();
  }

  @Test
  void eachRunGetsANewInstanceThatIsStoppedOnceAndClosedAfterItsRun() {
    engine.add(ServiceSpec.builder("session").build(), Instance::new);
    awaitInside(1);
    engine.restart("session");
    awaitInside(2);
    engine.stop("session");
    await("session", State.STOPPED);
    engine.sync();
    assertEquals(2, made.size(), "one instance per run");
    assertNotSame(made.get(0), made.get(1));
    for (Instance instance : made) {
      assertEquals(1, instance.runs.get());
      assertEquals(1, instance.stops.get());
      until(() -> instance.closes.get() == 1); // closed on the run thread right after run returns
      assertEquals(1, instance.closes.get());
    }
  }

  @Test
  void aFactoryThatReturnsNullFailsTheStartWithAMessageAndIsBackedOff() {
    engine.add(ServiceSpec.builder("broken").jitter(0).restartDelay(Duration.ofSeconds(1)).build(), () -> null);
    ServiceInfo backoff = await("broken", State.BACKOFF);
    assertEquals(FailureKind.PANIC, backoff.lastFailure().orElseThrow().kind());
    assertTrue(backoff.lastFailure().orElseThrow().message().contains("service 'broken': its worker factory returned null"),
        backoff.lastFailure().orElseThrow().message());
    assertEquals(1, backoff.failureCount());
    clock.advance(Duration.ofSeconds(1));
    ServiceInfo again = await("broken", State.BACKOFF);
    until(() -> engine.info("broken").orElseThrow().failureCount() == 2);
    assertEquals(2, engine.info("broken").orElseThrow().failureCount(), "counted again: " + again);
  }

  @Test
  void aFactoryThatThrowsFailsTheStartNamingTheService() {
    engine.add(ServiceSpec.builder("throws").build(), () -> {
      throw new IllegalStateException("no pool yet");
    });
    ServiceInfo backoff = await("throws", State.BACKOFF);
    String message = backoff.lastFailure().orElseThrow().message();
    assertTrue(message.contains("service 'throws': its worker factory threw") && message.contains("no pool yet"),
        message);
  }
}
