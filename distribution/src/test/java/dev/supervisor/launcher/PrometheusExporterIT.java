package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.launcher.prometheus.PrometheusActivator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus JMX exporter (the real javaagent, {@code io.prometheus.jmx:jmx_prometheus_javaagent}, copied
 * to {@code target/prometheus/} by the pom) in the launcher's JVM with {@code docs/prometheus/supervisor.yaml}:
 * scrapes {@code /metrics} until a worker that fails every run is {@code FAILED}, then checks the series and
 * their values, and that every metric the configuration's header promises is there.
 */
class PrometheusExporterIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  /** A sample line: name, optional {labels}, value. */
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  @TempDir
  Path temp;

  /** Ended after each test (SIGTERM, so the framework stops; then by force): see {@link LauncherProcess#close()}. */
  @AutoClose
  private LauncherProcess launcher;

  @Test
  void theExporterTurnsTheMBeansIntoMetrics() throws Exception {
    Path target = LauncherProcess.target();
    Path agent = target.resolve("prometheus/jmx_prometheus_javaagent.jar");
    Path config = Path.of(System.getProperty("prometheus.config", "../docs/prometheus/supervisor.yaml"))
        .toAbsolutePath();
    for (Path needed : List.of(target.resolve("launcher.jar"), target.resolve("bundles"), agent, config)) {
      assertTrue(Files.exists(needed), () -> needed + " is missing: run after the package phase (mvn verify)");
    }
    Path bundles = Files.createDirectory(temp.resolve("bundles"));
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target.resolve("bundles"), "*.jar")) {
      for (Path jar : jars) {
        if (!jar.getFileName().toString().startsWith("supervisor.demo")) {
          Files.copy(jar, bundles.resolve(jar.getFileName()));
        }
      }
    }
    TestBundles.write(bundles.resolve(PrometheusActivator.SYMBOLIC_NAME + ".jar"), PrometheusActivator.SYMBOLIC_NAME,
        PrometheusActivator.class);

    int port = LauncherProcess.freePort();
    launcher = LauncherProcess.start("PrometheusExporterIT", temp, List.of(
        "-javaagent:" + agent + "=127.0.0.1:" + port + ":" + config,
        "-Dlauncher.bundles=" + bundles,
        "-Dlauncher.storage=" + temp.resolve("felix-cache"),
        "-Djmx.port=" + LauncherProcess.freePort(),
        "-Dgosh.args=--nointeractive"));

    String flaky = PrometheusActivator.FLAKY;
    String steady = PrometheusActivator.STEADY;
    URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
    long scraping = System.nanoTime();
    Scrape scrape = awaitScrape(metrics, s -> s.value("supervisor_service_state",
        Map.of("service", flaky, "group", PrometheusActivator.GROUP, "state", "FAILED")) == 1.0
        && s.value("supervisor_service_state", Map.of("service", steady, "state", "RUNNING")) == 1.0);
    System.out.printf("PrometheusExporterIT: %s FAILED in /metrics after %.1f s%n", flaky,
        (System.nanoTime() - scraping) / 1e9);
    System.out.println(scrape.lines("supervisor_"));

    int failures = PrometheusActivator.MAX_RESTARTS + 1;
    // one 0/1 series per state, with the group as a label
    assertEquals(8, scrape.samples("supervisor_service_state", Map.of("service", flaky)).size(), scrape.text);
    assertEquals(1.0, scrape.samples("supervisor_service_state", Map.of("service", flaky)).stream()
        .mapToDouble(Double::doubleValue).sum(), scrape.text);
    assertEquals(0.0, scrape.value("supervisor_service_state", Map.of("service", flaky, "state", "BACKOFF")));
    assertEquals(0.0, scrape.value("supervisor_service_state", Map.of("service", steady, "state", "FAILED")));
    // counters after the failures, with their TYPE
    assertEquals(failures, scrape.value("supervisor_service_failures_total", Map.of("service", flaky)));
    assertEquals(failures, scrape.value("supervisor_service_starts_total", Map.of("service", flaky)));
    assertEquals(PrometheusActivator.MAX_RESTARTS,
        scrape.value("supervisor_service_restarts_total", Map.of("service", flaky)));
    assertEquals(0.0, scrape.value("supervisor_service_failures_total", Map.of("service", steady)));
    assertTrue(scrape.text.contains("# TYPE supervisor_service_restarts_total counter"), scrape.text);
    assertTrue(scrape.text.contains("# TYPE supervisor_service_state gauge"), scrape.text);
    // seconds, not milliseconds
    double uptime = scrape.value("supervisor_service_uptime_seconds", Map.of("service", steady));
    assertTrue(uptime > 0 && uptime < DEADLINE.toSeconds() + 5, () -> "uptime " + uptime);
    double ready = scrape.value("supervisor_service_time_to_ready_seconds", Map.of("service", steady));
    assertTrue(ready >= 0 && ready < 5, () -> "time to ready " + ready);
    double run = scrape.value("supervisor_service_run_seconds_total", Map.of("service", steady));
    assertTrue(run >= uptime, () -> "all runs " + run + " s, this one " + uptime + " s");
    // the groups: the flaky worker's failures count in its group, not in the root
    double groupFailures = scrape.value("supervisor_group_failure_count", Map.of("group", PrometheusActivator.GROUP));
    assertTrue(groupFailures > 0 && groupFailures <= failures, () -> "group failure count " + groupFailures);
    assertEquals(0.0, scrape.value("supervisor_group_failure_count", Map.of("group", "")));
    assertEquals(1.0, scrape.value("supervisor_services", Map.of("state", "FAILED")));
    assertEquals(Double.POSITIVE_INFINITY, scrape.value("supervisor_group_failure_threshold", Map.of("group", "")),
        "the root group's default threshold: none");

    // every metric that the configuration's header lists is exported
    List<String> promised = new ArrayList<>();
    Matcher listed = Pattern.compile("(?m)^#\\s+(supervisor_\\w+)\\{").matcher(Files.readString(config));
    while (listed.find()) {
      promised.add(listed.group(1));
    }
    assertTrue(promised.size() >= 10, promised::toString);
    for (String name : promised) {
      assertTrue(!scrape.samples(name, Map.of()).isEmpty(), () -> name + " is not in /metrics:\n" + scrape.text);
    }
  }

  private Scrape awaitScrape(URI metrics, java.util.function.Predicate<Scrape> done) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    String last = "(no answer)";
    while (System.nanoTime() < deadline) {
      if (!launcher.process.isAlive()) {
        throw new AssertionError("the launcher exited with " + launcher.process.exitValue() + ":\n" + launcher.printed());
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
            .build(), HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + "\n" + response.body();
        if (response.statusCode() == 200) {
          Scrape scrape = new Scrape(response.body());
          if (done.test(scrape)) {
            return scrape;
          }
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("waited " + DEADLINE.toSeconds() + " s for the series in " + metrics
        + "; last answer:\n" + last + "\nlauncher output:\n" + launcher.printed());
  }

  /** One answer of /metrics in Prometheus' text format. */
  private static final class Scrape {
    final String text;

    Scrape(String text) {
      this.text = text;
    }

    /** @return the values of the samples named so whose labels include these (an empty value: no label) */
    List<Double> samples(String name, Map<String, String> labels) {
      List<Double> values = new ArrayList<>();
      for (String line : text.split("\n")) {
        Matcher sample = SAMPLE.matcher(line);
        if (line.startsWith("#") || !sample.matches() || !sample.group(1).equals(name)) {
          continue;
        }
        Map<String, String> has = new TreeMap<>();
        Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
        while (label.find()) {
          if (!label.group(2).isEmpty()) {
            has.put(label.group(1), label.group(2));
          }
        }
        boolean matches = labels.entrySet().stream().allMatch(e -> e.getValue().isEmpty()
            ? !has.containsKey(e.getKey()) : e.getValue().equals(has.get(e.getKey())));
        if (matches) {
          values.add(number(sample.group(3)));
        }
      }
      return values;
    }

    /** Prometheus' text format writes infinities as +Inf and -Inf. */
    private static double number(String text) {
      return text.equals("+Inf") ? Double.POSITIVE_INFINITY
          : text.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(text);
    }

    /** @return the value of exactly one sample, NaN if there is none */
    double value(String name, Map<String, String> labels) {
      List<Double> values = samples(name, labels);
      if (values.size() > 1) {
        throw new AssertionError(values.size() + " samples " + name + labels + " in\n" + text);
      }
      return values.isEmpty() ? Double.NaN : values.get(0);
    }

    String lines(String prefix) {
      StringBuilder out = new StringBuilder();
      text.lines().filter(line -> line.startsWith(prefix)).forEach(line -> out.append(line).append('\n'));
      return out.toString();
    }
  }
}
