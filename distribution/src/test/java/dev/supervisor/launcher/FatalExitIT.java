package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.launcher.fatal.FatalActivator;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance switch end to end: the launcher of this module ({@code target/launcher.jar},
 * {@code target/lib}, {@code target/bundles} as {@code mvn package} leaves them) runs in a child JVM with
 * {@code -Ddev.supervisor.fatal.stopFramework=true} and one extra bundle, built here, whose worker throws
 * {@code FatalException(42)}; the supervisor stops every service, then the framework, and the launcher
 * exits with 42. The same bundle, told so, instead has a significant worker that finishes in a root group
 * that auto-shuts down: the launcher exits 0.
 *
 * <p>It cannot run inside a test framework (stopping the framework would end the test run), hence a
 * separate process, run by failsafe after {@code package}. The child is always ended, even when an
 * assertion fails.
 */
class FatalExitIT {

  /** Generous: a passing run takes a second or two. */
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  private Process launcher;
  /** Ends the child should this JVM be stopped (Ctrl-C on the build) before the test's own clean-up. */
  private Thread reaper;

  @AfterEach
  void endTheLauncher() throws InterruptedException {
    if (launcher == null) {
      return;
    }
    Runtime.getRuntime().removeShutdownHook(reaper);
    launcher.descendants().forEach(ProcessHandle::destroyForcibly);
    if (launcher.isAlive()) {
      launcher.destroyForcibly();
      launcher.waitFor(10, TimeUnit.SECONDS);
    }
    assertTrue(!launcher.isAlive(), () -> "the launcher (pid " + launcher.pid() + ") did not end");
  }

  @Test
  void aFatalErrorWithTheFrameworkStopSwitchEndsTheProcessWithTheWorkersStatus() throws Exception {
    String printed = runUntilExit(FatalActivator.EXIT_STATUS);
    // In this order, each caused by the one before: the base worker running (it is ready only after printing),
    // the fatal error (its worker starts only once the base is RUNNING), the base worker stopped by the
    // supervisor, the framework stopped (the supervisor's termination waits for every service), and the
    // launcher exiting with the worker's status. (The listener's lines in between are for diagnosis only:
    // they come from a dispatcher thread, and the last ones may be cut off when the framework stops.)
    assertInOrder(printed,
        FatalActivator.PREFIX + FatalActivator.BASE + ": running",
        FatalActivator.PREFIX + FatalActivator.TRIGGER + ": " + FatalActivator.BASE
            + " is RUNNING; throwing FatalException(42)",
        FatalActivator.PREFIX + FatalActivator.BASE + ": stopped",
        "launcher: framework stopped",
        "launcher: the supervisor stopped the framework after a fatal error; exit status 42");
  }

  /**
   * Auto-shutdown (issue 14): a significant worker in a root group whose autoShutdown is ANY_SIGNIFICANT
   * returns when its work is done; the supervisor stops the rest in reverse order and ends normally, and with
   * the framework stop switch the launcher exits 0.
   */
  @Test
  void aSignificantWorkerThatIsDoneEndsTheLauncherWithStatusZero() throws Exception {
    String printed = runUntilExit(0, "-D" + FatalActivator.MODE + "=" + FatalActivator.AUTO_SHUTDOWN);
    assertInOrder(printed,
        FatalActivator.PREFIX + FatalActivator.BASE + ": running",
        FatalActivator.PREFIX + FatalActivator.TRIGGER + ": " + FatalActivator.BASE
            + " is RUNNING; my work is done, returning",
        FatalActivator.PREFIX + FatalActivator.BASE + ": stopped",
        "launcher: framework stopped",
        "launcher: the supervisor stopped the framework at a service's request; exit status 0");
  }

  /** Runs the packaged launcher with the test bundle until it exits; @return what it printed */
  private String runUntilExit(int expectedStatus, String... systemProperties) throws Exception {
    Path target = Path.of(System.getProperty("distribution.target", "target")).toAbsolutePath();
    Path launcherJar = target.resolve("launcher.jar");
    Path lib = target.resolve("lib");
    Path builtBundles = target.resolve("bundles");
    for (Path needed : List.of(launcherJar, lib, builtBundles)) {
      assertTrue(Files.exists(needed), () -> needed + " is missing: run after the package phase (mvn verify)");
    }

    Path bundles = Files.createDirectory(temp.resolve("bundles"));
    copyBundlesWithoutTheDemo(builtBundles, bundles);
    writeFatalBundle(bundles.resolve(FatalActivator.SYMBOLIC_NAME + ".jar"));
    Path output = temp.resolve("launcher-output.txt");

    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Ddev.supervisor.fatal.stopFramework=true"));
    command.addAll(List.of(systemProperties));
    command.addAll(List.of(
        "-Dlauncher.bundles=" + bundles,
        "-Dlauncher.storage=" + temp.resolve("felix-cache"),
        "-Djmx.port=" + freePort(),
        "-Dgosh.args=--nointeractive",
        "-cp", lib.resolve("*") + File.pathSeparator + launcherJar,
        Main.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(temp.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    launcher = builder.start();
    Process started = launcher;
    reaper = new Thread(started::destroyForcibly, "FatalExitIT-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);

    boolean exited = launcher.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    String printed = Files.readString(output);
    System.out.println("FatalExitIT: the launcher's output:\n" + printed);
    assertTrue(exited, () -> "the launcher did not exit within " + DEADLINE + "; its output:\n" + printed);
    assertEquals(expectedStatus, launcher.exitValue(), () -> "exit status; output:\n" + printed);
    return printed;
  }

  private static void assertInOrder(String printed, String... lines) {
    int from = 0;
    for (String line : lines) {
      int at = printed.indexOf(line, from);
      assertTrue(at >= 0, () -> "expected, after what came before it: " + line + "\noutput:\n" + printed);
      from = at + line.length();
    }
  }

  /** Every built bundle but the demo (its HTTP endpoint and workers are not needed here). */
  private static void copyBundlesWithoutTheDemo(Path from, Path to) throws IOException {
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(from, "*.jar")) {
      for (Path jar : jars) {
        if (!jar.getFileName().toString().startsWith("supervisor.demo")) {
          Files.copy(jar, to.resolve(jar.getFileName()));
        }
      }
    }
  }

  /** A bundle of {@link FatalActivator} and its nested classes, read from the test class path. */
  private static void writeFatalBundle(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", FatalActivator.SYMBOLIC_NAME);
    main.putValue("Bundle-Version", "1.0.0");
    main.putValue("Import-Package", "dev.supervisor.api,org.osgi.framework");
    main.putValue("Bundle-Activator", FatalActivator.class.getName());
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Class<?> type : FatalActivator.class.getNestMembers()) {
        String entry = type.getName().replace('.', '/') + ".class";
        try (InputStream classBytes = FatalActivator.class.getClassLoader().getResourceAsStream(entry)) {
          assertTrue(classBytes != null, () -> entry + " is not on the test class path");
          out.putNextEntry(new JarEntry(entry));
          classBytes.transferTo(out);
          out.closeEntry();
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
