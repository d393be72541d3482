package dev.supervisor.itest.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervisor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The console with 10,000 supervised services (a measured run, not a micro-benchmark): every endpoint is
 * timed over HTTP in the real Felix (median and slowest of 7 calls after 2 warm-up calls), and the event
 * stream is watched through a restart of every service. The figures go to {@code target/scale-report.md} and
 * the build log; the assertions are generous bounds (a shared 2-core machine), the figures are the point.
 *
 * <p>Runs alone in its own framework (the {@code scale} execution of the testing plugin in the Maven profile
 * {@code scale}, scale.bndrun); the main run skips it. Not part of {@code mvn -B verify}:
 * {@code mvn -B verify -Pscale -pl itest.webconsole -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ScaleTest {
  static final String ADMIN = Http.basic("admin", "admin-secret");

  @Test
  void tenThousandServices() throws Exception {
    BundleContext context = FrameworkUtil.getBundle(ScaleTest.class).getBundleContext();
    String services = context.getProperty("webconsole.scale.services");
    assumeTrue(services != null, "runs only in the scale execution (scale.bndrun), alone in its framework");
    int n = Integer.parseInt(services);
    Path users = Path.of(context.getProperty("supervisor.webconsole.users"));
    Files.createDirectories(users.getParent());
    Files.writeString(users, "admin = admin-secret,admin\n");
    ServiceTracker<Supervisor, Supervisor> st = new ServiceTracker<>(context, Supervisor.class, null);
    st.open();
    Supervisor supervisor = st.waitForService(20_000);
    assertNotNull(supervisor);
    ServiceTracker<HttpServiceRuntime, HttpServiceRuntime> rt = new ServiceTracker<>(context, HttpServiceRuntime.class, null);
    rt.open();
    assertNotNull(rt.waitForService(20_000));
    Http http = new Http(WebConsoleTest.endpoint(rt.getServiceReference()) + "supervisor");
    Await.until("the console to answer", () -> http.get("/api/session", ADMIN).status(), s -> s == 200);

    // 10,000 services in 100 groups and 100 layers: each depends on the one 100 before it, every 7th also on
    // the one 200 before it.
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      ServiceSpec.Builder spec = ServiceSpec.builder(name(i)).group("scale/g" + (i % 100));
      if (i >= 200 && i % 7 == 0) {
        spec.dependsOn(name(i - 100), name(i - 200));
      } else if (i >= 100) {
        spec.dependsOn(name(i - 100));
      }
      supervisor.add(spec.build(), new WebConsoleTest.Idle());
    }
    Await.until(n + " services RUNNING", () -> supervisor.services().stream().filter(s -> s.state() == State.RUNNING).count(),
        c -> c == n, Duration.ofMinutes(3));
    long started = System.nanoTime() - t0;

    StringBuilder report = new StringBuilder();
    report.append(String.format(Locale.ROOT, "%,d services (100 groups, 100 layers) RUNNING after %,d ms%n%n", n, started / 1_000_000));
    report.append("| endpoint | median ms | slowest ms | bytes |\n| --- | --- | --- | --- |\n");
    String focus = name(n / 2);
    List<String> paths = List.of(
        "/api/services?limit=100",
        "/api/services?limit=100&offset=9900",
        "/api/services?q=scale-0999",
        "/api/services?state=FAILED",
        "/api/services?name=" + focus,
        "/api/groups",
        "/api/graph",
        "/api/graph?focus=" + focus + "&depth=2",
        "/api/graph?focus=" + focus + "&depth=50&limit=300",
        "/api/timeline?limit=200",
        "/api/timeline.svg?limit=200",
        "/api/timeline?limit=2000");
    for (String path : paths) {
      Http.Response last = null;
      for (int w = 0; w < 2; w++) {
        last = http.get(path, ADMIN);
        assertEquals(200, last.status(), path + ": " + last.body());
      }
      long[] ms = new long[7];
      for (int k = 0; k < ms.length; k++) {
        long s = System.nanoTime();
        last = http.get(path, ADMIN);
        ms[k] = (System.nanoTime() - s) / 1_000_000;
      }
      Arrays.sort(ms);
      report.append(String.format(Locale.ROOT, "| `%s` | %d | %d | %,d |%n", path, ms[3], ms[6], last.body().length()));
      assertTrue(ms[3] < 3000, path + " answered in " + ms[3] + " ms (median)");
    }
    JsonObject whole = http.get("/api/graph", ADMIN).json().getAsJsonObject();
    assertTrue(whole.get("truncated").getAsBoolean(), "10,000 nodes are not drawn at once");
    JsonObject around = http.get("/api/graph?focus=" + focus + "&depth=2", ADMIN).json().getAsJsonObject();
    assertTrue(around.get("shown").getAsInt() > 1 && around.get("shown").getAsInt() <= 300, around.get("shown").toString());

    // The event stream through a restart of every service: how many events, how many bytes, and whether the
    // bursts were cut to 'reload' events.
    HttpResponse<Stream<String>> stream = http.client().send(HttpRequest.newBuilder(URI.create(http.base() + "/api/events"))
        .header("Authorization", ADMIN).build(), HttpResponse.BodyHandlers.ofLines());
    long[] counts = new long[3]; // services events, reload events, bytes
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      Iterator<String> it = stream.body().iterator();
      while (it.hasNext()) {
        String line = it.next();
        synchronized (counts) {
          counts[2] += line.length() + 1;
          if (line.equals("event: services")) {
            counts[0]++;
          } else if (line.equals("event: reload")) {
            counts[1]++;
          }
        }
      }
    });
    long r0 = System.nanoTime();
    supervisor.restartAll();
    Await.until("every service restarted and RUNNING", () -> supervisor.services(),
        all -> all.stream().allMatch(s -> s.state() == State.RUNNING && s.startCount() >= 2), Duration.ofMinutes(3));
    long restarted = (System.nanoTime() - r0) / 1_000_000;
    // one more period for the last batch to go out
    Await.until("the stream to carry the last batch", () -> {
      synchronized (counts) {
        return counts[0] + counts[1];
      }
    }, c -> c > 0, Duration.ofSeconds(10));
    stream.body().close();
    reader.cancel(true);
    synchronized (counts) {
      report.append(String.format(Locale.ROOT, "%nrestartAll of %,d services: every one RUNNING again after %,d ms; the event "
          + "stream carried %d `services` events and %d `reload` events, %,d bytes in all%n", n, restarted, counts[0], counts[1], counts[2]));
    }
    List<ServiceInfo> all = supervisor.services();
    assertEquals(n, all.size());

    System.out.println("\n--- web console with " + n + " services ---\n" + report);
    Path out = Path.of(context.getProperty("webconsole.scale.report"));
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }

  private static String name(int i) {
    return String.format(Locale.ROOT, "scale-%05d", i);
  }
}
