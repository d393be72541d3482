package dev.supervisor.launcher;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.net.ssl.SSLServerSocketFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Starts an OSGi framework (whatever {@link FrameworkFactory} is on the class path: Felix here), installs
 * and starts every bundle jar of a folder, and serves the platform MBeanServer over JMX on 127.0.0.1.
 *
 * <p>System properties (each also reaches the framework, so bundles can read them):
 *
 * <ul>
 *   <li>{@code launcher.bundles}: the bundle folder; default {@code bundles} beside the launcher jar
 *   <li>{@code launcher.storage}: framework storage, emptied on start; default {@code target/felix-cache}
 *   <li>{@code launcher.stopTimeout}: seconds a Ctrl-C waits for the framework to stop; default 30
 *   <li>{@code jmx.port}: the RMI registry and connector port, both on 127.0.0.1; default 9010
 *   <li>{@code jmx.password.file}: turns on authentication: a file of {@code user password} lines (the
 *       JDK's format, {@code jmx.remote.x.password.file}); default none
 *   <li>{@code jmx.access.file}: roles: a file of {@code user readonly|readwrite} lines (the JDK's format,
 *       {@code jmx.remote.x.access.file}); default none (every authenticated user may do everything)
 *   <li>{@code jmx.ssl}: {@code true} serves the registry and the connector over TLS, with the key store of
 *       the standard {@code javax.net.ssl.keyStore} and {@code javax.net.ssl.keyStorePassword} properties
 *   <li>{@code gosh.args}: Gogo shell options; default {@code --nointeractive} when there is no console
 *   <li>{@code launcher.etc}: the folder Apache Felix File Install watches for configurations
 *       ({@code <pid>.cfg}, {@code <factory pid>-<name>.cfg}), as Karaf's {@code etc}; default {@code etc}
 *   <li>{@code launcher.deploy}: the folder File Install watches for bundles (a jar dropped in is installed
 *       and started, a jar deleted is uninstalled), named in {@code etc/org.apache.felix.fileinstall-deploy.cfg};
 *       default {@code deploy}. Both folders are created when missing.
 *   <li>{@code launcher.log.level}: the OSGi Log Service entries printed on the console; default {@code WARN}
 *   <li>{@code launcher.log.supervisorLevel}: the same for loggers {@code dev.supervisor...}; default {@code INFO}
 *   <li>{@code launcher.log.stackTraces}: {@code true} prints the stack trace of a logged exception; default
 *       only its class, message and causes
 *   <li>{@code launcher.commands}: a file of Gogo shell commands, one a line ({@code #} starts a comment), run
 *       once the framework has started, each printed after a {@code g! } prompt with its output, as if typed;
 *       a failing command prints its message and the next one runs. {@code stop 0} as the last line quits.
 *   <li>{@code launcher.wait}: a duration, ISO-8601 ({@code PT60S}) or seconds; once the framework has started,
 *       the launcher blocks until the supervisor's start-up has settled or that time has passed, and prints the
 *       boot report (see {@link BootWait}); the command file runs after it. Default: no wait. A value that is not
 *       a duration, or a negative one, ends the launcher with status 2 before the framework starts.
 * </ul>
 *
 * <p>The process ends when the framework stops: {@code stop 0} in the shell, end of input in an
 * interactive shell, Ctrl-C (a shutdown hook stops the framework and waits for it), or a bundle stopping
 * the system bundle.
 */
public final class Main {
  private static final String PREFIX = "launcher: ";
  private static final int DEFAULT_JMX_PORT = 9010;
  private static final long DEFAULT_STOP_TIMEOUT_SECONDS = 30;

  private final Framework framework;
  private final JmxServer jmx;
  /** Whether the command file (launcher.commands) has been started; read and written by main only. */
  private boolean commandsRun;
  /** launcher.wait, or null for no wait; cleared once waited (not again after a framework update). */
  private Duration bootWait;
  /** Claimed by whichever ends the process first: main after the framework stopped, or the shutdown hook. */
  private final AtomicBoolean exiting = new AtomicBoolean();

  private Main(Framework framework, JmxServer jmx) {
    this.framework = framework;
    this.jmx = jmx;
  }

  /** The console as it was before Gogo replaced System.out with its per-thread stream. */
  private static final java.io.PrintStream CONSOLE = System.out;
  private static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
  private static final String LOG_LEVEL = "launcher.log.level";
  private static final String DEFAULT_LOG_LEVEL = "WARN";
  private static final String SUPERVISOR_LOG_LEVEL = "launcher.log.supervisorLevel";
  private static final String DEFAULT_SUPERVISOR_LOG_LEVEL = "INFO";

  public static void main(String[] args) throws Exception {
    // Before anything exports an RMI object: stubs must name the loopback address, not the host name.
    System.setProperty("java.rmi.server.hostname",
        System.getProperty("java.rmi.server.hostname", "127.0.0.1"));
    // Felix Health Checks logs through SLF4J's simple binding to the console: its start-up chatter would bury
    // the demo's lines, so only warnings, unless the user asks for more.
    System.setProperty(SLF4J_LEVEL, System.getProperty(SLF4J_LEVEL, "warn"));
    Path bundles = Path.of(System.getProperty("launcher.bundles", defaultBundleFolder().toString()));
    Path storage = Path.of(System.getProperty("launcher.storage", "target/felix-cache"));
    Path etc = Files.createDirectories(Path.of(System.getProperty("launcher.etc", "etc"))).toAbsolutePath();
    Path deploy = Files.createDirectories(Path.of(System.getProperty("launcher.deploy", "deploy"))).toAbsolutePath();
    if (!Files.isDirectory(bundles)) {
      System.err.println(PREFIX + "no bundle folder " + bundles.toAbsolutePath()
          + " (build with `mvn install`, or set -Dlauncher.bundles=<folder>)");
      System.exit(2);
    }

    Duration bootWait = null;
    String wait = System.getProperty("launcher.wait");
    if (wait != null && !wait.isBlank()) {
      try {
        bootWait = BootWait.parse("launcher.wait", wait);
      } catch (IllegalArgumentException e) {
        System.err.println(PREFIX + e.getMessage() + " (./run.sh --wait=PT60S)");
        System.exit(2);
      }
    }

    JmxServer jmx;
    int jmxPort = Integer.getInteger("jmx.port", DEFAULT_JMX_PORT);
    try {
      jmx = JmxServer.start(jmxPort, System::getProperty);
    } catch (IOException e) {
      System.err.println(PREFIX + "cannot serve JMX on 127.0.0.1:" + jmxPort + " (" + e.getMessage()
          + "); choose another port with -Djmx.port=<port> (JMX_PORT=<port> ./run.sh)");
      System.exit(2);
      return;
    }
    System.out.println(PREFIX + "JMX " + jmx.url());
    System.out.println(PREFIX + "connect with: jconsole 127.0.0.1:" + jmxPort + "  (" + jmx.describe() + ")");

    Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
        .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"))
        .newFramework(frameworkProperties(storage, etc, deploy));
    Main main = new Main(framework, jmx);
    main.bootWait = bootWait;
    Runtime.getRuntime().addShutdownHook(new Thread(main::shutdownHook, "launcher-shutdown"));
    FrameworkEvent stopped;
    try {
      stopped = main.run(bundles);
    } catch (Exception | Error e) {
      // Close JMX on the way out: its RMI threads would otherwise keep the JVM alive.
      System.err.println(PREFIX + "the framework failed to start: " + e);
      e.printStackTrace();
      stopped = new FrameworkEvent(FrameworkEvent.ERROR, framework, e);
    }
    if (main.exiting.compareAndSet(false, true)) {
      jmx.close();
      System.out.println(PREFIX + "framework " + describe(stopped));
      // A FatalException (a requested end, with status 0) under dev.supervisor.fatal.stopFramework=true
      // stopped the framework and left its status.
      String fatalStatus = System.getProperty("dev.supervisor.exitStatus");
      if (fatalStatus != null) {
        System.out.println(PREFIX + "the supervisor stopped the framework "
            + ("0".equals(fatalStatus) ? "at a service's request" : "after a fatal error") + "; exit status "
            + fatalStatus);
        System.exit(Integer.parseInt(fatalStatus));
      }
      System.exit(stopped.getType() == FrameworkEvent.ERROR ? 1 : 0);
    }
    // else Ctrl-C: the shutdown hook stops the framework and closes JMX; the JVM halts when it returns.
  }

  /** Starts the framework and returns how it stopped. */
  private FrameworkEvent run(Path bundleFolder) throws Exception {
    FrameworkEvent stopped;
    framework.init();
    attachConsoleLog();
    installAndStart(bundleFolder);
    do {
      // A framework update (`update 0`) stops it with STOPPED_UPDATE: start it again from its storage,
      // which still holds the installed bundles.
      if ((framework.getState() & (Bundle.INSTALLED | Bundle.RESOLVED)) != 0) {
        framework.init();
        attachConsoleLog();
      }
      framework.start();
      System.out.println(PREFIX + framework.getSymbolicName() + " " + framework.getVersion() + " started with "
          + (framework.getBundleContext().getBundles().length - 1) + " bundles; " + howToQuit());
      if (bootWait != null) {
        Duration timeout = bootWait;
        bootWait = null; // once, not again after a framework update
        BootWait.run(framework.getBundleContext(), timeout, CONSOLE); // blocks: the command file comes after it
      }
      String commands = System.getProperty("launcher.commands");
      if (commands != null && !commands.isBlank() && !commandsRun) {
        commandsRun = true; // once, not again after a framework update
        Thread runner = new Thread(() -> CommandFile.run(framework.getBundleContext(), Path.of(commands), CONSOLE),
            "launcher-commands");
        runner.setDaemon(true);
        runner.start();
      }
      stopped = framework.waitForStop(0);
    } while (stopped.getType() == FrameworkEvent.STOPPED_UPDATE && !exiting.get());
    return stopped;
  }

  /** Before the bundles start: the Log Service's first entries reach the console too. */
  private void attachConsoleLog() {
    ConsoleLog.attach(framework.getBundleContext(), System.getProperty(LOG_LEVEL, DEFAULT_LOG_LEVEL),
        System.getProperty(SUPERVISOR_LOG_LEVEL, DEFAULT_SUPERVISOR_LOG_LEVEL),
        Boolean.getBoolean("launcher.log.stackTraces"));
  }

  private void installAndStart(Path bundleFolder) throws IOException {
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(bundleFolder, "*.jar")) {
      files.forEach(jars::add);
    }
    jars.sort(null); // a stable order; the resolver does not depend on it
    List<Bundle> installed = new ArrayList<>();
    for (Path jar : jars) {
      try {
        installed.add(framework.getBundleContext().installBundle(jar.toUri().toString()));
      } catch (BundleException e) {
        System.err.println(PREFIX + "cannot install " + jar.getFileName() + ": " + e.getMessage());
      }
    }
    // Started before the framework itself, the bundles become active as the framework starts, in start-level order.
    for (Bundle bundle : installed) {
      if ((bundle.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0) {
        continue; // fragments are attached, never started
      }
      try {
        bundle.start();
      } catch (BundleException e) {
        System.err.println(PREFIX + "cannot start " + bundle.getSymbolicName() + ": " + e.getMessage());
      }
    }
    System.out.println(PREFIX + "installed " + installed.size() + " bundles from " + bundleFolder.toAbsolutePath());
  }

  /** Ctrl-C or SIGTERM: stop the framework (the supervisor stops its workers in reverse order), bounded. */
  private void shutdownHook() {
    if (!exiting.compareAndSet(false, true)) {
      return; // main is already exiting after the framework stopped
    }
    try {
      if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0) {
        System.out.println(PREFIX + "stopping the framework");
        framework.stop();
      }
      long timeout = Long.getLong("launcher.stopTimeout", DEFAULT_STOP_TIMEOUT_SECONDS);
      FrameworkEvent event = framework.waitForStop(TimeUnit.SECONDS.toMillis(timeout));
      if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
        System.err.println(PREFIX + "the framework did not stop within " + timeout + " s; exiting anyway");
        Thread.getAllStackTraces().keySet().stream()
            .filter(thread -> !thread.isDaemon() && thread.isAlive() && thread != Thread.currentThread())
            .forEach(thread -> System.err.println(PREFIX + "  still running: " + thread.getName()));
      } else {
        System.out.println(PREFIX + "framework " + describe(event));
      }
    } catch (BundleException | InterruptedException | RuntimeException e) {
      System.err.println(PREFIX + "stopping the framework failed: " + e);
    } finally {
      jmx.close();
    }
  }

  private static Map<String, String> frameworkProperties(Path storage, Path etc, Path deploy) {
    Map<String, String> config = new HashMap<>();
    // Apache Felix File Install: etc/ for configurations (as in Karaf), and through
    // etc/org.apache.felix.fileinstall-deploy.cfg (which names ${launcher.deploy}) deploy/ for bundles.
    config.put("felix.fileinstall.dir", etc.toString());
    config.put("launcher.deploy", deploy.toString());
    config.put("felix.fileinstall.noInitialDelay", "true");
    config.put("felix.fileinstall.poll", "1000");
    // Felix Log: let through what the console prints (the more detailed of the two levels); default WARN
    config.put("org.osgi.service.log.admin.loglevel", ConsoleLog.lowest(
        System.getProperty(LOG_LEVEL, DEFAULT_LOG_LEVEL),
        System.getProperty(SUPERVISOR_LOG_LEVEL, DEFAULT_SUPERVISOR_LOG_LEVEL)));
    config.put(Constants.FRAMEWORK_STORAGE, storage.toAbsolutePath().toString());
    config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    // Without a console (CI, `< /dev/null`, a pipe) an interactive Gogo shell would read end-of-input
    // at once and stop the framework: run it without a session instead.
    config.put("gosh.args", System.getProperty("gosh.args", System.console() == null ? "--nointeractive" : ""));
    // Every other system property reaches bundles too: Felix falls back to system properties.
    return config;
  }

  private String howToQuit() {
    String goshArgs = framework.getBundleContext().getProperty("gosh.args");
    return goshArgs != null && goshArgs.contains("--nointeractive")
        ? "no shell session (stdin is not a terminal): quit with Ctrl-C or SIGTERM"
        : "type `lb` to list them, `stop 0` or Ctrl-C to quit";
  }

  /** @return the folder {@code bundles} beside the jar (or classes folder) this class was loaded from */
  private static Path defaultBundleFolder() throws URISyntaxException {
    Path codeSource = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return codeSource.resolveSibling("bundles");
  }

  private static String describe(FrameworkEvent event) {
    switch (event.getType()) {
      case FrameworkEvent.STOPPED:
        return "stopped";
      case FrameworkEvent.STOPPED_UPDATE:
        return "stopped for an update";
      case FrameworkEvent.STOPPED_SYSTEM_REFRESHED:
        return "stopped for a refresh";
      case FrameworkEvent.ERROR:
        return "error: " + event.getThrowable();
      case FrameworkEvent.WAIT_TIMEDOUT:
        return "timed out";
      default:
        return "event " + event.getType();
    }
  }

  /**
   * A JMX connector server whose RMI registry and connector object share one port on 127.0.0.1, so that a
   * client such as {@code jconsole 127.0.0.1:<port>} needs exactly that port and nothing listens elsewhere.
   * Package-private for {@code JmxServerTest}.
   */
  static final class JmxServer {
    private final Registry registry;
    private final JMXConnectorServer server;
    private final String description;
    private boolean closed;

    private JmxServer(Registry registry, JMXConnectorServer server, String description) {
      this.registry = registry;
      this.server = server;
      this.description = description;
    }

    /**
     * @param port the registry and connector port on 127.0.0.1
     * @param settings the launcher's system properties ({@code jmx.password.file}, {@code jmx.access.file},
     *     {@code jmx.ssl}); returns null for one not set
     */
    static JmxServer start(int port, Function<String, String> settings) throws IOException {
      boolean tls = Boolean.parseBoolean(settings.apply("jmx.ssl"));
      // One factory instance for the registry and the connector: RMI shares a listening socket between
      // exports on the same port only when their factories are equal.
      RMIServerSocketFactory loopbackOnly = tls ? new LoopbackSslServerSocketFactory()
          : new LoopbackServerSocketFactory();
      RMIClientSocketFactory clientSockets = tls ? new SslRMIClientSocketFactory() : null;
      Registry registry = LocateRegistry.createRegistry(port, clientSockets, loopbackOnly);
      try {
        String host = "127.0.0.1:" + port;
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + "/jndi/rmi://" + host + "/jmxrmi");
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopbackOnly);
        List<String> security = new ArrayList<>();
        if (tls) {
          env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, clientSockets);
          // the connector binds its stub in the registry through JNDI, which must speak TLS to it too
          env.put("com.sun.jndi.rmi.factory.socket", clientSockets);
          security.add("TLS");
        }
        String passwords = settings.apply("jmx.password.file");
        if (passwords != null) {
          env.put("jmx.remote.x.password.file", passwords);
          security.add("password file " + passwords);
        }
        String access = settings.apply("jmx.access.file");
        if (access != null) {
          env.put("jmx.remote.x.access.file", access);
          security.add("access file " + access);
        }
        JMXConnectorServer server =
            JMXConnectorServerFactory.newJMXConnectorServer(url, env, ManagementFactory.getPlatformMBeanServer());
        server.start();
        return new JmxServer(registry, server, "loopback only, " + (security.isEmpty()
            ? "no authentication, no TLS: accept 'Retry insecurely'" : String.join(", ", security)));
      } catch (IOException | RuntimeException e) {
        UnicastRemoteObject.unexportObject(registry, true);
        throw e;
      }
    }

    JMXServiceURL url() {
      return server.getAddress();
    }

    /** @return how it is protected, for the start-up message */
    String describe() {
      return description;
    }

    /** Stops the connector and frees the port; safe to call twice (the hook and main may both get here). */
    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        server.stop();
      } catch (IOException e) {
        System.err.println(PREFIX + "closing the JMX connector failed: " + e);
      }
      try {
        UnicastRemoteObject.unexportObject(registry, true);
      } catch (NoSuchObjectException e) {
        // already gone
      }
    }
  }

  /** TLS server sockets bound to 127.0.0.1 only, from the default SSL context (javax.net.ssl.*). */
  private static final class LoopbackSslServerSocketFactory implements RMIServerSocketFactory {
    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return SSLServerSocketFactory.getDefault().createServerSocket(port, 0, InetAddress.getLoopbackAddress());
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof LoopbackSslServerSocketFactory;
    }

    @Override
    public int hashCode() {
      return LoopbackSslServerSocketFactory.class.hashCode();
    }
  }

  /** Server sockets bound to 127.0.0.1 only. Stateless: all instances are equal. */
  private static final class LoopbackServerSocketFactory implements RMIServerSocketFactory {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
      return new ServerSocket(port, 0, LOOPBACK);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof LoopbackServerSocketFactory;
    }

    @Override
    public int hashCode() {
      return LoopbackServerSocketFactory.class.hashCode();
    }
  }
}
