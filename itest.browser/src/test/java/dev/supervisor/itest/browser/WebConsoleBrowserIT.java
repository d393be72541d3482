package dev.supervisor.itest.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web console in the product as {@code ./run.sh} starts it (Felix, SCR, Felix HTTP Jetty, the supervisor,
 * the demo), plus this module's bundle of two workers, driven by a real headless Chromium through Selenium
 * and Debian's chromedriver. Skipped, saying why, where no Chromium or chromedriver is installed
 * ({@code .ci/run} installs them).
 *
 * <p>Screenshots of the tree, the graph and the timeline go to {@code target/screenshots}, and to the folder
 * named by {@code -Dscreenshots.dir} (the README's come from {@code -Dscreenshots.dir=$PWD/docs}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleBrowserIT {
  static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));
  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final String ADMIN = basic("admin", "browser-admin");
  static final String VIEWER = basic("viewer", "browser-viewer");
  static final List<String> DEMO = List.of("demo.config", "demo.store", "demo.http", "demo.job", "demo.poller",
      "demo.session", "demo.mailer");

  static Path target;
  static Process product;
  static ChromeDriver driver;
  static String base;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startProductAndBrowser() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: no browser on this machine (" + CHROMIUM + " and " + CHROMEDRIVER + " are needed: "
            + "apt-get install chromium chromium-driver, which .ci/run does when they are missing)");
    Path root = Path.of(System.getProperty("repo.root", "..")).toRealPath();
    target = Path.of(System.getProperty("browser.target", "target")).toAbsolutePath();
    Path work = Files.createDirectories(target.resolve("browser-run"));
    // the product's bundles plus this module's bundle, in a folder of our own; storage of our own too
    Path bundles = work.resolve("bundles");
    deleteTree(bundles);
    Files.createDirectories(bundles);
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(root.resolve("distribution/target/bundles"), "*.jar")) {
      for (Path jar : jars) {
        Files.copy(jar, bundles.resolve(jar.getFileName()));
      }
    }
    Files.copy(Path.of(System.getProperty("browser.bundle")), bundles.resolve("itest.browser.jar"),
        StandardCopyOption.REPLACE_EXISTING);
    Path users = work.resolve("web.users");
    Files.writeString(users, "admin = browser-admin,admin\nviewer = browser-viewer,viewer\n");

    int webPort = freePort();
    ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("run.sh").toString())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(target.resolve("browser-run.log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SKIP_BUILD", "1");
    env.put("WEB_PORT", String.valueOf(webPort));
    env.put("WEB_USERS", users.toString());
    env.put("HTTP_PORT", "0");
    env.put("JMX_PORT", String.valueOf(freePort()));
    env.put("JAVA_OPTS", "-Dlauncher.bundles=" + bundles + " -Dlauncher.storage=" + work.resolve("felix-cache")
        + (System.getProperty("browser.scale") == null ? "" : " -Dbrowser.scale.services=" + Integer.getInteger("browser.scale")));
    product = pb.start();
    base = "http://127.0.0.1:" + webPort + "/supervisor/";
    // with -Dbrowser.scale=10000 the product registers 10,000 more services while it starts (about a minute here)
    until("every demo service RUNNING in ./run.sh's Felix", System.getProperty("browser.scale") == null ? TIMEOUT
        : Duration.ofMinutes(5), () -> {
      if (!product.isAlive()) {
        throw new AssertionError("./run.sh ended with " + product.exitValue() + "; see " + target.resolve("browser-run.log"));
      }
      for (String name : List.of("demo.config", "demo.store", "demo.http", "demo.poller", "demo.mailer", BrowserWorkers.EVIL)) {
        JsonObject service = getJson("api/services?name=" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8));
        if (service == null || !service.get("state").getAsString().equals("RUNNING")) {
          return false;
        }
      }
      return true;
    });

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // the flags a closed network needs (no background connections), and a profile of our own
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + work.resolve("chrome-profile"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(target.resolve("chromedriver.log").toFile())
        .build();
    driver = new ChromeDriver(service, options);
    loginAs(ADMIN);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (driver != null) {
      driver.quit();
    }
    if (product != null) {
      product.destroy(); // SIGTERM: run.sh exec'd the JVM, whose shutdown hook stops the framework
      if (!product.waitFor(30, TimeUnit.SECONDS)) {
        product.destroyForcibly();
      }
    }
  }

  // ------------------------------------------------------------------------------------------ tests

  @Test
  @Order(1)
  void thePageLoadsWithOneGraphNodePerService() {
    open();
    List<String> nodes = strings(js("return Array.from(document.querySelectorAll('#graph-view g.node:not(.ghost)'))"
        + ".map(g => g.getAttribute('data-name'))"));
    Set<String> expected = new TreeSet<>();
    getJson("api/services?limit=1000").getAsJsonArray("services")
        .forEach(s -> expected.add(s.getAsJsonObject().get("name").getAsString()));
    assertEquals(expected, new TreeSet<>(nodes), "one node per supervised service");
    assertEquals(expected.size(), nodes.size(), "and no service twice: " + nodes);
    assertTrue(nodes.containsAll(DEMO), nodes.toString());
    assertEquals("live", driver.findElement(By.id("live")).getText(), "the event stream is connected");
  }

  @Test
  @Order(2)
  void theDerivedEdgeIsDashedAndTheDeclaredOneSolid() {
    List<String> derived = strings(js("const p = document.querySelector(\"path.edge[data-from='demo.mailer'][data-to='demo.store']\");"
        + "return [p.getAttribute('class'), getComputedStyle(p).strokeDasharray];"));
    assertTrue(derived.get(0).contains("derived"), derived.toString());
    assertFalse(derived.get(1).equals("none"), "stroke-dasharray of the derived edge: " + derived);
    List<String> declared = strings(js("const p = document.querySelector(\"path.edge[data-from='demo.poller'][data-to='demo.store']\");"
        + "return [p.getAttribute('class'), getComputedStyle(p).strokeDasharray];"));
    assertTrue(declared.get(0).contains("declared"), declared.toString());
    assertEquals("none", declared.get(1));
  }

  @Test
  @Order(3)
  void restartOnDemoPollerChangesItsRowWithoutAReload() {
    js("window.noReloadMarker = 42;");
    long before = Long.parseLong(cell("demo.poller", "starts"));
    driver.findElement(By.cssSelector("tr[data-name='demo.poller'] button[data-action='restart']")).click();
    until("demo.poller's row to show another start", () -> Long.parseLong(cell("demo.poller", "starts")) > before);
    until("the row RUNNING again", () -> "RUNNING".equals(cell("demo.poller", "state")));
    assertEquals(42L, js("return window.noReloadMarker;"), "the page was not reloaded");
    assertEquals("restart service demo.poller: done", driver.findElement(By.id("message")).getText());
  }

  @Test
  @Order(4)
  void aFailedWorkerTurnsItsRowRed() {
    driver.findElement(By.cssSelector("tr[data-name='" + BrowserWorkers.FLAKY + "'] button[data-action='start']")).click();
    until("browser.flaky's row FAILED", () -> "FAILED".equals(cell(BrowserWorkers.FLAKY, "state")));
    // the changed row flashes yellow for a second first (a CSS animation), then stays red
    until("browser.flaky's row red", () -> {
      int[] rgb = rgb((String) js("return getComputedStyle(document.querySelector(\"tr[data-name='browser.flaky']\")).backgroundColor;"));
      return rgb[0] > 200 && rgb[0] - rgb[1] > 30 && rgb[0] - rgb[2] > 30;
    });
    assertTrue(cell(BrowserWorkers.FLAKY, "err").contains("flaky on purpose"));
    String node = (String) js("return document.querySelector(\"#graph-view g.node[data-name='browser.flaky']\").getAttribute('class');");
    assertTrue(node.contains("state-FAILED"), "the graph node follows: " + node);
  }

  @Test
  @Order(5)
  void aNameWithHtmlShowsAsTextAndRunsNothing() {
    Object shown = js("const row = Array.from(document.querySelectorAll('#services tr.svc')).find(r => r.dataset.name === arguments[0]);"
        + "return row ? row.querySelector('td.name').textContent : null;", BrowserWorkers.EVIL);
    assertEquals(BrowserWorkers.EVIL, shown);
    assertEquals(0L, js("return document.querySelectorAll('img').length;"), "no <img> element was made from the name");
    Object inGraph = js("return Array.from(document.querySelectorAll('#graph-view g.node text')).some(t => t.textContent.startsWith('<img'));");
    assertEquals(Boolean.TRUE, inGraph);
    assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
  }

  @Test
  @Order(6)
  void aViewerSeesNoControlsAndGets403() {
    loginAs(VIEWER);
    try {
      open();
      WebElement restart = driver.findElement(By.cssSelector("tr[data-name='demo.poller'] button[data-action='restart']"));
      assertFalse(restart.isDisplayed(), "no action buttons for a viewer");
      Object status = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
          + "fetch('api/session').then(r => r.json()).then(s => fetch('api/control', {method: 'POST',"
          + " headers: {'X-CSRF-Token': s.csrf, 'Content-Type': 'application/x-www-form-urlencoded'},"
          + " body: 'target=service&name=demo.poller&action=restart'})).then(r => done(r.status), e => done(String(e)));");
      assertEquals(403L, status);
    } finally {
      loginAs(ADMIN);
    }
  }

  @Test
  @Order(7)
  void screenshotsOfTheTreeTheGraphAndTheTimeline() throws IOException {
    driver.manage().window().setSize(new Dimension(1400, 2200));
    open();
    // a focused neighbourhood for the picture of the graph would hide most of the demo: the whole graph
    Path shots = Files.createDirectories(target.resolve("screenshots"));
    List<Path> made = new ArrayList<>();
    for (String section : List.of("tree", "graph", "timeline")) {
      WebElement element = driver.findElement(By.id(section));
      js("arguments[0].scrollIntoView();", element);
      Path png = shots.resolve("webconsole-" + section + ".png");
      Files.write(png, element.getScreenshotAs(OutputType.BYTES));
      assertTrue(Files.size(png) > 5_000, png + " is a real picture");
      made.add(png);
    }
    String docs = System.getProperty("screenshots.dir");
    if (docs != null && !docs.isBlank()) {
      for (Path png : made) {
        Files.copy(png, Path.of(docs).resolve(png.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /**
   * A measured run, not part of the build: {@code -Dbrowser.scale=10000} makes this module's bundle add that many
   * services to the product, and this test times the page with them. The other tests expect the demo alone,
   * so run it by itself:
   * {@code mvn -B verify -pl itest.browser -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
   * -Dit.test='WebConsoleBrowserIT#aPageWithManyServices' -Dbrowser.scale=10000}.
   */
  @Test
  @Order(8)
  @EnabledIfSystemProperty(named = "browser.scale", matches = "[0-9]+")
  void aPageWithManyServices() throws IOException {
    int n = Integer.getInteger("browser.scale");
    long t0 = System.nanoTime();
    until(n + " extra services RUNNING", Duration.ofMinutes(5), () -> {
      JsonObject all = getJson("api/services?state=RUNNING&q=browser.scale-&limit=1");
      return all != null && all.get("matched").getAsInt() == n;
    });
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "page with %,d + demo services in headless Chromium"
        + " (all RUNNING %d s after the product answered)%n", n, (System.nanoTime() - t0) / 1_000_000_000));
    long[] loads = new long[5];
    for (int i = 0; i < loads.length; i++) {
      t0 = System.nanoTime();
      open();
      loads[i] = (System.nanoTime() - t0) / 1_000_000;
    }
    Arrays.sort(loads);
    report.append(String.format(Locale.ROOT, "load (navigation until data shown and the stream connected): median %d ms, slowest %d ms%n", loads[2], loads[4]));
    assertEquals(100L, js("return document.querySelectorAll('#services tr.svc').length;"), "100 rows a page");
    assertTrue(driver.findElement(By.id("graph-view")).getText().contains("too many to draw"));
    t0 = System.nanoTime();
    js("document.getElementById('g-focus').value = arguments[0]; document.getElementById('g-show').click();", "browser.scale-05000");
    until("the neighbourhood drawn", () -> Boolean.TRUE.equals(js("return !!document.querySelector(\"#graph-view g.node.focus\");")));
    report.append(String.format(Locale.ROOT, "neighbourhood of one service drawn in %d ms (%s nodes)%n", (System.nanoTime() - t0) / 1_000_000,
        js("return document.querySelectorAll('#graph-view g.node').length;")));
    t0 = System.nanoTime();
    js("document.getElementById('f-name').value = 'scale-0999'; document.getElementById('f-name').dispatchEvent(new Event('input'));");
    until("the filtered tree", () -> Long.valueOf(10).equals(js("return document.querySelectorAll('#services tr.svc').length;")));
    report.append(String.format(Locale.ROOT, "name filter to 10 rows in %d ms (250 ms of it is the typing pause)%n", (System.nanoTime() - t0) / 1_000_000));
    // live updates through a restart of everything: the page must keep answering
    HttpResponse<String> posted;
    try {
      String csrf = getJson("api/session").get("csrf").getAsString();
      posted = http.send(HttpRequest.newBuilder(URI.create(base + "api/control")).header("Authorization", ADMIN)
          .header("X-CSRF-Token", csrf).header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("target=all&name=&action=restart")).build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertEquals(200, posted.statusCode(), posted.body());
    t0 = System.nanoTime();
    long slowest = 0;
    while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15)) {
      long s = System.nanoTime();
      js("return document.querySelectorAll('#services tr').length;");
      slowest = Math.max(slowest, (System.nanoTime() - s) / 1_000_000);
    }
    report.append(String.format(Locale.ROOT, "during restartAll: the slowest answer of the page to a script call in 15 s was %d ms; JS heap %s MB%n",
        slowest, js("return performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1e6) : 'n/a';")));
    System.out.println("\n--- " + report);
    Files.writeString(target.resolve("browser-scale-report.md"), report.toString());
  }

  // ------------------------------------------------------------------------------------------ helpers

  private static void open() {
    driver.get(base);
    until("the page to load its data", () -> "true".equals(js("return document.body.getAttribute('data-ready');")));
    until("the event stream to connect", () -> "live".equals(driver.findElement(By.id("live")).getText()));
  }

  /** Every request of the browser carries these Basic credentials (Chrome DevTools, through chromedriver). */
  private static void loginAs(String authorization) {
    driver.executeCdpCommand("Network.enable", Map.of());
    driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", authorization)));
  }

  private static String cell(String service, String cls) {
    Object text = js("const row = Array.from(document.querySelectorAll('#services tr.svc')).find(r => r.dataset.name === arguments[0]);"
        + "return row ? row.querySelector('td.' + arguments[1]).textContent : null;", service, cls);
    return text == null ? "" : text.toString();
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<Object>) list) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  private static int[] rgb(String css) {
    String[] parts = css.replaceAll("[^0-9,]", "").split(",");
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
  }

  private static JsonObject getJson(String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", ADMIN)
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      JsonElement e = JsonParser.parseString(r.body());
      return e.getAsJsonObject();
    } catch (IOException e) {
      return null; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Polls until the condition holds or the deadline passes; never a fixed sleep. */
  private static void until(String what, Supplier<Boolean> condition) {
    until(what, TIMEOUT, condition);
  }

  private static void until(String what, Duration timeout, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() - deadline < 0) {
      try {
        if (Boolean.TRUE.equals(condition.get())) {
          return;
        }
        last = null;
      } catch (AssertionError e) {
        throw e;
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
    throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
        + (last == null ? "" : "; last error: " + last), last);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
