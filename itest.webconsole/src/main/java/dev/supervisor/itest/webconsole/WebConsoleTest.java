package dev.supervisor.itest.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.Iterator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.http.runtime.HttpServiceRuntime;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The web console in a real Felix with SCR and Felix HTTP Jetty: its JSON endpoints, its escaping and its
 * write rules (POST only, authenticated, admin role, CSRF token), against workers registered by this test
 * bundle on the whiteboard.
 */
class WebConsoleTest {
  static final String EVIL = "<img src=x onerror=alert(1)>";
  static final String ADMIN = Http.basic("admin", "admin-secret");
  static final String VIEWER = Http.basic("viewer", "viewer-secret");

  static BundleContext context;
  static final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  static Supervisor supervisor;
  static Http http;

  /** Runs until asked to stop. */
  static final class Idle implements Supervised {
    @Override
    public void run(RunContext ctx) throws Exception {
      while (!ctx.awaitStop(Duration.ofSeconds(10))) {
        // idle
      }
    }
  }

  @BeforeAll
  static void setUp() throws Exception {
    context = FrameworkUtil.getBundle(WebConsoleTest.class).getBundleContext();
    Path users = Path.of(context.getProperty("supervisor.webconsole.users"));
    Files.createDirectories(users.getParent());
    Files.writeString(users, "admin = admin-secret,admin\nviewer = viewer-secret,viewer\n");

    register("web.base", Map.of(), new Idle());
    register("web.dependent", Map.of("supervisor.dependsOn", "web.base"), new Idle());
    register("web.far", Map.of("supervisor.dependsOn", new String[] {"web.dependent", "web.base"}), new Idle());
    register("web.orphan", Map.of("supervisor.dependsOn", "web.missing"), new Idle());
    register(EVIL, Map.of("supervisor.dependsOn", "web.base"), new Idle());
    // fails at every start; one restart, then FAILED; started only by the test
    register("web.failing", Map.of("supervisor.autoStart", false, "supervisor.maxRestarts", 1,
        "supervisor.restartDelay", "PT0.01S"), ctx -> {
          throw new IllegalStateException("failing on purpose <b>bold</b>");
        });

    ServiceTracker<Supervisor, Supervisor> st = new ServiceTracker<>(context, Supervisor.class, null);
    st.open();
    supervisor = st.waitForService(20_000);
    assertNotNull(supervisor, "the Supervisor service");
    ServiceTracker<HttpServiceRuntime, HttpServiceRuntime> rt = new ServiceTracker<>(context, HttpServiceRuntime.class, null);
    rt.open();
    assertNotNull(rt.waitForService(20_000), "Felix HTTP's HttpServiceRuntime");
    http = new Http(endpoint(rt.getServiceReference()) + "supervisor");
    for (String name : List.of("web.base", "web.dependent", "web.far", "web.orphan", EVIL)) {
      supervisor.awaitReady(name.equals("web.orphan") ? "web.base" : name, Duration.ofSeconds(20));
    }
    // the console is a DS component: wait until it answers
    Await.until("the console to answer", () -> http.get("/api/session", VIEWER).status(), s -> s == 200);
  }

  /** The endpoint Jetty bound (port 0 in the bndrun: any free port). */
  static String endpoint(ServiceReference<HttpServiceRuntime> ref) {
    Object endpoint = Await.until("osgi.http.endpoint with a port", () -> ref.getProperty("osgi.http.endpoint"),
        e -> e != null && !first(e).contains(":0/"));
    String url = first(endpoint);
    return url.endsWith("/") ? url : url + "/";
  }

  private static String first(Object value) {
    if (value instanceof String[] a) {
      return a[0];
    }
    if (value instanceof java.util.Collection<?> c) {
      return String.valueOf(c.iterator().next());
    }
    return String.valueOf(value);
  }

  private static void register(String name, Map<String, Object> props, Supervised worker) {
    Dictionary<String, Object> d = new Hashtable<>(props);
    d.put("supervisor.name", name);
    registrations.add(context.registerService(Supervised.class, worker, d));
  }

  @AfterAll
  static void tearDown() {
    registrations.forEach(ServiceRegistration::unregister);
  }

  private static JsonObject service(String name) {
    Http.Response r = http.get("/api/services?" + Http.query(Map.of("name", name)), VIEWER);
    assertEquals(200, r.status(), r.body());
    return r.json().getAsJsonObject();
  }

  private static String csrf(String authorization) {
    return http.get("/api/session", authorization).json().getAsJsonObject().get("csrf").getAsString();
  }

  // ------------------------------------------------------------------------------------------ reading

  @Test
  void servicesArePagedInTreeOrderWithCountsAndFilters() {
    JsonObject all = http.get("/api/services", VIEWER).json().getAsJsonObject();
    assertEquals(supervisor.services().size(), all.get("total").getAsInt());
    JsonArray services = all.getAsJsonArray("services");
    List<String> names = new ArrayList<>();
    services.forEach(s -> names.add(s.getAsJsonObject().get("name").getAsString()));
    assertTrue(names.containsAll(List.of("web.base", "web.dependent", "web.far", EVIL)), names.toString());
    assertTrue(all.getAsJsonObject("counts").get("RUNNING").getAsInt() >= 4);

    JsonObject page = http.get("/api/services?q=WEB.&limit=2&offset=1", VIEWER).json().getAsJsonObject();
    assertEquals(2, page.getAsJsonArray("services").size());
    assertEquals(1, page.get("offset").getAsInt());
    assertEquals(5, page.get("matched").getAsInt(), "web.base, .dependent, .far, .orphan, .failing");

    JsonObject waiting = http.get("/api/services?state=waiting", VIEWER).json().getAsJsonObject();
    assertEquals("web.orphan", waiting.getAsJsonArray("services").get(0).getAsJsonObject().get("name").getAsString());
    assertEquals(400, http.get("/api/services?state=SLEEPING", VIEWER).status());

    JsonObject far = service("web.far");
    assertEquals("RUNNING", far.get("state").getAsString());
    assertEquals(List.of("web.dependent", "web.base"), strings(far.getAsJsonArray("dependencies")));
    assertEquals(List.of("web.missing"), strings(service("web.orphan").getAsJsonArray("missingDependencies")));
  }

  @Test
  void unknownNamesAndPathsAre404WithAMessage() {
    Http.Response r = http.get("/api/services?name=nobody", VIEWER);
    assertEquals(404, r.status());
    assertEquals("no service named nobody", r.json().getAsJsonObject().get("error").getAsString());
    assertEquals(404, http.get("/api/groups?path=no/such/group", VIEWER).status());
    assertEquals("no group with path no/such/group",
        http.get("/api/services?group=no/such/group", VIEWER).json().getAsJsonObject().get("error").getAsString());
    assertEquals(404, http.get("/api/graph?focus=nobody", VIEWER).status());
    assertEquals(404, http.get("/api/nothing", VIEWER).status());
  }

  @Test
  void groupsShowTheRootWithItsIntensity() {
    JsonArray groups = http.get("/api/groups", VIEWER).json().getAsJsonObject().getAsJsonArray("groups");
    JsonObject root = groups.get(0).getAsJsonObject();
    assertEquals("", root.get("path").getAsString());
    assertTrue(root.has("failureCount") && root.has("failureThreshold") && root.has("strategy"), root.toString());
    JsonObject one = http.get("/api/groups?path=", VIEWER).json().getAsJsonObject();
    assertTrue(strings(one.getAsJsonArray("members")).contains("web.base"));
  }

  @Test
  void graphIsLaidOutInLayersWithGhostsForMissingDependencies() {
    JsonObject g = http.get("/api/graph", VIEWER).json().getAsJsonObject();
    Map<String, JsonObject> nodes = new java.util.HashMap<>();
    g.getAsJsonArray("nodes").forEach(n -> nodes.put(n.getAsJsonObject().get("name").getAsString(), n.getAsJsonObject()));
    assertEquals(0, nodes.get("web.base").get("layer").getAsInt());
    assertEquals(1, nodes.get("web.dependent").get("layer").getAsInt());
    assertEquals(2, nodes.get("web.far").get("layer").getAsInt(), "longest path: after web.dependent");
    assertTrue(nodes.get("web.missing").get("ghost").getAsBoolean());
    assertTrue(nodes.get("web.far").get("x").getAsDouble() > nodes.get("web.dependent").get("x").getAsDouble());
    boolean farToBase = false;
    for (JsonElement e : g.getAsJsonArray("edges")) {
      JsonObject edge = e.getAsJsonObject();
      if (edge.get("from").getAsString().equals("web.far") && edge.get("to").getAsString().equals("web.base")) {
        farToBase = true;
        assertEquals("declared", edge.get("kind").getAsString());
        assertEquals(8, edge.getAsJsonArray("points").size(), "routed through one slot in layer 1");
      }
    }
    assertTrue(farToBase);

    JsonObject around = http.get("/api/graph?focus=web.far&depth=1", VIEWER).json().getAsJsonObject();
    List<String> near = new ArrayList<>();
    around.getAsJsonArray("nodes").forEach(n -> near.add(n.getAsJsonObject().get("name").getAsString()));
    assertEquals(List.of("web.base", "web.dependent", "web.far"), near);
  }

  @Test
  void timelineHasABarFromRegistrationToRunning() {
    JsonObject t = http.get("/api/timeline", VIEWER).json().getAsJsonObject();
    JsonObject base = null;
    for (JsonElement s : t.getAsJsonArray("services")) {
      if (s.getAsJsonObject().get("name").getAsString().equals("web.base")) {
        base = s.getAsJsonObject();
      }
    }
    assertNotNull(base, t.toString());
    JsonArray segments = base.getAsJsonArray("segments");
    assertEquals("RUNNING", segments.get(segments.size() - 1).getAsJsonObject().get("state").getAsString());
    assertTrue(strings(segments, "state").contains("STARTING"), segments.toString());
    assertEquals(400, http.get("/api/timeline?since=yesterday", VIEWER).status());
    assertEquals(400, http.get("/api/timeline?since=PT99999999999999H", VIEWER).status(), "before the range of Instant");
    assertEquals(200, http.get("/api/timeline?since=PT5M", VIEWER).status());
    Http.Response svg = http.get("/api/timeline.svg?download=1", VIEWER);
    assertEquals("image/svg+xml;charset=utf-8", svg.headers().firstValue("Content-Type").orElse("").toLowerCase().replace(" ", ""));
    assertTrue(svg.headers().firstValue("Content-Disposition").orElse("").contains("attachment"));
    assertTrue(svg.body().startsWith("<svg"));
  }

  @Test
  void aNameWithHtmlIsEscapedEverywhere() {
    String escaped = "&lt;img src=x onerror=alert(1)&gt;";
    assertFalse(http.get("/api/services", VIEWER).body().contains("<img"));
    assertFalse(http.get("/api/graph", VIEWER).body().contains("<img"));
    assertFalse(http.get("/api/timeline", VIEWER).body().contains("<img"));
    String svg = http.get("/api/timeline.svg", VIEWER).body();
    assertFalse(svg.contains("<img"));
    assertTrue(svg.contains(escaped), "the name is there, escaped");
    assertEquals(EVIL, service(EVIL).get("name").getAsString(), "and parses back to itself");
  }

  @Test
  void thePageShipsItsOwnScriptUnderAStrictContentSecurityPolicy() {
    Http.Response page = http.get("/", VIEWER);
    assertEquals(200, page.status());
    assertTrue(page.body().contains("<script src=\"console.js\"></script>"));
    assertFalse(page.body().contains("http://") || page.body().contains("https://"), "nothing from the network");
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertEquals(200, http.get("/console.js", VIEWER).status());
    assertEquals(200, http.get("/console.css", VIEWER).status());
  }

  // ------------------------------------------------------------------------------------------ writes

  @Test
  void withoutCredentialsTheConsoleAsksForThem() {
    Http.Response r = http.get("/api/services", null);
    assertEquals(401, r.status());
    assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
    assertEquals(401, http.get("/api/services", Http.basic("admin", "wrong")).status());
    assertEquals(401, http.post("/api/control", null, null, Map.of("target", "service", "name", "web.base", "action", "stop")).status());
  }

  @Test
  void writesArePostOnly() {
    Http.Response r = http.get("/api/control?target=service&name=web.base&action=restart", ADMIN);
    assertEquals(405, r.status());
  }

  @Test
  void aViewerGets403AndNothingHappens() {
    long starts = service("web.dependent").get("starts").getAsLong();
    Http.Response r = http.post("/api/control", VIEWER, csrf(VIEWER),
        Map.of("target", "service", "name", "web.dependent", "action", "restart"));
    assertEquals(403, r.status(), r.body());
    assertTrue(r.json().getAsJsonObject().get("error").getAsString().contains("viewer"));
    assertFalse(http.get("/api/session", VIEWER).json().getAsJsonObject().get("admin").getAsBoolean());
    assertEquals(starts, service("web.dependent").get("starts").getAsLong());
  }

  @Test
  void anAdminWithoutTheCsrfTokenGets403() {
    long starts = service("web.dependent").get("starts").getAsLong();
    Map<String, String> form = Map.of("target", "service", "name", "web.dependent", "action", "restart");
    assertEquals(403, http.post("/api/control", ADMIN, null, form).status());
    assertEquals(403, http.post("/api/control", ADMIN, csrf(VIEWER), form).status(), "another user's token");
    assertEquals(starts, service("web.dependent").get("starts").getAsLong());
  }

  @Test
  void anAdminWithTheTokenRestartsAService() {
    long starts = service("web.dependent").get("starts").getAsLong();
    Http.Response r = http.post("/api/control", ADMIN, csrf(ADMIN),
        Map.of("target", "service", "name", "web.dependent", "action", "restart"));
    assertEquals(200, r.status(), r.body());
    JsonObject after = Await.until("web.dependent started again and RUNNING", () -> service("web.dependent"),
        s -> s.get("starts").getAsLong() > starts && s.get("state").getAsString().equals("RUNNING"));
    assertEquals(starts + 1, after.get("starts").getAsLong());
  }

  @Test
  void badTargetsAndActionsAreRefusedWithTheRightStatus() {
    String token = csrf(ADMIN);
    assertEquals(404, http.post("/api/control", ADMIN, token, Map.of("target", "service", "name", "nobody", "action", "stop")).status());
    assertEquals(404, http.post("/api/control", ADMIN, token, Map.of("target", "group", "name", "no/group", "action", "reset")).status());
    assertEquals(400, http.post("/api/control", ADMIN, token, Map.of("target", "service", "name", "web.base", "action", "explode")).status());
    assertEquals(400, http.post("/api/control", ADMIN, token, Map.of("target", "planet", "name", "web.base", "action", "stop")).status());
  }

  @Test
  void aFailingServiceEndsFailedWithItsErrorAndAResetClearsIt() {
    String token = csrf(ADMIN);
    assertEquals(200, http.post("/api/control", ADMIN, token, Map.of("target", "service", "name", "web.failing", "action", "start")).status());
    JsonObject failed = Await.until("web.failing FAILED", () -> service("web.failing"), s -> s.get("state").getAsString().equals("FAILED"));
    assertTrue(failed.getAsJsonObject("lastError").get("message").getAsString().contains("failing on purpose"));
    Http.Response start = http.post("/api/control", ADMIN, token, Map.of("target", "service", "name", "web.failing", "action", "start"));
    assertEquals(409, start.status(), "start on a FAILED service: " + start.body());
    assertEquals(200, http.post("/api/control", ADMIN, token, Map.of("target", "service", "name", "web.failing", "action", "reset")).status());
    // autoStart=false: a reset clears the failure and leaves it IDLE until started
    JsonObject reset = Await.until("web.failing IDLE after the reset", () -> service("web.failing"), s -> s.get("state").getAsString().equals("IDLE"));
    assertEquals(0, reset.get("consecutiveFailures").getAsInt());
  }

  @Test
  void theEventStreamSendsTheRowOfAServiceThatChanged() throws Exception {
    long starts = service("web.far").get("starts").getAsLong();
    HttpRequest request = HttpRequest.newBuilder(URI.create(http.base() + "/api/events"))
        .header("Authorization", VIEWER).GET().build();
    HttpResponse<Stream<String>> response = http.client().send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
    try (Stream<String> lines = response.body()) {
      Iterator<String> in = lines.iterator();
      assertEquals("retry: 2000", in.next());
      // Updates are coalesced (at most one event per 250 ms carries each changed service's latest row), so
      // look for web.far's row with one more start, not for the passing STARTING state.
      CompletableFuture<JsonObject> seen = CompletableFuture.supplyAsync(() -> {
        while (in.hasNext()) {
          String line = in.next();
          if (line.startsWith("data: ") && line.contains("\"web.far\"")) {
            for (JsonElement e : JsonParser.parseString(line.substring(6)).getAsJsonObject().getAsJsonArray("services")) {
              JsonObject row = e.getAsJsonObject();
              if (row.get("name").getAsString().equals("web.far") && row.get("starts").getAsLong() > starts) {
                return row;
              }
            }
          }
        }
        return null;
      });
      supervisor.restart("web.far");
      JsonObject row = seen.get(20, TimeUnit.SECONDS);
      assertNotNull(row, "the stream ended before web.far's update");
      assertEquals(starts + 1, row.get("starts").getAsLong());
    }
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static List<String> strings(JsonArray a, String member) {
    List<String> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsJsonObject().get(member).getAsString()));
    return out;
  }
}
