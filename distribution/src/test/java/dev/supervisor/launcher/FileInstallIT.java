package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.launcher.deploy.DeployActivator;
import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./run.sh} offers a newcomer beyond the demo, in the packaged launcher (a child JVM, as
 * {@code run.sh} starts it, with the repository's {@code etc/}): Config Admin with File Install reading
 * {@code etc/dev.supervisor.cfg}, a bundle dropped into {@code deploy/} installed, started and supervised
 * with those defaults, and uninstalled when its jar is deleted; and the supervisor's own log lines on the
 * console (OSGi Log Service, INFO for {@code dev.supervisor}).
 */
class FileInstallIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  /** Ended after each test (SIGTERM, so the framework stops; then by force): see {@link LauncherProcess#close()}. */
  @AutoClose
  private LauncherProcess launcher;

  @Test
  void aJarDroppedIntoDeployIsSupervisedWithTheDefaultsOfEtc() throws Exception {
    Path target = LauncherProcess.target();
    Path repositoryEtc = Path.of(System.getProperty("launcher.etc.source", "../etc")).toAbsolutePath();
    Path bundles = Files.createDirectory(temp.resolve("bundles"));
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(target.resolve("bundles"), "*.jar")) {
      for (Path jar : jars) {
        if (!jar.getFileName().toString().startsWith("supervisor.demo")) {
          Files.copy(jar, bundles.resolve(jar.getFileName()));
        }
      }
    }
    // etc/ as in the repository, plus the defaults a user would write
    Path etc = Files.createDirectory(temp.resolve("etc"));
    try (DirectoryStream<Path> files = Files.newDirectoryStream(repositoryEtc, "*.cfg")) {
      for (Path file : files) {
        Files.copy(file, etc.resolve(file.getFileName()));
      }
    }
    assertTrue(Files.exists(etc.resolve("org.apache.felix.fileinstall-deploy.cfg")), "the repository's etc/");
    Files.writeString(etc.resolve("dev.supervisor.cfg"), "supervisor.restartDelay = PT3S\n");
    Path deploy = temp.resolve("deploy"); // the launcher creates it

    int jmxPort = LauncherProcess.freePort();
    launcher = LauncherProcess.start("FileInstallIT", temp, List.of(
        "-Dlauncher.bundles=" + bundles,
        "-Dlauncher.storage=" + temp.resolve("felix-cache"),
        "-Dlauncher.etc=" + etc,
        "-Dlauncher.deploy=" + deploy,
        "-Djmx.port=" + jmxPort,
        "-Dgosh.args=--nointeractive"));

    await("the launcher's JMX connector and the supervisor MBean", () -> {
      try (JMXConnector jmx = connect(jmxPort)) {
        return jmx.getMBeanServerConnection().isRegistered(new ObjectName("dev.supervisor:type=Supervisor"));
      } catch (IOException notYet) {
        return false;
      }
    });
    assertTrue(Files.isDirectory(deploy), "deploy/ created");
    ObjectName worker = new ObjectName("dev.supervisor:type=Service,name=" + DeployActivator.NAME);
    try (JMXConnector jmx = connect(jmxPort)) {
      MBeanServerConnection server = jmx.getMBeanServerConnection();
      long dropped = System.nanoTime();
      Path jar = TestBundles.write(deploy.resolve("deployed-worker.jar"), DeployActivator.SYMBOLIC_NAME,
          DeployActivator.class);
      await(DeployActivator.NAME + " RUNNING after its jar was dropped into deploy/",
          () -> server.isRegistered(worker) && "RUNNING".equals(server.getAttribute(worker, "State")));
      System.out.printf("FileInstallIT: %s RUNNING %.1f s after the jar was dropped%n", DeployActivator.NAME,
          (System.nanoTime() - dropped) / 1e9);
      assertEquals(DeployActivator.SYMBOLIC_NAME, ((String) server.getAttribute(worker, "Owner")).split(" ")[0]);
      assertEquals("PT3S", spec(server, worker).get("supervisor.restartDelay"), "the default of etc/dev.supervisor.cfg");

      // the README's example of a rejected registration is the product's message, word for word
      ObjectName rejected = new ObjectName("dev.supervisor:type=Service,name=" + DeployActivator.REJECTED);
      await(DeployActivator.REJECTED + " rejected", () -> server.isRegistered(rejected)
          && "REJECTED".equals(server.getAttribute(rejected, "LastErrorKind")));
      String message = (String) server.getAttribute(rejected, "LastErrorMessage");
      System.out.println("FileInstallIT: the rejection: " + message);
      String readme = Files.readString(Path.of(System.getProperty("repository.root", "..")).resolve("README.md"));
      int rejection = readme.indexOf("A bad value rejects **that** registration only");
      int opening = readme.indexOf("```\n", rejection) + 4;
      String shown = readme.substring(opening, readme.indexOf("\n```", opening));
      assertEquals(message, shown, "the README's example rejection (right after 'A bad value rejects')");

      Files.delete(jar);
      await(DeployActivator.NAME + " gone after its jar was deleted", () -> !server.isRegistered(worker));

      // the README's first worker bundle, as built by examples/first-worker, dropped in the same way
      Path example = Path.of(System.getProperty("example.jar", "../examples/first-worker/target/ticker-1.0.0.jar"));
      assertTrue(Files.exists(example), () -> example + " is missing: build examples/first-worker first (mvn verify)");
      Files.copy(example, temp.resolve("ticker.jar"));
      Files.move(temp.resolve("ticker.jar"), deploy.resolve("ticker.jar"), StandardCopyOption.ATOMIC_MOVE);
      ObjectName ticker = new ObjectName("dev.supervisor:type=Service,name=example.ticker");
      await("example.ticker RUNNING and ticking", () -> server.isRegistered(ticker)
          && "RUNNING".equals(server.getAttribute(ticker, "State"))
          && launcher.printed().contains("[example.ticker] tick 1"));
      assertEquals("PT1S", spec(server, ticker).get("supervisor.restartDelay"), "from @SupervisedService");
    }
    String printed = launcher.printed();
    System.out.println("FileInstallIT: the launcher's output:\n" + printed);
    // the supervisor's own log lines reach the console (OSGi Log Service at INFO for dev.supervisor)
    assertTrue(printed.lines().anyMatch(line -> line.startsWith("INFO supervisor.impl dev.supervisor: ")), printed);
  }

  private static JMXConnector connect(int port) throws IOException {
    return JMXConnectorFactory.connect(new JMXServiceURL(
        "service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi"));
  }

  private static Map<String, String> spec(MBeanServerConnection server, ObjectName service) throws Exception {
    Map<String, String> spec = new TreeMap<>();
    for (Object row : ((TabularData) server.getAttribute(service, "Spec")).values()) {
      spec.put((String) ((CompositeData) row).get("key"), (String) ((CompositeData) row).get("value"));
    }
    return spec;
  }

  private void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.call()) {
      if (!launcher.process.isAlive()) {
        throw new AssertionError("the launcher exited with " + launcher.process.exitValue() + " while waiting for " + what
            + ":\n" + launcher.printed());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + DEADLINE.toSeconds() + " s for " + what + "; launcher output:\n"
            + launcher.printed());
      }
      Thread.sleep(100);
    }
  }
}
