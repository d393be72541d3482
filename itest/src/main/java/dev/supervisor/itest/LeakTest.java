package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import dev.supervisor.itest.workers.QuietWorker;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.osgi.framework.Bundle;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * 10,000 register/unregister cycles of whiteboard workers leave nothing behind: live threads, the
 * supervisor's MBeans, the heap after garbage collection and the services the supervisor bundles hold all
 * return to their baseline.
 *
 * <p>Runs only in the framework of {@code leaks.bndrun} (framework property {@code supervisor.itest.leaks}),
 * a JVM started with {@code -Xmx64m}, where a leak of even a few hundred bytes per cycle runs the heap out
 * or shows in the figures; the main run ({@code itest.bndrun}) skips it.
 *
 * <p>A fair cycle: workers are registered in batches of {@value #BATCH}; every worker of a batch reaches
 * RUNNING (its run thread entered {@code run}, its MBean exists) before the batch is unregistered, which
 * stops each one synchronously.
 */
@EnabledIf("inTheLeakRun")
class LeakTest {

  static final String ENABLED = "supervisor.itest.leaks";
  /** Framework property: how many cycles (default 10,000), to look closer at a suspected leak. */
  static final String CYCLES_PROPERTY = "supervisor.itest.leaks.cycles";
  private static final int CYCLES = Integer.parseInt(String.valueOf(
      Objects.requireNonNullElse(Osgi.context().getProperty(CYCLES_PROPERTY), "10000")));
  private static final int WARM_UP = 1_000;
  private static final int BATCH = 100;
  private static final long MIB = 1024 * 1024;
  /**
   * Heap tolerance after full collections: 1 MiB, about 100 bytes per cycle. A genuine leak (a map entry,
   * a listener, a snapshot kept per registration) costs far more per cycle; the tolerance absorbs what is
   * not a leak: G1's region granularity (1 MiB regions with this heap) and objects that stay reachable only
   * for a moment (the Log Service's bounded history of recent entries, Event Admin's queue draining), and
   * one-off growth such as tables that grow to their working size. Measured here: +0.6 MB after 10,000
   * cycles and +0.5 MB after 40,000 (property {@value #CYCLES_PROPERTY}): it does not grow with the cycles.
   */
  private static final long HEAP_TOLERANCE = MIB;
  /**
   * Thread tolerance: the supervisor's pools keep idle threads for a while (run threads 30 s, listener
   * dispatch threads 10 s) and size themselves by the concurrency of the moment, so two measurements may
   * differ by a few; a leak of one thread per cycle (or per batch) would be thousands (or a hundred).
   */
  private static final int THREAD_TOLERANCE = 5;

  static boolean inTheLeakRun() {
    return Boolean.parseBoolean(Osgi.context().getProperty(ENABLED));
  }

  private int serial;

  @Test
  void tenThousandRegistrationsLeaveNothingBehind() throws Exception {
    long maxHeap = Runtime.getRuntime().maxMemory();
    assertTrue(maxHeap <= 64 * MIB, () -> "the leak run must have -Xmx64m; max heap is " + maxHeap / MIB + " MiB");
    try (Supervisors supervisors = new Supervisors()) {
      Supervisor supervisor = supervisors.get();
      supervisors.awaitRunning(StartupWorkers.all().toArray(String[]::new));

      long warmUpTime = cycles(supervisor, WARM_UP);
      Figures baseline = measure(supervisor);
      long time = cycles(supervisor, CYCLES);
      Figures after = measure(supervisor);

      System.out.printf("LeakTest: max heap %d MiB; %,d warm-up cycles took %d ms, %,d cycles took %d ms"
          + " (%.0f us per cycle)%n  baseline %s%n  after    %s%n", maxHeap / MIB, WARM_UP, warmUpTime / 1_000_000,
          CYCLES, time / 1_000_000, time / 1000.0 / CYCLES, baseline, after);

      assertEquals(baseline.entries, after.entries, "supervised services");
      assertEquals(baseline.workerServices, after.workerServices, "registered Supervised services");
      assertEquals(baseline.mbeans, after.mbeans, "MBeans in the dev.supervisor domain");
      assertEquals(baseline.servicesInUse, after.servicesInUse, "services in use by the supervisor bundles");
      assertTrue(after.threads <= baseline.threads + THREAD_TOLERANCE,
          () -> "live threads grew: " + baseline.threadsByKind + " -> " + after.threadsByKind);
      assertTrue(after.heap <= baseline.heap + HEAP_TOLERANCE, () -> String.format(
          "heap after GC grew by %,d bytes (%.0f bytes per cycle): %s -> %s", after.heap - baseline.heap,
          (after.heap - baseline.heap) / (double) CYCLES, baseline, after));
    }
  }

  /** Runs {@code count} cycles in batches; returns the time taken in nanoseconds. */
  private long cycles(Supervisor supervisor, int count) throws InterruptedException, TimeoutException {
    long start = System.nanoTime();
    List<ServiceRegistration<Supervised>> batch = new ArrayList<>(BATCH);
    List<String> names = new ArrayList<>(BATCH);
    for (int done = 0; done < count; done += BATCH) {
      for (int i = 0; i < BATCH; i++) {
        String name = "leak." + serial++;
        names.add(name);
        batch.add(Registrations.whiteboard(new QuietWorker(), Map.of(ServiceSpec.NAME, name)));
      }
      for (String name : names) {
        supervisor.awaitReady(name, Await.TIMEOUT);
      }
      // each unregistration stops its worker before it returns
      batch.forEach(ServiceRegistration::unregister);
      batch.clear();
      names.clear();
    }
    return System.nanoTime() - start;
  }

  /** What must return to its baseline. */
  private static final class Figures {
    int entries;
    int workerServices;
    int mbeans;
    int servicesInUse;
    int threads;
    Map<String, Integer> threadsByKind;
    long heap;

    @Override
    public String toString() {
      return String.format("heap %,d bytes, threads %d %s, MBeans %d, services in use %d, supervised %d,"
          + " Supervised services %d", heap, threads, threadsByKind, mbeans, servicesInUse, entries, workerServices);
    }
  }

  private static Figures measure(Supervisor supervisor) throws InvalidSyntaxException, InterruptedException {
    Figures figures = new Figures();
    // the last batch's MBeans and events go away asynchronously: wait until the domain is back to its size
    figures.entries = supervisor.services().size();
    ServiceReference<?>[] workers = Osgi.context().getServiceReferences(Supervised.class.getName(), null);
    figures.workerServices = workers == null ? 0 : workers.length;
    Await.until("no MBean of a leak.* service", () -> ManagementFactory.getPlatformMBeanServer()
        .queryNames(JmxClient.SERVICES, null).stream()
        .filter(name -> String.valueOf(JmxClient.serviceName(name)).startsWith("leak.")).count(), n -> n == 0L);
    figures.mbeans = ManagementFactory.getPlatformMBeanServer().queryNames(JmxClient.ALL, null).size();
    figures.servicesInUse = 0;
    for (String bsn : List.of(Osgi.IMPL_BUNDLE, "supervisor.jmx")) {
      Bundle bundle = Osgi.bundle(bsn);
      ServiceReference<?>[] inUse = bundle.getServicesInUse();
      figures.servicesInUse += inUse == null ? 0 : inUse.length;
    }
    figures.heap = heapAfterGc();
    figures.threadsByKind = new TreeMap<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      String name = thread.getName();
      String kind = name.startsWith("supervisor-run-") ? "supervisor-run"
          : name.startsWith("supervisor-worker-idle-") ? "supervisor-worker-idle"
          : name.startsWith("supervisor-dispatch-") ? "supervisor-dispatch"
          : name.startsWith("supervisor-") ? "supervisor-other" : "other";
      figures.threadsByKind.merge(kind, 1, Integer::sum);
    }
    figures.threads = ManagementFactory.getThreadMXBean().getThreadCount();
    return figures;
  }

  /** Used heap after full collections: the least of several, once two in a row agree within 64 KiB. */
  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    long previous = -1;
    for (int round = 0; round < 10; round++) {
      System.gc();
      Thread.sleep(Duration.ofMillis(100).toMillis());
      long used = memory.getHeapMemoryUsage().getUsed();
      least = Math.min(least, used);
      if (round >= 3 && Math.abs(used - previous) < 64 * 1024) {
        break;
      }
      previous = used;
    }
    return least;
  }
}
