package dev.supervisor.karaf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One Apache Karaf for a test: a fresh copy of the unpacked distribution with free loopback ports (JMX, SSH,
 * and HTTP for when the http feature is installed), users
 * {@code karaf} (admin group) and {@code viewer} (role viewer), pax-url reading the build's bundles and the
 * local Maven repository and nothing remote; started as a child process ({@code bin/karaf daemon} execs
 * the JVM, so the child is Karaf itself), and stopped with {@code bin/stop}, then killed if need be.
 */
final class KarafProcess implements AutoCloseable {
  static final String ADMIN = "karaf";
  static final String VIEWER = "viewer";

  final Path home;
  final int registryPort;
  final int rmiServerPort;
  final int sshPort;
  final int httpPort;
  private final String javaHome;
  private Process process;
  private Thread shutdownHook;

  /**
   * Copies the distribution to {@code run} (deleting what an earlier run left there) and configures it.
   *
   * @param distribution the unpacked apache-karaf-x.y.z folder
   * @param run where this run's Karaf lives
   * @param repositories Maven-layout folders to look in first, in order (the build's bundles)
   * @param localRepository the local Maven repository (pax-url's local repository)
   * @param javaHome the JDK to run Karaf on
   * @param systemProperties lines added to etc/system.properties
   */
  KarafProcess(Path distribution, Path run, List<Path> repositories, Path localRepository, String javaHome,
      Map<String, String> systemProperties) throws IOException {
    this.javaHome = javaHome;
    deleteTree(run);
    copyTree(distribution, run);
    this.home = run;
    try (Stream<Path> scripts = Files.list(home.resolve("bin"))) {
      scripts.forEach(script -> script.toFile().setExecutable(true));
    }
    this.registryPort = freePort();
    this.rmiServerPort = freePort();
    this.sshPort = freePort();
    this.httpPort = freePort();

    Path etc = home.resolve("etc");
    setProperty(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(registryPort));
    setProperty(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(rmiServerPort));
    setProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(sshPort));
    setProperty(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");

    // Karaf's http feature (Pax Web) keeps a configuration that exists: a free port, on loopback only
    Files.writeString(etc.resolve("org.ops4j.pax.web.cfg"), ""
        + "org.osgi.service.http.enabled = true\n"
        + "org.osgi.service.http.port = " + httpPort + "\n"
        + "org.ops4j.pax.web.listening.addresses = 127.0.0.1\n"
        + "org.osgi.service.http.secure.enabled = false\n"
        + "javax.servlet.context.tempdir = ${karaf.data}/pax-web/tmp\n", StandardCharsets.ISO_8859_1);

    Path mvn = etc.resolve("org.ops4j.pax.url.mvn.cfg");
    String defaults = repositories.stream().map(r -> r.toUri() + "@id=build" + r.getFileName() + "@snapshots")
        .collect(Collectors.joining(", "))
        + ", ${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots";
    setProperty(mvn, "org.ops4j.pax.url.mvn.defaultRepositories", defaults);
    // Central only (Karaf's scr feature has two bundles that Maven cannot fetch for the build: pax-url gets
    // them into the local repository once), no snapshot repositories: the build's snapshots are local.
    setProperty(mvn, "org.ops4j.pax.url.mvn.repositories", "https://repo1.maven.org/maven2@id=central");
    setProperty(mvn, "org.ops4j.pax.url.mvn.localRepository", localRepository.toAbsolutePath().toString());

    Files.writeString(etc.resolve("users.properties"), ""
        + ADMIN + " = " + ADMIN + ",_g_:admingroup\n"
        + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n"
        + VIEWER + " = " + VIEWER + ",viewer\n", StandardCharsets.ISO_8859_1);

    StringBuilder extra = new StringBuilder("\n");
    systemProperties.forEach((key, value) -> extra.append(key).append(" = ").append(value).append('\n'));
    Files.writeString(etc.resolve("system.properties"), extra, StandardCharsets.ISO_8859_1,
        StandardOpenOption.APPEND);
  }

  /** Starts Karaf and waits until its JMX connector answers (admin credentials). */
  void start(Duration timeout) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/karaf").toString(), "daemon")
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(home.resolve("karaf.out").toFile());
    environment(builder);
    process = builder.start();
    shutdownHook = new Thread(this::kill, "karaf-killer");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Karaf exited with status " + process.exitValue() + ":\n" + log(40));
      }
      try (JMXConnector connector = connect(ADMIN, ADMIN)) {
        connector.getMBeanServerConnection().getMBeanCount();
        return;
      } catch (IOException | RuntimeException e) { // RuntimeException: a registry without its server yet
        last = e;
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("Karaf's JMX connector did not answer within " + timeout + ": " + last
        + "\n" + log(40));
  }

  JMXConnector connect(String user, String password) throws IOException {
    JMXServiceURL url = new JMXServiceURL(
        "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + registryPort + "/karaf-root");
    return JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
  }

  /**
   * Runs shell commands through {@code bin/client} in batch mode, as the admin user.
   *
   * @param commands one command per line
   * @return what the client printed (standard output and error)
   */
  String client(String... commands) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(),
        "-h", "127.0.0.1", "-a", String.valueOf(sshPort), "-u", ADMIN, "-p", ADMIN, "-r", "30", "-d", "1", "-b")
        .directory(home.toFile())
        .redirectErrorStream(true);
    environment(builder);
    Process client = builder.start();
    try (OutputStream in = client.getOutputStream()) {
      in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    byte[] output = client.getInputStream().readAllBytes();
    if (!client.waitFor(60, TimeUnit.SECONDS)) {
      client.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          "bin/client did not finish in 60 s: " + new String(output, StandardCharsets.UTF_8));
    }
    return new String(output, StandardCharsets.UTF_8);
  }

  /** @return the last lines of Karaf's log, for failure messages */
  String log(int lines) {
    Path log = home.resolve("data/log/karaf.log");
    try {
      List<String> all = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8)
          : List.of("(no karaf.log)");
      List<String> out = new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
      Path stdout = home.resolve("karaf.out");
      if (Files.exists(stdout)) {
        out.add("--- karaf.out:");
        out.addAll(Files.readAllLines(stdout, StandardCharsets.UTF_8));
      }
      return String.join("\n", out);
    } catch (IOException e) {
      return "(cannot read the log: " + e + ")";
    }
  }

  /** Stops Karaf with bin/stop and waits for its JVM; kills it (and anything it started) if need be. */
  @Override
  public void close() throws Exception {
    if (process == null) {
      return;
    }
    try {
      if (process.isAlive()) {
        ProcessBuilder stop = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile())
            .redirectErrorStream(true).redirectOutput(home.resolve("stop.out").toFile());
        environment(stop);
        Process stopper = stop.start();
        if (!stopper.waitFor(30, TimeUnit.SECONDS)) {
          stopper.destroyForcibly();
        }
        if (!process.waitFor(45, TimeUnit.SECONDS)) {
          System.err.println("Karaf did not stop within 45 s of bin/stop: killing it");
        }
      }
    } finally {
      kill();
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    }
  }

  private void kill() {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  private void environment(ProcessBuilder builder) {
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", javaHome);
    env.remove("KARAF_HOME"); // the scripts find their home themselves
    env.put("JAVA_MAX_MEM", "768M");
    env.remove("KARAF_BASE");
    env.remove("KARAF_DATA");
    env.remove("KARAF_ETC");
    env.remove("JAVA_OPTS");
    env.remove("EXTRA_JAVA_OPTS");
  }

  // ---------------------------------------------------------------- files

  /** Sets key = value in a .cfg/.properties file: replaces the (possibly commented) line, else appends. */
  static void setProperty(Path file, String key, String value) throws IOException {
    String text = Files.readString(file, StandardCharsets.ISO_8859_1);
    // The key's line with its continuation lines (ending in a backslash): the active one, else a commented one.
    String rest = Pattern.quote(key) + "[ \\t]*[=:](?:[^\\n]*\\\\\\n)*[^\\n]*$";
    String replacement = Matcher.quoteReplacement(key + " = " + value);
    Matcher active = Pattern.compile("(?m)^[ \\t]*" + rest).matcher(text);
    Matcher commented = Pattern.compile("(?m)^#[ \\t]*" + rest).matcher(text);
    if (active.find()) {
      text = active.replaceFirst(replacement);
    } else if (commented.find()) {
      text = commented.replaceFirst(replacement);
    } else {
      text = text + "\n" + key + " = " + value + "\n";
    }
    Files.writeString(file, text, StandardCharsets.ISO_8859_1);
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
