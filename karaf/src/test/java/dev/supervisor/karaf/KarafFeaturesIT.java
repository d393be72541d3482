package dev.supervisor.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.karaf.flaky.FlakyActivator;
import dev.supervisor.karaf.plain.PlainActivator;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Karaf features in a real Apache Karaf (4.4.10, see the pom): {@code feature:repo-add} of the built
 * features.xml by its mvn: URL, {@code feature:install supervisor-api supervisor supervisor-shell
 * supervisor-demo} through {@code bin/client}, then the demo over JMX (Karaf's RMI connector, with
 * credentials, so the JMX ACL applies), a DS component supervised and gated on a readiness condition, the
 * shell commands, a live change of {@code etc/dev.supervisor.cfg}, and the implementation uninstalled and
 * installed again under a running worker bundle. One Karaf for the whole class, stopped at the end
 * whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KarafFeaturesIT {
  private static final String DOMAIN = "dev.supervisor";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> STEADY = List.of("demo.config", "demo.store", "demo.http", PlainActivator.NAME);

  private final String version = property("it.project.version");
  private long started;
  private KarafProcess karaf;
  private JMXConnector admin;
  private String installOutput;

  @BeforeAll
  void startKarafAndInstallTheFeatures() throws Exception {
    started = System.nanoTime();
    Path repo = Paths.get(property("it.karaf.repo"));
    // The features.xml goes where its mvn: URL points: mvn:dev.supervisor/karaf/<version>/xml/features.
    Path features = repo.resolve("dev/supervisor/karaf/" + version + "/karaf-" + version + "-features.xml");
    Files.createDirectories(features.getParent());
    Files.copy(Paths.get(property("it.features.file")), features, StandardCopyOption.REPLACE_EXISTING);
    Path run = Paths.get(property("it.karaf.run"));
    karaf = new KarafProcess(Paths.get(property("it.karaf.home")), run, List.of(repo),
        Paths.get(property("maven.repo.local")), property("it.karaf.java.home"),
        Map.of("demo.http.port", "0", "java.rmi.server.hostname", "127.0.0.1"));
    Path plainBundle = plainBundle(run.resolveSibling("karaf-plain-worker.jar"));
    karaf.start(WAIT);
    System.out.printf("Karaf up (JMX) after %.1f s%n", seconds());

    installOutput = karaf.client(
        "feature:repo-add mvn:dev.supervisor/karaf/" + version + "/xml/features",
        "feature:install supervisor-api supervisor supervisor-shell supervisor-demo",
        "bundle:install -s " + plainBundle.toUri(),
        "bundle:install -s " + Paths.get(property("it.example.jar")).toUri(),
        "feature:list -i | grep supervisor");
    System.out.println("--- bin/client (install):\n" + installOutput);
    System.out.printf("features installed after %.1f s%n", seconds());
    assertFalse(installOutput.contains("Error"), installOutput + "\n" + karaf.log(60));
    admin = karaf.connect(KarafProcess.ADMIN, KarafProcess.ADMIN);
  }

  @AfterAll
  void stopKaraf() throws Exception {
    try {
      if (admin != null) {
        admin.close();
      }
    } finally {
      if (karaf != null) {
        karaf.close();
        assertFalse(karaf.isAlive(), "Karaf is still running");
      }
      System.out.printf("Karaf test took %.1f s (start, install, tests, stop)%n", seconds());
    }
  }

  @Test
  @Order(1)
  void featuresAreInstalled() {
    String plain = installOutput.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
    for (String feature : List.of("supervisor-api", "supervisor", "supervisor-shell", "supervisor-demo")) {
      String row = Pattern.quote(feature) + "\\s*\\|.*\\|\\s*Started\\s*\\|.*";
      assertTrue(plain.lines().anyMatch(line -> line.matches(row)),
          feature + " Started in\n" + installOutput);
    }
  }

  @Test
  @Order(2)
  void demoWorkersReachRunningAndShowOverJmx() throws Exception {
    MBeanServerConnection server = admin.getMBeanServerConnection();
    for (String name : STEADY) {
      awaitState(server, name, "RUNNING");
    }
    // The flaky poller and the session that ends every 5 s: each is RUNNING at some point.
    awaitState(server, "demo.poller", "RUNNING");
    awaitState(server, "demo.session", "RUNNING");
    // the README's first worker bundle runs in Karaf as it is; uninstalled again to keep the README's shell
    // example (8 services) as it is
    awaitState(server, "example.ticker", "RUNNING");
    String uninstalled = karaf.client("bundle:uninstall ticker");
    await("example.ticker to go with its bundle (" + uninstalled.strip() + ")",
        () -> !server.isRegistered(service("example.ticker")));
    await("demo.job to have run", () -> (Long) server.getAttribute(service("demo.job"), "StartCount") >= 1);
    assertEquals("supervisor.demo", ((String) server.getAttribute(service("demo.store"), "Owner")).split(" ")[0]);
    assertTrue(server.isRegistered(new ObjectName(DOMAIN + ":type=Supervisor")));
    assertTrue(server.isRegistered(new ObjectName(DOMAIN + ":type=Group,name=\"\"")));
    assertEquals(List.of("demo.config"),
        List.of((String[]) server.getAttribute(service("demo.store"), "Dependencies")));
  }

  /**
   * demo.mailer is a plain DS component supervised as it is ({@code supervisor.component=true}), gated on the
   * readiness condition {@code supervisor.demo.store}: it activates only if the supervisor registers that
   * condition in Karaf (Karaf's framework does not export the condition API; feature supervisor brings it),
   * and the supervisor derives its dependency on demo.store from the gate.
   */
  @Test
  @Order(3)
  void aDsComponentGatedOnAReadinessConditionIsSupervised() throws Exception {
    MBeanServerConnection server = admin.getMBeanServerConnection();
    awaitState(server, "demo.mailer", "RUNNING");
    assertEquals(List.of("demo.store"),
        List.of((String[]) server.getAttribute(service("demo.mailer"), "DerivedDependencies")));
    assertEquals(List.of(), List.of((String[]) server.getAttribute(service("demo.mailer"), "DeclaredDependencies")));
    // its activate fails twice on purpose: the supervisor retried it
    assertTrue((Long) server.getAttribute(service("demo.mailer"), "FailureCount") >= 2);
    String output = karaf.client("service:list org.osgi.service.condition.Condition");
    System.out.println("--- bin/client (conditions):\n" + output);
    assertTrue(output.contains("osgi.condition.id = supervisor.demo.store"), output);
  }

  @Test
  @Order(4)
  void viewerReadsButMayNotStop() throws Exception {
    try (JMXConnector viewer = karaf.connect(KarafProcess.VIEWER, KarafProcess.VIEWER)) {
      MBeanServerConnection server = viewer.getMBeanServerConnection();
      assertEquals("RUNNING", server.getAttribute(service("demo.config"), "State"));
      assertEquals("PT1S", spec(server, "demo.config").get("supervisor.restartDelay"));
      assertTrue(server.getAttribute(new ObjectName(DOMAIN + ":type=Supervisor"), "ServiceCount") instanceof Integer);
      SecurityException refused = assertThrows(SecurityException.class,
          () -> server.invoke(service("demo.http"), "stop", null, null));
      System.out.println("viewer's stop refused: " + refused.getMessage());
      assertThrows(SecurityException.class,
          () -> server.invoke(new ObjectName(DOMAIN + ":type=Supervisor"), "stopAll", null, null));
    }
    assertEquals("RUNNING", admin.getMBeanServerConnection().getAttribute(service("demo.http"), "State"),
        "the refused stop did nothing");
  }

  @Test
  @Order(5)
  void adminStopsAndRestarts() throws Exception {
    MBeanServerConnection server = admin.getMBeanServerConnection();
    server.invoke(service("demo.http"), "stop", null, null);
    awaitState(server, "demo.http", "STOPPED");
    server.invoke(service("demo.http"), "restart", null, null);
    awaitState(server, "demo.http", "RUNNING");
  }

  @Test
  @Order(6)
  void shellCommandsListAndExplain() throws Exception {
    // Batch mode ends at the first command that fails: the unknown name comes last.
    String output = karaf.client("supervisor:list", "supervisor:tree", "supervisor:info demo.store",
        "supervisor:stop demo.http", "supervisor:list --state STOPPED,IDLE", "supervisor:start demo.http",
        "supervisor:graph", "supervisor:info no.such.service");
    System.out.println("--- bin/client (shell):\n" + output);
    assertTrue(output.contains("NAME "), output);
    for (String name : List.of("demo.config", "demo.store", "demo.http", "demo.poller", "demo.job", "demo.session",
        PlainActivator.NAME)) {
      assertTrue(output.lines().anyMatch(line -> line.startsWith(name + " ")), name + " listed in\n" + output);
    }
    assertTrue(output.contains("|-- demo.store [RUNNING] -> demo.config"), output);
    assertTrue(output.contains("    supervisor.dependsOn               demo.config"), output);
    assertTrue(output.contains("no service named 'no.such.service'"), output);
    assertFalse(output.contains("\tat "), "no stack trace in\n" + output);
    assertTrue(output.contains("demo.http: stop requested (was RUNNING)"), output);
    assertTrue(output.contains("digraph supervisor {"), output);
    awaitState(admin.getMBeanServerConnection(), "demo.http", "RUNNING");
  }

  @Test
  @Order(7)
  void configurationChangesTheDefaultsLive() throws Exception {
    MBeanServerConnection server = admin.getMBeanServerConnection();
    assertEquals("PT0.1S", spec(server, PlainActivator.NAME).get("supervisor.restartDelay"));
    Path cfg = karaf.home.resolve("etc/dev.supervisor.cfg");
    Files.writeString(cfg, "supervisor.restartDelay = PT3S\nsupervisor.group.failureBackoff = PT20S\n");
    long written = System.nanoTime();
    await("supervisor.restartDelay of " + PlainActivator.NAME + " to become PT3S",
        () -> "PT3S".equals(spec(server, PlainActivator.NAME).get("supervisor.restartDelay")));
    System.out.printf("etc/dev.supervisor.cfg applied after %.1f s%n", (System.nanoTime() - written) / 1e9);
    assertEquals(20_000L, server.getAttribute(new ObjectName(DOMAIN + ":type=Group,name=\"\""), "FailureBackoff"));
    assertEquals("PT0.5S", spec(server, "demo.poller").get("supervisor.restartDelay"), "a service's own value wins");
    // Issue 14: an element @SupervisedService leaves out is no property, so the configured default reaches it.
    await("supervisor.restartDelay of demo.job (@SupervisedService without restartDelay) to become PT3S",
        () -> "PT3S".equals(spec(server, "demo.job").get("supervisor.restartDelay")));
    assertEquals("RUNNING", server.getAttribute(service(PlainActivator.NAME), "State"), "not disturbed");
  }

  /**
   * The contract apart from the implementation: with feature supervisor-api installed on its own, the
   * implementation goes and comes back under a worker bundle that stays ACTIVE, and its worker is supervised
   * again without a refresh or a start by hand.
   */
  /**
   * The README's Karaf shell example is real output: this runs the same commands, writes the transcript to
   * {@code target/karaf-shell-transcript.txt} (paste it into the README when the output changes), and checks
   * the README's block against it: the same services in {@code supervisor:list}, the same fields in
   * {@code supervisor:info}, and the same lines where nothing depends on time.
   */
  @Test
  @Order(8)
  void theReadmeShellExampleIsRealOutput() throws Exception {
    List<String> commands = List.of("supervisor:list", "supervisor:tree", "supervisor:info demo.poller",
        "supervisor:restart --all", "supervisor:stop demo.nope");
    // One client session (each costs seconds on a loaded machine): an echo of the prompt before each command.
    // The unknown name comes last: batch mode ends at the first command that fails.
    List<String> batch = new ArrayList<>();
    for (String command : commands) {
      batch.add("echo '" + PROMPT + command + "'");
      batch.add(command);
    }
    String transcript = plain(karaf.client(batch.toArray(String[]::new))).replace("\r", "").stripTrailing() + "\n";
    Path file = Paths.get(property("it.karaf.run")).resolveSibling("karaf-shell-transcript.txt");
    Files.writeString(file, transcript);
    System.out.println("--- transcript (" + file + "):\n" + transcript);

    String readme = Files.readString(Paths.get(property("it.readme")));
    int from = readme.indexOf("```\n" + PROMPT + commands.get(0));
    assertTrue(from >= 0, "README has a block starting with " + PROMPT + commands.get(0));
    String block = readme.substring(from + 4, readme.indexOf("```", from + 4));
    Map<String, String> expected = sections(block);
    Map<String, String> actual = sections(transcript);
    assertEquals(actual.keySet(), expected.keySet(), "the README's commands");
    assertEquals(listedNames(actual.get("supervisor:list")), listedNames(expected.get("supervisor:list")),
        "services in the README's supervisor:list");
    assertEquals(lastLine(actual.get("supervisor:list")).replaceAll(":.*", ""),
        lastLine(expected.get("supervisor:list")).replaceAll(":.*", ""), "the README's count of services");
    assertEquals(infoFields(actual.get("supervisor:info demo.poller")),
        infoFields(expected.get("supervisor:info demo.poller")), "fields of the README's supervisor:info");
    for (String exact : List.of("supervisor:restart --all", "supervisor:stop demo.nope")) {
      assertEquals(actual.get(exact), expected.get(exact), "the README's output of " + exact);
    }
    MBeanServerConnection server = admin.getMBeanServerConnection();
    for (String name : STEADY) {
      awaitState(server, name, "RUNNING");
    }
  }

  private static final String PROMPT = "karaf@root()> ";

  /** @return command -> its output, from a transcript of prompt lines and output lines */
  private static Map<String, String> sections(String transcript) {
    Map<String, String> sections = new java.util.LinkedHashMap<>();
    String command = null;
    StringBuilder output = new StringBuilder();
    for (String line : transcript.split("\n")) {
      if (line.startsWith(PROMPT)) {
        if (command != null) {
          sections.put(command, output.toString().stripTrailing());
        }
        command = line.substring(PROMPT.length()).strip();
        output.setLength(0);
      } else {
        output.append(line).append('\n');
      }
    }
    if (command != null) {
      sections.put(command, output.toString().stripTrailing());
    }
    return sections;
  }

  /** @return the first column of a supervisor:list table, header and summary left out */
  private static List<String> listedNames(String list) {
    List<String> lines = list.lines().toList();
    return lines.subList(1, lines.size() - 1).stream().map(line -> line.split(" +")[0]).toList();
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().toList();
    return lines.get(lines.size() - 1);
  }

  /** @return the labels of supervisor:info (the text before the column of values), in order */
  private static List<String> infoFields(String info) {
    return info.lines().filter(line -> line.matches("  \\S.*")).map(line -> line.strip().split(" {2,}")[0])
        .toList();
  }

  /**
   * Feature supervisor-health: Felix Health Checks run by {@code hc:exec} in the Karaf shell and served over
   * HTTP by Pax Web at {@code /system/health/supervisor.json}: 200 while the groups are OK or WARN, 503 with
   * CRITICAL once a worker is FAILED, 200 again when it is gone.
   */
  @Test
  @Order(9)
  void healthChecksGoCriticalInTheShellAndOverHttp() throws Exception {
    String installed = karaf.client("feature:install supervisor-health");
    assertFalse(installed.contains("Error"), installed + "\n" + karaf.log(60));
    URI health = URI.create("http://127.0.0.1:" + karaf.httpPort + "/system/health/supervisor.json");
    HttpResponse<String> ok = awaitHealth(health, 200, "\"overallResult\":\"");
    System.out.println("--- GET " + health + " (all fine): " + ok.statusCode() + "\n" + ok.body());
    assertFalse(ok.body().contains("CRITICAL"), ok.body());

    MBeanServerConnection server = admin.getMBeanServerConnection();
    Path flaky = bundle(Paths.get(property("it.karaf.run")).resolveSibling("karaf-flaky-worker.jar"),
        "supervisor.karaf.flakyworker", FlakyActivator.class);
    try {
      karaf.client("bundle:install -s " + flaky.toUri());
      awaitState(server, FlakyActivator.NAME, "FAILED");
      HttpResponse<String> critical = awaitHealth(health, 503, "CRITICAL");
      System.out.println("--- GET " + health + " (" + FlakyActivator.NAME + " FAILED): " + critical.statusCode()
          + "\n" + critical.body());
      assertTrue(critical.body().contains("service '" + FlakyActivator.NAME + "' is FAILED"), critical.body());
      // hc:exec returns its report, which Karaf's batch mode does not print by itself: keep it in a variable and
      // echo it, in brackets (the report starts with dashes, which echo would take for options)
      String exec = plain(karaf.client("report = (hc:exec supervisor) ; echo \"[$report]\""));
      System.out.println("--- bin/client (hc:exec supervisor):\n" + exec);
      assertTrue(exec.contains("Overall Health Result: CRITICAL"), exec);
      assertTrue(exec.contains("Supervisor group (root)"), exec);
    } finally {
      // whatever happened: the next test uninstalls feature supervisor, which supervisor-health would keep
      karaf.client("bundle:uninstall supervisor.karaf.flakyworker");
      await(FlakyActivator.NAME + " to go", () -> !server.isRegistered(service(FlakyActivator.NAME)));
      awaitHealth(health, 200, "\"overallResult\":\"");
      String uninstalled = karaf.client("feature:uninstall supervisor-health");
      assertFalse(uninstalled.contains("Error"), uninstalled);
    }
  }

  /** Polls the URL until it answers the status with a body containing the text (Felix HC caches for 2 s). */
  private HttpResponse<String> awaitHealth(URI uri, int status, String text) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpResponse<String>[] last = new HttpResponse[1];
    await("GET " + uri + " to answer " + status + " with " + text, () -> {
      try {
        last[0] = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        return last[0].statusCode() == status && last[0].body().contains(text);
      } catch (java.io.IOException notYet) {
        return false;
      }
    });
    return last[0];
  }

  /**
   * Feature supervisor-jolokia: Jolokia's REST endpoint (the real OSGi agent, {@code org.jolokia:jolokia-osgi}
   * 1.7.2, on Karaf's http feature, users from Karaf's JAAS realm) reads the Service MBeans and runs
   * {@code restart} as the karaf user; a viewer reads but is refused the operation (Karaf's JMX ACL, applied
   * by supervisor.jolokia's restrictor); a wrong password gets 401. (Hawtio 2.17.7, which reads JMX through
   * Jolokia, cannot be installed here: its war is not served.)
   */
  @Test
  @Order(10)
  void jolokiaReadsForEveryUserAndRunsOperationsForManagersOnly() throws Exception {
    String installed = karaf.client("feature:install supervisor-jolokia");
    assertFalse(installed.contains("Error"), installed + "\n" + karaf.log(60));
    String base = "http://127.0.0.1:" + karaf.httpPort + "/jolokia";
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String[] version = new String[1];
    await("Jolokia at " + base + "/version", () -> {
      try {
        HttpResponse<String> answer = http.send(jolokia(base + "/version", KarafProcess.ADMIN, KarafProcess.ADMIN),
            HttpResponse.BodyHandlers.ofString());
        version[0] = answer.body();
        return answer.statusCode() == 200 && answer.body().contains("\"agent\"");
      } catch (java.io.IOException notYet) {
        return false;
      }
    });
    System.out.println("--- Jolokia version: " + version[0]);

    for (String user : List.of(KarafProcess.ADMIN, KarafProcess.VIEWER)) {
      HttpResponse<String> states = http.send(jolokia(base + "/read/dev.supervisor:type=Service,name=*/State",
          user, user), HttpResponse.BodyHandlers.ofString());
      System.out.println("--- Jolokia read of every State as " + user + ": " + states.body());
      assertEquals(200, states.statusCode(), states.body());
      assertTrue(states.body().contains("\"dev.supervisor:name=demo.store,type=Service\":{\"State\":\"RUNNING\"}"),
          states.body());
    }
    HttpResponse<String> wrong = http.send(jolokia(base + "/version", KarafProcess.VIEWER, "wrong"),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, wrong.statusCode(), "a wrong password: " + wrong.body());

    MBeanServerConnection server = admin.getMBeanServerConnection();
    String restart = base + "/exec/dev.supervisor:type=Service,name=demo.http/restart()";
    long starts = (Long) server.getAttribute(service("demo.http"), "StartCount");
    HttpResponse<String> viewer = http.send(jolokia(restart, KarafProcess.VIEWER, KarafProcess.VIEWER),
        HttpResponse.BodyHandlers.ofString());
    System.out.println("--- Jolokia exec restart as viewer: " + viewer.body());
    assertTrue(viewer.body().contains("\"status\":403"), viewer.body());
    assertEquals(starts, (Long) server.getAttribute(service("demo.http"), "StartCount"), "the refused restart did nothing");

    HttpResponse<String> manager = http.send(jolokia(restart, KarafProcess.ADMIN, KarafProcess.ADMIN),
        HttpResponse.BodyHandlers.ofString());
    System.out.println("--- Jolokia exec restart as karaf: " + manager.body());
    assertTrue(manager.body().contains("\"status\":200"), manager.body());
    await("demo.http started again after the restart through Jolokia", () ->
        (Long) server.getAttribute(service("demo.http"), "StartCount") > starts
            && "RUNNING".equals(server.getAttribute(service("demo.http"), "State")));
    String uninstalled = karaf.client("feature:uninstall supervisor-jolokia");
    assertFalse(uninstalled.contains("Error"), uninstalled);
  }

  private static HttpRequest jolokia(String url, String user, String password) {
    String basic = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .header("Authorization", "Basic " + basic).build();
  }

  @Test
  @Order(11)
  void theImplementationIsUninstalledAndInstalledAgainUnderARunningWorker() throws Exception {
    MBeanServerConnection server = admin.getMBeanServerConnection();
    awaitState(server, PlainActivator.NAME, "RUNNING");
    String uninstalled = karaf.client("feature:uninstall supervisor-demo supervisor-shell supervisor",
        "feature:list -i | grep supervisor", "bundle:list -s -t 0 | grep -i supervisor");
    System.out.println("--- bin/client (uninstall):\n" + uninstalled);
    await("the supervisor's MBeans to go", () -> !server.isRegistered(new ObjectName(DOMAIN + ":type=Supervisor")));
    assertTrue(bundleLine(uninstalled, "supervisor.karaf.plainworker").contains("Active"), uninstalled);
    assertTrue(bundleLine(uninstalled, "supervisor.api").contains("Active"), uninstalled);
    assertFalse(plain(uninstalled).contains("supervisor.impl"), uninstalled);

    String installed = karaf.client("feature:install supervisor", "bundle:list -s -t 0 | grep -i supervisor");
    System.out.println("--- bin/client (install again):\n" + installed);
    assertFalse(installed.contains("Error"), installed + "\n" + karaf.log(60));
    awaitState(server, PlainActivator.NAME, "RUNNING");
    assertEquals("supervisor.karaf.plainworker",
        ((String) server.getAttribute(service(PlainActivator.NAME), "Owner")).split(" ")[0]);
    assertTrue(bundleLine(installed, "supervisor.karaf.plainworker").contains("Active"), installed);
  }

  // ---------------------------------------------------------------- helpers

  /** @return the line of {@code bundle:list} output that names the bundle (colours of grep taken out), or "" */
  private static String bundleLine(String output, String symbolicName) {
    return plain(output).lines().filter(line -> line.contains(symbolicName)).findFirst().orElse("");
  }

  /** @return the client's output without the colours of Karaf's grep */
  private static String plain(String output) {
    return output.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
  }

  private static ObjectName service(String name) throws Exception {
    return new ObjectName(DOMAIN + ":type=Service,name=" + name);
  }

  private static Map<String, String> spec(MBeanServerConnection server, String name) throws Exception {
    TabularData table = (TabularData) server.getAttribute(service(name), "Spec");
    Map<String, String> spec = new TreeMap<>();
    for (Object row : table.values()) {
      CompositeData entry = (CompositeData) row;
      spec.put((String) entry.get("key"), (String) entry.get("value"));
    }
    return spec;
  }

  private void awaitState(MBeanServerConnection server, String name, String state) throws Exception {
    await(name + " to be " + state, () -> server.isRegistered(service(name))
        && state.equals(server.getAttribute(service(name), "State")));
  }

  private void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "\n" + karaf.log(60));
      }
      Thread.sleep(100);
    }
  }

  private double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  private static String property(String key) {
    String value = System.getProperty(key);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("system property " + key + " is not set: run this test with Maven (failsafe)");
    }
    return value;
  }

  /** Packs this test's {@code dev.supervisor.karaf.plain} classes into a bundle: the plain worker. */
  private static Path plainBundle(Path jar) throws Exception {
    return bundle(jar, "supervisor.karaf.plainworker", PlainActivator.class);
  }

  /**
   * Packs the classes of an activator's package (from the test classes) into a bundle that imports the
   * supervisor API and the framework.
   */
  private static Path bundle(Path jar, String symbolicName, Class<?> activator) throws Exception {
    Path classes = Paths.get(activator.getProtectionDomain().getCodeSource().getLocation().toURI());
    String packagePath = activator.getPackageName().replace('.', '/');
    Path packageDir = classes.resolve(packagePath);
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", symbolicName);
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Bundle-Activator", activator.getName());
    main.putValue("Import-Package", "dev.supervisor.api;version=\"[1.0,2)\",org.osgi.framework;version=\"[1.8,2)\"");
    Files.createDirectories(jar.getParent());
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        Stream<Path> entries = Files.list(packageDir)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        out.putNextEntry(new JarEntry(packagePath + "/" + entry.getFileName()));
        out.write(Files.readAllBytes(entry));
        out.closeEntry();
      }
    }
    return jar;
  }
}
