package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorGroup;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.itest.chaos.ChaosProbe;
import dev.supervisor.itest.chaos.worker.ChaosActivator;
import dev.supervisor.itest.workers.StartupWorkers;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Issue 7: seeded, bounded chaos in a real Felix with SCR, Config Admin, Event Admin and the Log Service.
 *
 * <p><b>Set-up, all from one seed.</b> 200 workers in a random dependency DAG (a worker depends only on
 * lower-numbered ones) spread over the root group and six groups ({@code chaos/a}, its child
 * {@code chaos/a/deep} with a hard limit, {@code chaos/b} ONE_FOR_ALL with its REST_FOR_ONE child
 * {@code chaos/b/inner} with a hard limit, {@code chaos/c} REST_FOR_ONE with its ONE_FOR_ALL child
 * {@code chaos/c/inner} with a hard limit; decayed-intensity pauses on the middle level), registered as
 * whiteboard services (a quarter prototype-scoped) by five bundles generated here ({@link ChaosPlan#jar}).
 *
 * <p><b>Faults</b>, every choice from the seeded random sources: runs throw Exceptions and Errors, return
 * early, throw DoNotRestartException, ignore their stop request and the interrupt for a bounded while (so
 * the short stop timeouts, 150-400 ms, abandon them; they all end within 1.5 s after that), have
 * {@code stop()} throw, are ready late or never (readiness EXPLICIT, ready timeouts 300-800 ms); the
 * bundles are stopped and started and updated with a regenerated jar; four threads call {@code start},
 * {@code stop}, {@code restart}, {@code reset} on service MBeans, and now and then {@code stopAll} then
 * {@code startAll} on the supervisor MBean, through a remote JMX connector; two more listeners are slow or
 * throw.
 *
 * <p><b>Invariants</b> (each violation names the invariant, the service and the seed; the test carries on
 * and fails at the end with all of them):
 * <ul>
 *   <li>LIVE_RUNS: never two live {@code run} calls for one name at once, counted inside the workers across
 *       bundle revisions (a run abandoned after its stop timeout is live until it returns);
 *       PROTOTYPE_ONCE: a prototype instance is run at most once and stopped at most once.
 *   <li>From the status stream ({@link ChaosMonitor}, which documents why the cross-service order one
 *       listener sees is the engine's order): SEQUENCE, ENTER_RUNNING, DEPENDENTS_FIRST, STOP_ORDER,
 *       REJECTED. What the engine guarantees, read from {@code Supervision}: a service is launched only when
 *       every dependency is RUNNING with no stop pending, and becomes RUNNING only if no stop was marked on
 *       it meanwhile; any way a dependency leaves RUNNING marks its live dependents first (a crash through
 *       {@code stopDependents}, a stop or removal through {@code requestStop}); a stop begins
 *       ({@code beginStop}, STOPPING) only when no dependent has a live run. So a RUNNING dependent of a
 *       dependency that is already BACKOFF is allowed (a crash is noticed after the fact), but "no service
 *       enters RUNNING while a dependency is not RUNNING", "no service enters STOPPING while a dependent is
 *       live", and "a dependency that left RUNNING is RUNNING again only after its dependents went" are
 *       what DESIGN.md promises ("its running dependents are stopped first ... and started again once it
 *       is RUNNING again", OTP rest_for_one).
 *   <li>INTERNAL: the supervisor logs no internal error (an illegal transition is an AssertionError the
 *       control loop catches and logs).
 *   <li>JMX: every refused operation reaches the client as a JDK exception.
 *   <li>At the end, faults off: LIVENESS, every chaos service RUNNING again (after reset and start) within
 *       60 s; then the five bundles stopped: no live run left, no prototype instance still held when a
 *       bundle's activator stops (the supervisor gave each back after its run, before the framework
 *       unregisters anything), no MBean of a chaos service, no chaos service in use by the supervisor's
 *       bundles; then supervisor.impl stopped: no thread whose name starts with "supervisor" alive. impl
 *       is started again (and the worker bundle's startup workers awaited) for the tests after this one.
 * </ul>
 *
 * <p><b>Soak</b>: {@code mvn -B verify -pl itest -Dchaos.seed=42 -Dchaos.duration=1800} (seconds of chaos;
 * default {@value #DEFAULT_SECONDS}; seed default {@value #DEFAULT_SEED}). itest.bndrun passes both as
 * framework properties and lengthens its -runtimeout by the duration.
 */
class ChaosTest {

  static final long DEFAULT_SEED = 20261122L;
  static final long DEFAULT_SECONDS = 120;
  private static final int WORKERS = 200;
  private static final int BUNDLES = 5;
  private static final int JMX_THREADS = 4;
  private static final String[] OPERATIONS = {"start", "start", "start", "restart", "restart", "stop", "stop",
      "reset", "reset"};

  private final List<Runnable> cleanups = new ArrayList<>();
  private volatile boolean chaosOver;

  @Test
  void chaos() throws Exception {
    long seed = longProperty("chaos.seed", DEFAULT_SEED);
    long seconds = longProperty("chaos.duration", DEFAULT_SECONDS);
    String reproduce = "-Dchaos.seed=" + seed + " -Dchaos.duration=" + seconds;
    ChaosPlan plan = new ChaosPlan(seed, WORKERS, BUNDLES);
    ChaosProbe.reset();
    BundleContext context = Osgi.context();
    long began = System.nanoTime();
    List<Bundle> bundles = new ArrayList<>();
    ChaosMonitor monitor = new ChaosMonitor(plan);
    Supervisors supervisors = new Supervisors();
    JmxClient jmx = new JmxClient();
    long chaosMillis = 0;
    try {
      Supervisor supervisor = supervisors.get();
      configureGroups(context, supervisor);
      registerListeners(context, monitor, seed);
      watchTheLog(context);
      ChaosProbe.install(String.valueOf(seed), plan::runPlan);

      for (int b = 0; b < BUNDLES; b++) {
        Bundle bundle = context.installBundle("chaos:" + ChaosPlan.bundleName(b), new ByteArrayInputStream(plan.jar(b, 0)));
        bundles.add(bundle);
        cleanups.add(() -> uninstallQuietly(bundle));
        bundle.start();
      }

      // ---------------------------------------------------------- chaos
      long chaosStart = System.nanoTime();
      long deadline = chaosStart + TimeUnit.SECONDS.toNanos(seconds);
      List<Thread> threads = new ArrayList<>();
      List<Throwable> crashed = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < JMX_THREADS; t++) {
        int index = t;
        threads.add(chaosThread("chaos-jmx-" + t, crashed, () -> jmxChaos(jmx.connection(), plan,
            new Random(seed + 101 + index), index == 0, deadline)));
      }
      int[] generations = new int[BUNDLES];
      threads.add(chaosThread("chaos-bundles", crashed, () -> bundleChaos(bundles, plan, generations,
          new Random(seed + 7), deadline)));
      threads.forEach(Thread::start);
      for (Thread thread : threads) {
        thread.join(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 60_000);
        assertTrue(!thread.isAlive(), () -> thread.getName() + " did not end 60 s after the chaos; seed " + seed
            + "\n" + stackOf(thread));
      }
      chaosOver = true;
      chaosMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - chaosStart);
      String groupsAfterChaos = supervisors.get().groups().stream().filter(g -> g.path().startsWith("chaos"))
          .map(g -> g.path() + " " + g.state() + ", escalations " + g.escalations() + ", decayed failures "
              + String.format(Locale.ROOT, "%.1f", g.failureCount()))
          .collect(Collectors.joining("; "));
      assertEquals(List.of(), crashed, () -> "a chaos thread failed; seed " + seed);

      // ---------------------------------------------------------- calm: every service comes back
      ChaosProbe.calm();
      for (Bundle bundle : bundles) {
        if (bundle.getState() != Bundle.ACTIVE) {
          bundle.start();
        }
      }
      awaitAllRunning(supervisors, plan, seed);
      Map<String, Long> countsAtCalm = ChaosProbe.counts();

      // ---------------------------------------------------------- teardown checks
      for (Bundle bundle : bundles) {
        bundle.stop();
        String held = ChaosProbe.heldAtLastStop(bundle.getSymbolicName());
        if (held == null || !held.isEmpty()) {
          ChaosProbe.violation("RELEASED", "when " + bundle.getSymbolicName() + " stopped, after the supervisor had "
              + "removed its workers (no run abandoned any more), prototype instances were still held: " + held);
        }
      }
      Await.until("every chaos run returned (seed " + seed + ")", ChaosProbe::liveRuns, Map::isEmpty);
      Await.until("no MBean of a chaos service (seed " + seed + ")", () -> chaosMBeans(jmx), Set::isEmpty);
      for (String bsn : List.of(Osgi.IMPL_BUNDLE, "supervisor.jmx")) {
        ServiceReference<?>[] inUse = Osgi.bundle(bsn).getServicesInUse();
        List<String> held = Arrays.stream(inUse == null ? new ServiceReference<?>[0] : inUse)
            .filter(r -> r.getProperty(ChaosActivator.MARKER) != null)
            .map(r -> r.getProperty("supervisor.name") + " of " + r.getProperty(ChaosActivator.MARKER))
            .collect(Collectors.toList());
        if (!held.isEmpty()) {
          ChaosProbe.violation("RELEASED", bsn + " still uses chaos services after their bundles stopped: " + held);
        }
      }
      unregisterAll();

      Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
      impl.stop();
      try {
        Await.until("no supervisor thread alive after supervisor.impl stopped (seed " + seed + ")",
            ChaosTest::supervisorThreads, Set::isEmpty);
      } finally {
        impl.start();
      }
      supervisors.awaitRunning(StartupWorkers.all().toArray(String[]::new));

      // ---------------------------------------------------------- summary and verdict
      Map<String, Long> counts = ChaosProbe.counts();
      List<String> violations = ChaosProbe.violations();
      String summary = summary(seed, chaosMillis, began, counts, countsAtCalm, monitor, generations, groupsAfterChaos,
          violations);
      System.out.println(summary);
      if (!violations.isEmpty()) {
        StringBuilder message = new StringBuilder("chaos seed " + seed + ": " + violations.size()
            + " invariant violation(s); reproduce with " + reproduce + "\n");
        counts.forEach((k, v) -> {
          if (k.startsWith("violation ")) {
            message.append("  ").append(k).append(": ").append(v).append('\n');
          }
        });
        violations.stream().limit(15).forEach(v -> message.append("  ").append(v).append('\n'));
        monitor.excerpts().forEach((k, v) -> message.append("first ").append(k).append(": ").append(v).append('\n'));
        fail(message.toString());
      }
      assertTrue(monitor.updates() > 1000, () -> "too little happened to prove anything: " + monitor.summary());
    } finally {
      chaosOver = true;
      ChaosProbe.calm();
      for (int i = cleanups.size() - 1; i >= 0; i--) {
        try {
          cleanups.get(i).run();
        } catch (RuntimeException e) {
          e.printStackTrace();
        }
      }
      Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
      if (impl.getState() != Bundle.ACTIVE) {
        impl.start();
      }
      jmx.close();
      supervisors.close();
    }
  }

  // ---------------------------------------------------------------- set-up

  private void configureGroups(BundleContext context, Supervisor supervisor) {
    for (Map.Entry<String, Map<String, Object>> group : ChaosPlan.GROUPS.entrySet()) {
      Hashtable<String, Object> properties = new Hashtable<>(group.getValue());
      properties.put(GroupSpec.PATH, group.getKey());
      ServiceRegistration<SupervisorGroup> registration =
          context.registerService(SupervisorGroup.class, new SupervisorGroup() {}, properties);
      cleanups.add(() -> unregisterQuietly(registration));
    }
    for (String path : ChaosPlan.GROUPS.keySet()) {
      Await.until("group " + path + " configured", () -> supervisor.group(path).map(GroupInfo::spec),
          spec -> spec.isPresent() && !spec.get().equals(GroupSpec.builder(path).build()));
    }
  }

  /**
   * The recording monitor, a slow listener and a throwing one. The monitor must be bound before the first
   * chaos service registers, or it would miss first updates: SCR binds dynamic references as the service
   * registers, and the impl bundle then uses the service.
   */
  private void registerListeners(BundleContext context, ChaosMonitor monitor, long seed) {
    ServiceRegistration<SupervisorListener> recording = context.registerService(SupervisorListener.class, monitor,
        null);
    cleanups.add(() -> unregisterQuietly(recording));
    Random random = new Random(seed + 3);
    SupervisorListener slow = new SupervisorListener() {
      @Override
      public void statusChanged(StatusUpdate update) {
        try {
          int r;
          synchronized (random) {
            r = random.nextInt(400);
          }
          Thread.sleep(r == 0 ? 50 : r % 4);
          ChaosProbe.count("listener: slow deliveries");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    SupervisorListener throwing = new SupervisorListener() {
      private long calls;

      @Override
      public void statusChanged(StatusUpdate update) {
        calls++;
        if (calls % 5 == 0) {
          ChaosProbe.count("listener: thrown");
          if (calls % 25 == 0) {
            throw new ChaosListenerError("chaos listener Error on " + update);
          }
          throw new IllegalStateException("chaos listener throws on " + update);
        }
      }
    };
    for (SupervisorListener listener : List.of(slow, throwing)) {
      ServiceRegistration<SupervisorListener> registration =
          context.registerService(SupervisorListener.class, listener, null);
      cleanups.add(() -> unregisterQuietly(registration));
    }
    Bundle impl = Osgi.bundle(Osgi.IMPL_BUNDLE);
    Await.until("the monitor listener bound by supervisor.impl", () -> recording.getReference().getUsingBundles(),
        using -> using != null && Arrays.asList(using).contains(impl), Arrays::toString);
  }

  /** INTERNAL: an error the control loop caught (a bug in a transition) is logged; it must never be. */
  private void watchTheLog(BundleContext context) {
    ServiceTracker<LogReaderService, LogReaderService> tracker = new ServiceTracker<>(context,
        LogReaderService.class, null);
    tracker.open();
    LogReaderService reader = tracker.getService();
    if (reader == null) {
      tracker.close();
      return;
    }
    LogListener listener = (LogEntry entry) -> {
      if (entry.getBundle() == null || !Osgi.IMPL_BUNDLE.equals(entry.getBundle().getSymbolicName())) {
        return;
      }
      String message = String.valueOf(entry.getMessage());
      if (entry.getLogLevel() == LogLevel.ERROR) {
        ChaosProbe.count("log: supervisor errors");
      }
      if (message.contains("internal error") || message.contains("illegal transition")) {
        Throwable error = entry.getException();
        ChaosProbe.violation("INTERNAL", message + (error == null ? "" : ": " + error));
      }
    };
    reader.addLogListener(listener);
    cleanups.add(() -> {
      reader.removeLogListener(listener);
      tracker.close();
    });
  }

  // ---------------------------------------------------------------- chaos threads

  private Thread chaosThread(String name, List<Throwable> crashed, ThrowingRunnable body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        crashed.add(e);
        e.printStackTrace();
      }
    }, name);
    thread.setDaemon(true);
    return thread;
  }

  /** Operations on random service MBeans; the first thread now and then stops all, then starts all. */
  private void jmxChaos(MBeanServerConnection connection, ChaosPlan plan, Random random, boolean stopsAll,
      long deadline) throws Exception {
    List<String> names = plan.names();
    while (System.nanoTime() < deadline && !chaosOver) {
      Thread.sleep(20 + random.nextInt(100));
      if (stopsAll && random.nextInt(400) == 0) {
        invoke(connection, JmxClient.SUPERVISOR, "stopAll", "stopAll");
        Thread.sleep(500 + random.nextInt(1500));
        invoke(connection, JmxClient.SUPERVISOR, "startAll", "startAll");
        continue;
      }
      String name = names.get(random.nextInt(names.size()));
      String operation = OPERATIONS[random.nextInt(OPERATIONS.length)];
      invoke(connection, JmxClient.name(JmxClient.DOMAIN + ":type=Service,name=" + name), operation, name);
    }
  }

  private static void invoke(MBeanServerConnection connection, ObjectName mbean, String operation, String what) {
    try {
      connection.invoke(mbean, operation, new Object[0], new String[0]);
      ChaosProbe.count("jmx " + operation);
    } catch (InstanceNotFoundException gone) {
      ChaosProbe.count("jmx " + operation + ": no MBean (service gone with its bundle)");
    } catch (RuntimeMBeanException refused) {
      Throwable cause = refused.getCause();
      if (cause == null || !cause.getClass().getName().startsWith("java.")) {
        ChaosProbe.violation("JMX", operation + " on '" + what + "' failed with a non-JDK exception: " + refused
            + " caused by " + cause);
      } else {
        ChaosProbe.count("jmx " + operation + ": refused (" + cause.getClass().getSimpleName() + ")");
      }
    } catch (Exception other) {
      ChaosProbe.violation("JMX", operation + " on '" + what + "' failed unexpectedly: " + other);
    }
  }

  /** Every 1.5 to 5 s one bundle is stopped (then started again) or updated with a regenerated jar. */
  private void bundleChaos(List<Bundle> bundles, ChaosPlan plan, int[] generations, Random random, long deadline)
      throws Exception {
    while (true) {
      long pause = 1500 + random.nextInt(3500);
      if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause) > deadline || chaosOver) {
        return;
      }
      Thread.sleep(pause);
      int b = random.nextInt(bundles.size());
      Bundle bundle = bundles.get(b);
      if (random.nextBoolean()) {
        bundle.stop();
        ChaosProbe.count("bundle stopped and started");
        Thread.sleep(300 + random.nextInt(2700));
        bundle.start();
      } else {
        generations[b]++;
        bundle.update(new ByteArrayInputStream(plan.jar(b, generations[b])));
        ChaosProbe.count("bundle updated");
      }
    }
  }

  // ---------------------------------------------------------------- the end

  /** LIVENESS: with the faults off, reset and start whatever rests, until every chaos service is RUNNING. */
  private static void awaitAllRunning(Supervisors supervisors, ChaosPlan plan, long seed) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Supervisor supervisor = supervisors.get();
      for (String path : ChaosPlan.GROUPS.keySet()) {
        if (supervisor.group(path).map(g -> g.state() != State.RUNNING)
            .orElse(false)) {
          supervisor.resetGroup(path);
        }
      }
      // Every service, every round: one that was RUNNING may rest again (a run that began during the faults
      // can still end early, a dependency's restart stops its dependents), and whatever waits on it with it.
      List<String> notRunning = new ArrayList<>();
      for (String name : plan.names()) {
        Optional<ServiceInfo> info = supervisor.info(name);
        State state = info.map(ServiceInfo::state).orElse(null);
        if (state == State.RUNNING) {
          continue;
        }
        notRunning.add(name);
        try {
          if (state == State.FAILED || state == State.BACKOFF) {
            supervisor.reset(name);
          } else if (state == State.IDLE || state == State.STOPPED) {
            supervisor.start(name);
          }
        } catch (SupervisorException raced) {
          // it moved on meanwhile; the next round sees where to
        }
      }
      if (notRunning.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        String states = notRunning.stream().limit(20)
            .map(n -> supervisor.info(n).map(info -> Supervisors.describe(info) + "; dependencies "
                + neighbours(supervisor, info.dependencies()) + "; dependents "
                + neighbours(supervisor, info.dependents())).orElse(n + " not supervised"))
            .collect(Collectors.joining("\n  ", "\n  ", ""));
        ChaosProbe.violation("LIVENESS", notRunning.size() + " chaos services not RUNNING 60 s after the faults "
            + "stopped (each reset or started again meanwhile); live runs " + ChaosProbe.liveRuns() + ":" + states);
        return;
      }
      Thread.sleep(200);
    }
  }

  /** @return each name with its state, so a stuck service's report shows what it waits on */
  private static String neighbours(Supervisor supervisor, List<String> names) {
    return names.stream().map(n -> n + "=" + supervisor.info(n).map(i -> i.state().name()).orElse("absent"))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static Set<String> chaosMBeans(JmxClient jmx) {
    return jmx.all().stream().map(n -> String.valueOf(n.getKeyProperty("name")))
        .filter(n -> n.contains(ChaosPlan.PREFIX)).collect(Collectors.toCollection(TreeSet::new));
  }

  /** Live threads named "supervisor..." (control, timer, dispatchers, run and stop threads). */
  private static Set<String> supervisorThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.toLowerCase(Locale.ROOT).startsWith("supervisor")).collect(Collectors.toCollection(TreeSet::new));
  }

  private String summary(long seed, long chaosMillis, long began, Map<String, Long> counts,
      Map<String, Long> countsAtCalm, ChaosMonitor monitor, int[] generations, String groups,
      List<String> violations) {
    StringBuilder out = new StringBuilder();
    out.append("==== chaos summary: seed ").append(seed).append(", ").append(chaosMillis / 1000.0)
        .append(" s of chaos, ").append(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) / 1000.0)
        .append(" s in all, ").append(WORKERS).append(" workers in ").append(BUNDLES).append(" bundles\n");
    out.append("  ").append(monitor.summary()).append('\n');
    out.append("  starts (-> STARTING) ").append(monitor.entered(State.STARTING)).append(", restarts scheduled (-> BACKOFF) ")
        .append(monitor.entered(State.BACKOFF)).append(", FAILED ").append(monitor.entered(State.FAILED)).append('\n');
    out.append("  groups when the chaos ended: ").append(groups).append('\n');
    out.append("  bundle generations at the end: ").append(Arrays.toString(generations)).append('\n');
    Map<String, Long> during = new LinkedHashMap<>(countsAtCalm);
    during.forEach((k, v) -> out.append("  ").append(k).append(": ").append(v).append('\n'));
    out.append("  violations: ").append(violations.size()).append('\n');
    violations.stream().limit(30).forEach(v -> out.append("    ").append(v).append('\n'));
    return out.toString();
  }

  // ---------------------------------------------------------------- helpers

  private void unregisterAll() {
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      cleanups.get(i).run();
    }
    cleanups.clear();
  }

  private static void unregisterQuietly(ServiceRegistration<?> registration) {
    try {
      registration.unregister();
    } catch (IllegalStateException already) {
      // unregistered before
    }
  }

  private static void uninstallQuietly(Bundle bundle) {
    try {
      if (bundle.getState() != Bundle.UNINSTALLED) {
        bundle.uninstall();
      }
    } catch (BundleException | IllegalStateException e) {
      e.printStackTrace();
    }
  }

  private static long longProperty(String key, long fallback) {
    String value = Osgi.context().getProperty(key);
    if (value == null || value.isBlank() || value.startsWith("$")) {
      return fallback;
    }
    return Long.parseLong(value.trim());
  }

  private static String stackOf(Thread thread) {
    return Arrays.stream(thread.getStackTrace()).map(e -> "\tat " + e).collect(Collectors.joining("\n"));
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** The Error the throwing listener throws now and then. */
  static final class ChaosListenerError extends Error {
    private static final long serialVersionUID = 1L;

    ChaosListenerError(String message) {
      super(message);
    }
  }
}
