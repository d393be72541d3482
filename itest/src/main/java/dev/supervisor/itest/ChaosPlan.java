package dev.supervisor.itest;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.itest.chaos.ChaosProbe;
import dev.supervisor.itest.chaos.RunPlan;
import dev.supervisor.itest.chaos.RunPlan.Ending;
import dev.supervisor.itest.chaos.worker.ChaosActivator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Everything the chaos test derives from its seed: the workers (names, a random dependency DAG in which a
 * worker depends only on lower-numbered ones, groups, scopes, timings), which generated bundle registers
 * which worker, the groups' specs, the jars of the bundles, and each run's faults. The same seed gives the
 * same graph, the same jars and, per service name, the same sequence of run plans (the interleaving of
 * threads is up to the machine).
 */
final class ChaosPlan {

  static final String PREFIX = "chaos.w";
  static final String BUNDLE_PREFIX = "chaos.bundle.";

  /** The groups: path, then its spec as SupervisorGroup service properties. */
  static final Map<String, Map<String, Object>> GROUPS = groups();

  private static final String[] GROUP_OF_WORKER = {"", "chaos/a", "chaos/a/deep", "chaos/b", "chaos/b/inner",
      "chaos/c", "chaos/c/inner"};
  private static final double[] GROUP_WEIGHT = {0.20, 0.20, 0.10, 0.15, 0.10, 0.15, 0.10};

  // Faults of one run (the rest of the run waits for its stop request).
  static final double P_EXCEPTION = 0.07;
  static final double P_ERROR = 0.03;
  static final double P_RETURN = 0.05;
  static final double P_DO_NOT_RESTART = 0.01;
  static final double P_IGNORE_STOP = 0.07;
  static final double P_STOP_THROWS = 0.06;
  static final double P_SLOW_READY = 0.08;

  final long seed;
  final List<Worker> workers = new ArrayList<>();
  final Map<String, Worker> byName = new LinkedHashMap<>();
  final Map<String, List<String>> dependents = new HashMap<>();
  final int bundles;
  private final Map<String, Random> runRandoms = new HashMap<>();

  /** One worker: what its service properties say, and where it is registered from. */
  record Worker(int index, String name, List<String> dependsOn, String group, int bundle, boolean prototype,
      boolean explicit, String restart, long restartDelay, long readyTimeout, long stopTimeout,
      int maxRestartsInWindow) {}

  ChaosPlan(long seed, int count, int bundles) {
    this.seed = seed;
    this.bundles = bundles;
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      String name = String.format("%s%03d", PREFIX, i);
      List<String> deps = new ArrayList<>();
      double d = random.nextDouble();
      int wanted = d < 0.35 ? 0 : d < 0.70 ? 1 : d < 0.90 ? 2 : 3;
      for (int k = 0; k < wanted && i > 0; k++) {
        // mostly near neighbours, so chains grow deep; sometimes anything lower
        int lower = random.nextDouble() < 0.7 ? Math.max(0, i - 1 - random.nextInt(12)) : random.nextInt(i);
        String dep = workers.get(lower).name();
        if (!deps.contains(dep)) {
          deps.add(dep);
        }
      }
      double r = random.nextDouble();
      String restart = r < 0.5 ? "ALWAYS" : r < 0.95 ? "ON_FAILURE" : "NEVER";
      Worker worker = new Worker(i, name, List.copyOf(deps), pick(random), random.nextInt(bundles),
          random.nextDouble() < 0.25, random.nextDouble() < 0.4, restart, 10 + random.nextInt(140),
          300 + random.nextInt(500), 150 + random.nextInt(250), random.nextDouble() < 0.1 ? 5 : 0);
      workers.add(worker);
      byName.put(name, worker);
      for (String dep : deps) {
        dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(name);
      }
    }
  }

  private static String pick(Random random) {
    double r = random.nextDouble();
    for (int i = 0; i < GROUP_WEIGHT.length; i++) {
      r -= GROUP_WEIGHT[i];
      if (r < 0) {
        return GROUP_OF_WORKER[i];
      }
    }
    return GROUP_OF_WORKER[0];
  }

  private static Map<String, Map<String, Object>> groups() {
    Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    // the parent never pauses and has no hard limit: an escalation stops here, never reaches the root
    groups.put("chaos", Map.of(GroupSpec.FAILURE_THRESHOLD, "1000000"));
    groups.put("chaos/a", Map.of(GroupSpec.FAILURE_DECAY, "PT2S", GroupSpec.FAILURE_THRESHOLD, 10,
        GroupSpec.FAILURE_BACKOFF, "PT0.5S"));
    groups.put("chaos/a/deep", Map.of(GroupSpec.MAX_RESTARTS, 2, GroupSpec.RESTART_WINDOW, "PT3S",
        GroupSpec.FAILURE_THRESHOLD, "1000000"));
    groups.put("chaos/b", Map.of(GroupSpec.STRATEGY, "ONE_FOR_ALL", GroupSpec.FAILURE_DECAY, "PT2S",
        GroupSpec.FAILURE_THRESHOLD, 8, GroupSpec.FAILURE_BACKOFF, "PT0.5S"));
    groups.put("chaos/b/inner", Map.of(GroupSpec.STRATEGY, "REST_FOR_ONE", GroupSpec.MAX_RESTARTS, 2,
        GroupSpec.RESTART_WINDOW, "PT3S", GroupSpec.FAILURE_THRESHOLD, "1000000"));
    groups.put("chaos/c", Map.of(GroupSpec.STRATEGY, "REST_FOR_ONE", GroupSpec.FAILURE_DECAY, "PT2S",
        GroupSpec.FAILURE_THRESHOLD, 10, GroupSpec.FAILURE_BACKOFF, "PT1S"));
    groups.put("chaos/c/inner", Map.of(GroupSpec.STRATEGY, "ONE_FOR_ALL", GroupSpec.MAX_RESTARTS, 2,
        GroupSpec.RESTART_WINDOW, "PT3S", GroupSpec.FAILURE_THRESHOLD, "1000000"));
    return Collections.unmodifiableMap(groups);
  }

  List<String> names() {
    return new ArrayList<>(byName.keySet());
  }

  List<String> dependenciesOf(String name) {
    Worker worker = byName.get(name);
    return worker == null ? List.of() : worker.dependsOn();
  }

  List<String> dependentsOf(String name) {
    return dependents.getOrDefault(name, List.of());
  }

  static String bundleName(int bundle) {
    return BUNDLE_PREFIX + bundle;
  }

  /**
   * The faults of one run of {@code name}, from a random source of that name alone (seeded from the seed
   * and the name), so a name's sequence of plans does not depend on the other threads.
   */
  RunPlan runPlan(String name, int attempt) {
    Worker worker = byName.get(name);
    if (worker == null) {
      return RunPlan.CALM;
    }
    Random random;
    synchronized (runRandoms) {
      random = runRandoms.computeIfAbsent(name, n -> new Random(seed * 31 + n.hashCode()));
    }
    synchronized (random) {
      long ready = 0;
      if (worker.explicit()) {
        if (random.nextDouble() < P_SLOW_READY) {
          ChaosProbe.count("planned: slow readiness (late or never)");
          ready = random.nextBoolean() ? -1 : worker.readyTimeout() + 50 + random.nextInt(400);
        } else {
          ready = random.nextInt(40);
        }
      }
      double e = random.nextDouble();
      Ending ending = Ending.RETURN;
      long endAfter = -1;
      if (e < P_EXCEPTION + P_ERROR + P_RETURN + P_DO_NOT_RESTART) {
        endAfter = 20 + random.nextInt(3000);
        ending = e < P_EXCEPTION ? Ending.EXCEPTION : e < P_EXCEPTION + P_ERROR ? Ending.ERROR
            : e < P_EXCEPTION + P_ERROR + P_RETURN ? Ending.RETURN : Ending.DO_NOT_RESTART;
      }
      // bounded: the run ends at most 1.5 s after its stop timeout ran out
      long ignoreStop = random.nextDouble() < P_IGNORE_STOP ? worker.stopTimeout() + 50 + random.nextInt(1500) : 0;
      boolean stopThrows = random.nextDouble() < P_STOP_THROWS;
      return new RunPlan(ready, endAfter, ending, ignoreStop, stopThrows);
    }
  }

  /**
   * The jar of one generated bundle: the worker classes (read from the test bundle), an activator and the
   * plan of its workers. A later {@code generation} (for {@code Bundle.update}) has a new version and new
   * timings for the same workers (names, dependencies and groups stay: they are the graph).
   */
  byte[] jar(int bundle, int generation) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", bundleName(bundle));
    main.putValue("Bundle-Version", "1.0." + generation);
    main.putValue("Bundle-Activator", ChaosActivator.class.getName());
    main.putValue("Import-Package", "dev.supervisor.api,dev.supervisor.itest.chaos,org.osgi.framework");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
      Bundle self = FrameworkUtil.getBundle(ChaosPlan.class);
      String folder = ChaosActivator.class.getPackageName().replace('.', '/');
      Enumeration<URL> classes = self.findEntries(folder, "*.class", false);
      int found = 0;
      while (classes != null && classes.hasMoreElements()) {
        URL url = classes.nextElement();
        out.putNextEntry(new JarEntry(folder + "/" + url.getPath().substring(url.getPath().lastIndexOf('/') + 1)));
        try (InputStream in = url.openStream()) {
          in.transferTo(out);
        }
        out.closeEntry();
        found++;
      }
      if (found < 3) {
        throw new IOException("the worker classes are missing from the test bundle: found " + found + " in " + folder);
      }
      out.putNextEntry(new JarEntry(ChaosActivator.PLAN));
      out.write(planOf(bundle, generation).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      out.closeEntry();
    }
    return bytes.toByteArray();
  }

  private String planOf(int bundle, int generation) throws IOException {
    Random timings = new Random(seed * 1_000_003L + bundle * 1009L + generation);
    Properties plan = new Properties();
    List<String> mine = new ArrayList<>();
    for (Worker w : workers) {
      if (w.bundle() != bundle) {
        continue;
      }
      mine.add(w.name());
      String p = w.name() + ".";
      if (!w.dependsOn().isEmpty()) {
        plan.setProperty(p + ServiceSpec.DEPENDS_ON, String.join(",", w.dependsOn()));
      }
      if (!w.group().isEmpty()) {
        plan.setProperty(p + ServiceSpec.GROUP, w.group());
      }
      plan.setProperty(p + "scope", w.prototype() ? "prototype" : "singleton");
      plan.setProperty(p + ServiceSpec.RESTART, w.restart());
      long delay = generation == 0 ? w.restartDelay() : 10 + timings.nextInt(140);
      plan.setProperty(p + ServiceSpec.RESTART_DELAY, String.valueOf(delay));
      plan.setProperty(p + ServiceSpec.MAX_RESTART_DELAY, "PT1S");
      plan.setProperty(p + ServiceSpec.STOP_TIMEOUT, String.valueOf(w.stopTimeout()));
      if (w.explicit()) {
        plan.setProperty(p + ServiceSpec.READINESS, "EXPLICIT");
        plan.setProperty(p + ServiceSpec.READY_TIMEOUT, String.valueOf(w.readyTimeout()));
      }
      if (w.maxRestartsInWindow() > 0) {
        plan.setProperty(p + ServiceSpec.MAX_RESTARTS_IN_WINDOW, String.valueOf(w.maxRestartsInWindow()));
        plan.setProperty(p + ServiceSpec.RESTART_WINDOW, "PT2S");
      }
    }
    plan.setProperty("workers", String.join(",", mine));
    StringWriter text = new StringWriter();
    plan.store(text, bundleName(bundle) + " generation " + generation + " of seed " + seed);
    return text.toString();
  }
}
