package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JMX connector ({@link Main.JmxServer}, as {@code ./run.sh} starts it): it answers on
 * 127.0.0.1 and on no other address of this machine; with {@code jmx.password.file} and
 * {@code jmx.access.file} it refuses a wrong password and lets a read-only user read but not operate; with
 * {@code jmx.ssl=true} it speaks TLS only.
 */
class JmxServerTest {

  private static final ObjectName MEMORY = name("java.lang:type=Memory");

  @TempDir
  Path temp;

  private Main.JmxServer server;

  @BeforeAll
  static void rmiOnLoopback() {
    // as Main does before anything exports an RMI object: stubs name 127.0.0.1, not the host name
    System.setProperty("java.rmi.server.hostname", "127.0.0.1");
  }

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void reachableOnLoopbackOnly() throws Exception {
    int port = freePort();
    server = Main.JmxServer.start(port, key -> null);
    assertEquals("service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi",
        server.url().toString());
    try (JMXConnector client = JMXConnectorFactory.connect(server.url())) {
      assertTrue(client.getMBeanServerConnection().getMBeanCount() > 0);
    }

    List<InetAddress> others = new ArrayList<>();
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (!address.isLoopbackAddress()) {
          others.add(address);
        }
      }
    }
    if (others.isEmpty()) {
      System.out.println("JmxServerTest: this machine has no address but loopback; checked the listening"
          + " sockets only");
    }
    for (InetAddress address : others) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(address, port), 2000);
        fail("the JMX port " + port + " answers on " + address.getHostAddress() + ", not only on 127.0.0.1");
      } catch (ConnectException | SocketTimeoutException refused) {
        System.out.println("JmxServerTest: " + address.getHostAddress() + ":" + port + " refused (" + refused
            + ")");
      }
    }

    // what listens on the port, as the kernel sees it: 127.0.0.1 only (Linux; elsewhere the above must do)
    List<String> listening = listeningAddresses(port);
    if (listening == null) {
      System.out.println("JmxServerTest: no /proc/net/tcp here; the listening sockets were not inspected");
    } else {
      // /proc/net/tcp*: 0100007F = 127.0.0.1, ...FFFF00000100007F = 127.0.0.1 on a dual-stack socket,
      // ...01000000 = ::1; 00000000 (or all zeros) would be every address
      assertTrue(!listening.isEmpty() && listening.stream().allMatch(hex -> hex.equals("0100007F")
          || hex.equals("0000000000000000FFFF00000100007F") || hex.equals("00000000000000000000000001000000")),
          () -> "local addresses listening on port " + port + ": " + listening);
      System.out.println("JmxServerTest: listening on port " + port + ": " + listening + " (loopback)");
    }
  }

  @Test
  void passwordAndAccessFilesSeparateViewersFromOperators() throws Exception {
    Path passwords = Files.writeString(temp.resolve("jmx.password"), "viewer look-only\noperator hands-on\n");
    Path access = Files.writeString(temp.resolve("jmx.access"), "viewer readonly\noperator readwrite\n");
    Map<String, String> settings = Map.of("jmx.password.file", passwords.toString(), "jmx.access.file",
        access.toString());
    server = Main.JmxServer.start(freePort(), settings::get);
    assertTrue(server.describe().contains("password file"), server.describe());

    assertThrows(SecurityException.class, () -> connect("operator", "guess", false).close(), "wrong password");
    assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(server.url()).close(),
        "no credentials");
    try (JMXConnector viewer = connect("viewer", "look-only", false)) {
      MBeanServerConnection connection = viewer.getMBeanServerConnection();
      assertTrue(connection.getAttribute(MEMORY, "HeapMemoryUsage") != null);
      assertThrows(SecurityException.class, () -> connection.invoke(MEMORY, "gc", null, null));
    }
    try (JMXConnector operator = connect("operator", "hands-on", false)) {
      operator.getMBeanServerConnection().invoke(MEMORY, "gc", null, null);
    }
  }

  @Test
  void tlsOnlyWithJmxSsl() throws Exception {
    Path keyStore = temp.resolve("jmx.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "jmx", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
    assertEquals(0, keytool.exitValue(), () -> "keytool: " + output(keytool));
    // the standard properties, as an operator passes them with JAVA_OPTS (read once, at the first TLS use)
    System.setProperty("javax.net.ssl.keyStore", keyStore.toString());
    System.setProperty("javax.net.ssl.keyStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStore", keyStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    Path passwords = Files.writeString(temp.resolve("jmx.password"), "operator hands-on\n");
    Map<String, String> settings = Map.of("jmx.ssl", "true", "jmx.password.file", passwords.toString());
    server = Main.JmxServer.start(freePort(), settings::get);
    assertTrue(server.describe().contains("TLS"), server.describe());

    try (JMXConnector operator = connect("operator", "hands-on", true)) {
      assertTrue(operator.getMBeanServerConnection().getMBeanCount() > 0);
    }
    // a client that does not speak TLS gets nothing, not even the registry
    assertThrows(IOException.class, () -> connect("operator", "hands-on", false).close());
  }

  private JMXConnector connect(String user, String password, boolean tls) throws IOException {
    Map<String, Object> env = new HashMap<>();
    env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
    if (tls) {
      // the registry lookup over TLS (the connector's stub brings its own TLS socket factory)
      env.put("com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
    }
    return JMXConnectorFactory.connect(server.url(), env);
  }

  /** @return the hex local addresses of the sockets listening on the port, or null without /proc/net */
  private static List<String> listeningAddresses(int port) throws IOException {
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    List<String> addresses = new ArrayList<>();
    boolean found = false;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      found = true;
      for (String line : Files.readAllLines(file)) {
        String[] columns = line.trim().split("\\s+");
        // sl local_address rem_address st ...; st 0A = LISTEN
        if (columns.length > 3 && columns[1].endsWith(hexPort) && "0A".equals(columns[3])) {
          addresses.add(columns[1].substring(0, columns[1].length() - hexPort.length()));
        }
      }
    }
    return found ? addresses : null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String output(Process process) {
    try {
      return new String(process.getInputStream().readAllBytes());
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (javax.management.MalformedObjectNameException e) {
      throw new AssertionError(e);
    }
  }
}
