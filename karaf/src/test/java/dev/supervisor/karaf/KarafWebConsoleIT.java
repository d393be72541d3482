package dev.supervisor.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The feature {@code supervisor-webconsole} in a real Karaf beside Karaf's own {@code webconsole} feature:
 * the page and its endpoints on Pax Web's HTTP Whiteboard with Karaf's JAAS users (realm {@code karaf}: the
 * user karaf has the role admin through admingroup, the user viewer only viewer), and the Supervisor tab of
 * Karaf's web console. A Karaf of its own (run folder {@code karaf-run-webconsole}), HTTP on a free port of
 * 127.0.0.1; stopped at the end whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KarafWebConsoleIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String ADMIN = basic(KarafProcess.ADMIN, KarafProcess.ADMIN);
  private static final String VIEWER = basic(KarafProcess.VIEWER, KarafProcess.VIEWER);

  private final String version = property("it.project.version");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private KarafProcess karaf;
  private String base;

  @BeforeAll
  void startKarafWithTheWebConsole() throws Exception {
    long started = System.nanoTime();
    Path repo = Paths.get(property("it.karaf.repo"));
    Path features = repo.resolve("dev/supervisor/karaf/" + version + "/karaf-" + version + "-features.xml");
    Files.createDirectories(features.getParent());
    Files.copy(Paths.get(property("it.features.file")), features, StandardCopyOption.REPLACE_EXISTING);
    int httpPort = KarafProcess.freePort();
    karaf = new KarafProcess(Paths.get(property("it.karaf.home")), Paths.get(property("it.karaf.run") + "-webconsole"),
        List.of(repo), Paths.get(property("maven.repo.local")), property("it.karaf.java.home"),
        Map.of("demo.http.port", "0", "java.rmi.server.hostname", "127.0.0.1"));
    // Pax Web on a free port of 127.0.0.1 (the feature's own configuration does not replace an existing one)
    Path paxWeb = karaf.home.resolve("etc/org.ops4j.pax.web.cfg");
    Files.writeString(paxWeb, "org.osgi.service.http.port = " + httpPort + "\n"
        + "org.ops4j.pax.web.listening.addresses = 127.0.0.1\n", StandardCharsets.ISO_8859_1);
    karaf.start(WAIT);
    String out = karaf.client(
        "feature:repo-add mvn:dev.supervisor/karaf/" + version + "/xml/features",
        "feature:install webconsole supervisor-webconsole supervisor-demo",
        "feature:list -i | grep -e supervisor -e webconsole");
    System.out.println("--- bin/client (install):\n" + out);
    assertFalse(out.contains("Error"), out + "\n" + karaf.log(80));
    base = "http://127.0.0.1:" + httpPort;
    await("the page to answer with demo.store RUNNING", () -> {
      HttpResponse<String> r = get("/supervisor/api/services?name=demo.store", VIEWER);
      return r != null && r.statusCode() == 200 && r.body().contains("\"state\":\"RUNNING\"");
    });
    System.out.printf("Karaf with the web console up after %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  void stopKaraf() throws Exception {
    if (karaf != null) {
      karaf.close();
      assertFalse(karaf.isAlive(), "Karaf is still running");
    }
  }

  @Test
  void jaasUsersReadTheEndpointsAndStrangersAreAskedToLogIn() throws Exception {
    HttpResponse<String> services = get("/supervisor/api/services", VIEWER);
    assertEquals(200, services.statusCode());
    for (String name : List.of("demo.config", "demo.store", "demo.http", "demo.poller")) {
      assertTrue(services.body().contains("\"name\":\"" + name + "\""), name + " in " + services.body());
    }
    assertEquals(200, get("/supervisor/api/graph", VIEWER).statusCode());
    assertEquals(200, get("/supervisor/api/timeline", VIEWER).statusCode());
    assertEquals(401, get("/supervisor/api/services", null).statusCode());
    assertEquals(401, get("/supervisor/api/services", basic(KarafProcess.ADMIN, "wrong")).statusCode());
    assertTrue(get("/supervisor/", VIEWER).body().contains("<script src=\"console.js\"></script>"));
  }

  @Test
  void theAdminRoleOfTheRealmMayActAViewerMayNot() throws Exception {
    assertTrue(get("/supervisor/api/session", ADMIN).body().contains("\"admin\":true"));
    assertTrue(get("/supervisor/api/session", VIEWER).body().contains("\"admin\":false"));
    String form = "target=service&name=demo.poller&action=restart";
    assertEquals(403, post(VIEWER, csrf(VIEWER), form).statusCode());
    assertEquals(403, post(ADMIN, null, form).statusCode(), "no CSRF token");
    long starts = starts();
    HttpResponse<String> restarted = post(ADMIN, csrf(ADMIN), form);
    assertEquals(200, restarted.statusCode(), restarted.body());
    await("demo.poller started again", () -> starts() > starts);
  }

  @Test
  void theWebConsoleHasASupervisorTabThatFramesThePage() throws Exception {
    HttpResponse<String>[] tab = new HttpResponse[1];
    await("the Supervisor tab in Karaf's web console", () -> {
      tab[0] = get("/system/console/supervisor", ADMIN);
      return tab[0] != null && tab[0].statusCode() == 200 && tab[0].body().contains("supervisor-console");
    });
    assertTrue(tab[0].body().contains("<iframe id=\"supervisor-console\" src=\"/supervisor/\""), tab[0].body());
  }

  @Test
  void theTabAsksForNoSecondLoginThePageIsInTheConsolesRealm() throws Exception {
    String console = get("/system/console/bundles", null).headers().firstValue("WWW-Authenticate").orElse("");
    String page = get("/supervisor/", null).headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(console.startsWith("Basic realm=\""), console);
    // a browser keys Basic credentials by origin and realm: the same realm, the same login
    assertEquals(realm(console), realm(page), "console: " + console + ", page: " + page);
  }

  @Test
  void aBrowserSeesTheLivePageInTheTab() throws Exception {
    Path chromium = Path.of("/usr/bin/chromium");
    Path chromedriver = Path.of("/usr/bin/chromedriver");
    assumeTrue(Files.isExecutable(chromium) && Files.isExecutable(chromedriver),
        "skipped: no browser on this machine (apt-get install chromium chromium-driver, as .ci/run does)");
    Path target = Paths.get(property("it.karaf.run")).getParent();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1400,1100", "--user-data-dir=" + target.resolve("karaf-chrome-profile"));
    ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort().withLogFile(target.resolve("karaf-chromedriver.log").toFile()).build(), options);
    try {
      // every request of the browser logs in as karaf (through chromedriver's DevTools endpoint)
      driver.executeCdpCommand("Network.enable", Map.of());
      driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", ADMIN)));
      driver.get(base + "/system/console/supervisor");
      driver.switchTo().frame("supervisor-console");
      await("the page in the tab to show its data, live", () -> "true".equals(driver.executeScript(
          "return document.body.getAttribute('data-ready');")) && "live".equals(driver.findElement(By.id("live")).getText()));
      Object state = driver.executeScript("const row = document.querySelector(\"tr[data-name='demo.store']\");"
          + "return row ? row.dataset.state : null;");
      assertEquals("RUNNING", state);
      assertEquals(Boolean.TRUE, driver.executeScript("return document.body.classList.contains('admin');"),
          "karaf has the role admin: the page shows the controls");
      driver.switchTo().defaultContent();
      Path shots = Files.createDirectories(target.resolve("screenshots"));
      Files.write(shots.resolve("karaf-webconsole-tab.png"), driver.getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.quit();
    }
  }

  private static String realm(String challenge) {
    Matcher m = Pattern.compile("realm=\"([^\"]*)\"").matcher(challenge);
    assertTrue(m.find(), challenge);
    return m.group(1);
  }

  // ------------------------------------------------------------------------------------------ helpers

  private long starts() throws Exception {
    Matcher m = Pattern.compile("\"starts\":(\\d+)").matcher(get("/supervisor/api/services?name=demo.poller", VIEWER).body());
    assertTrue(m.find());
    return Long.parseLong(m.group(1));
  }

  private String csrf(String authorization) throws Exception {
    Matcher m = Pattern.compile("\"csrf\":\"([^\"]+)\"").matcher(get("/supervisor/api/session", authorization).body());
    assertTrue(m.find());
    return m.group(1);
  }

  private HttpResponse<String> get(String path, String authorization) throws InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException notYet) {
      return null;
    }
  }

  private HttpResponse<String> post(String authorization, String csrf, String form) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/supervisor/api/control"))
        .timeout(Duration.ofSeconds(10)).header("Authorization", authorization)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!Boolean.TRUE.equals(condition.call())) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what + "\n" + karaf.log(60));
      }
      Thread.sleep(100);
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static String property(String key) {
    String value = System.getProperty(key);
    if (value == null) {
      throw new IllegalStateException("system property " + key + " is not set (run through mvn verify)");
    }
    return value;
  }
}
