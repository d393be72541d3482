package dev.supervisor.bench;

import dev.supervisor.bench.Storm.Load;
import dev.supervisor.bench.Storm.Result;
import dev.supervisor.bench.Storm.Second;
import dev.supervisor.bench.bundle.storm.StormActivator;
import dev.supervisor.bench.bundle.storm.StormListener;
import dev.supervisor.bench.bundle.storm.StormWorker;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.jar.Manifest;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * The crash storm as production runs it: in a real Felix with SCR, Event Admin, the supervisor and its JMX
 * bundle (one MXBean per worker, an AttributeChangeNotification per state change), the 1,000 workers
 * registered as whiteboard services by a bundle that also registers a {@code SupervisorListener}; every
 * status update goes to that listener, to the JMX bundle's and to Event Admin. While it runs, a prober reads
 * a service MBean's {@code State} attribute through the platform MBeanServer every millisecond.
 */
final class FelixStorm implements AutoCloseable {
  private static final String[] BUNDLES = {"org.osgi.util.function-", "org.osgi.util.promise-",
      "org.osgi.service.component-", "org.apache.felix.scr-", "org.apache.felix.eventadmin-", "supervisor.api-",
      "supervisor.impl-", "supervisor.jmx-"};

  private final Framework framework;
  private final BundleContext system;
  private final Path stormJar;
  private final long[][] samples;
  private final int capacity;

  /** What one storm in Felix showed beside the engine's figures. */
  record Outcome(Result result, long jmxP50, long jmxP99, int jmxCalls, long stopNanos, boolean eventAdmin) {}

  FelixStorm(Duration length, Duration shortestPeriod) throws Exception {
    Path work = Report.work().resolve("felix-storm");
    Files.createDirectories(work);
    capacity = (int) Math.max(256, 3 * length.toNanos() / shortestPeriod.toNanos()) + 64;
    samples = new long[Storm.WORKERS][];
    stormJar = stormBundle(work.resolve("bench.storm.jar"));
    Map<String, String> config = new HashMap<>();
    config.put(Constants.FRAMEWORK_STORAGE, work.resolve("cache").toString());
    config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    config.put("bench.storm.workers", String.valueOf(Storm.WORKERS));
    config.put("ds.loglevel", "warn");
    framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
    framework.start();
    system = framework.getBundleContext();
    List<Bundle> installed = new ArrayList<>();
    for (String prefix : BUNDLES) {
      installed.add(system.installBundle(FelixStart.jarOnClassPath(prefix).toUri().toString()));
    }
    if (!framework.adapt(FrameworkWiring.class).resolveBundles(null)) {
      throw new IllegalStateException("not every bundle resolves");
    }
    for (Bundle bundle : installed) {
      bundle.start();
    }
    IntFunction<long[]> arrays = i -> samples[i];
    system.registerService(IntFunction.class, arrays, new Hashtable<>(Map.of("bench", "storm-samples")));
  }

  /** One storm: installs the storm bundle with the given period, lets it rage, then stops it (timed). */
  Outcome run(Load load, Duration length) throws Exception {
    for (int i = 0; i < samples.length; i++) {
      samples[i] = new long[2 + 2 * capacity];
    }
    System.setProperty("bench.storm.periodMillis", String.valueOf(load.period().toMillis()));
    Bundle storm = system.installBundle("storm-" + load.period().toMillis() + "-" + System.nanoTime(),
        Files.newInputStream(stormJar));
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName probe = new ObjectName("dev.supervisor:type=Service,name=w0500");
    Report.settle();
    long origin = System.nanoTime();
    storm.start();
    for (int i = 0; i < 10_000 && !server.isRegistered(probe); i++) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    Thread control = null;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("supervisor-control")) {
        control = thread;
      }
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    LockSupport.parkNanos(Storm.WARM_UP.toNanos());
    long begin = System.nanoTime();
    long bytesBefore = Profile.allocated(RestartLatency::isSupervisorThread);
    long cpuBefore = Profile.cpu(RestartLatency::isSupervisorThread);
    long runsBefore = runs();
    int seconds = (int) length.toSeconds();
    Second[] perSecond = new Second[seconds];
    long[] jmx = new long[200_000];
    int jmxCalls = 0;
    for (int s = 0; s < seconds; s++) {
      long cpuAt = threads.getThreadCpuTime(control.getId());
      long secondEnds = begin + TimeUnit.SECONDS.toNanos(s + 1);
      while (System.nanoTime() < secondEnds) {
        long t = System.nanoTime();
        server.getAttribute(probe, "State");
        if (jmxCalls < jmx.length) {
          jmx[jmxCalls++] = System.nanoTime() - t;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      perSecond[s] = new Second((threads.getThreadCpuTime(control.getId()) - cpuAt) / 1e9, -1);
    }
    long bytes = Profile.allocated(RestartLatency::isSupervisorThread) - bytesBefore;
    long cpu = Profile.cpu(RestartLatency::isSupervisorThread) - cpuBefore;
    long restarts = runs() - runsBefore;
    long end = System.nanoTime();
    long stopping = System.nanoTime();
    storm.stop();
    long stopNanos = System.nanoTime() - stopping;
    storm.uninstall();
    Result result = new Result(load, perSecond, restarts, Duration.ofNanos(end - begin), bytes, cpu, null, 0, 0);
    List<Storm.Samples> workers = new ArrayList<>();
    for (long[] array : samples) {
      workers.add(new ArraySamples(array, origin));
    }
    result.latencies(workers, begin - origin);
    boolean eventAdmin = framework.getBundleContext().getServiceReference("org.osgi.service.event.EventAdmin") != null;
    System.out.printf("felix storm %s: %,.0f restarts/s, p50 %.0f µs, p99 %.0f µs, control %.0f%%, JMX read p99 "
            + "%.0f µs, stop %.0f ms (load %s)%n", load.describe(), result.perSecond(), result.p50 / 1e3,
        result.p99 / 1e3, result.controlCpu() * 100, Stats.percentile(jmx.clone(), jmxCalls, 0.99) / 1e3,
        stopNanos / 1e6, Report.load());
    return new Outcome(result, Stats.percentile(jmx, jmxCalls, 0.50), Stats.percentile(jmx, jmxCalls, 0.99),
        jmxCalls, stopNanos, eventAdmin);
  }

  private long runs() {
    long sum = 0;
    for (long[] array : samples) {
      sum += array[0];
    }
    return sum;
  }

  @Override
  public void close() throws Exception {
    framework.stop();
    framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
  }

  /** A worker's array as {@link Storm.Samples}: times relative to the harness's origin. */
  private record ArraySamples(long[] array, long origin) implements Storm.Samples {
    @Override public int count() { return (int) array[1]; }

    @Override public long at(int i) { return array[2 + 2 * i] - origin; }

    @Override public long latency(int i) { return array[3 + 2 * i]; }
  }

  private static Path stormBundle(Path jar) throws Exception {
    Manifest manifest = FelixStart.manifest("bench.storm");
    manifest.getMainAttributes().putValue(Constants.BUNDLE_ACTIVATOR, StormActivator.class.getName());
    manifest.getMainAttributes().putValue(Constants.IMPORT_PACKAGE, "dev.supervisor.api, org.osgi.framework");
    return FelixStart.write(jar, manifest, Map.of(), StormActivator.class, StormWorker.class, StormListener.class);
  }
}
