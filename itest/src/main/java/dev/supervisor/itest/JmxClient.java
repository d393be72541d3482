package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX client as JConsole is one: it serves the platform MBeanServer (where supervisor.jmx registers its
 * MBeans in plain Felix) through an RMI connector on 127.0.0.1 with an ephemeral port, connects to it
 * with {@link JMXConnectorFactory}, and sees the MBeans only through {@link MBeanServerConnection}: object
 * names, open-type values and JDK exceptions, never a class of the product. Open one per test class.
 */
final class JmxClient implements AutoCloseable {

  static final String DOMAIN = "dev.supervisor";
  static final ObjectName SUPERVISOR = name(DOMAIN + ":type=Supervisor");
  static final ObjectName ALL = name(DOMAIN + ":*");
  static final ObjectName SERVICES = name(DOMAIN + ":type=Service,*");

  private final JMXConnectorServer server;
  private final JMXConnector connector;
  private final MBeanServerConnection connection;

  JmxClient() throws IOException {
    server = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1:0"),
        null, ManagementFactory.getPlatformMBeanServer());
    server.start();
    connector = JMXConnectorFactory.connect(server.getAddress(), null);
    connection = connector.getMBeanServerConnection();
  }

  /** @return the connector's address, as a JConsole user would type it */
  JMXServiceURL address() {
    return server.getAddress();
  }

  MBeanServerConnection connection() {
    return connection;
  }

  /** @return every MBean of the supervisor's domain */
  Set<ObjectName> all() {
    return call(() -> connection.queryNames(ALL, null));
  }

  /** @return the supervisor's MBeans in the domain {@value #DOMAIN} */
  int count() {
    return all().size();
  }

  /** @return the service MBean whose name key, unquoted if quoted, is {@code serviceName} */
  Optional<ObjectName> service(String serviceName) {
    List<ObjectName> found = call(() -> connection.queryNames(SERVICES, null)).stream()
        .filter(n -> serviceName.equals(serviceName(n))).collect(Collectors.toList());
    assertTrue(found.size() <= 1, () -> "more than one MBean for '" + serviceName + "': " + found);
    return found.stream().findFirst();
  }

  /** @return the service MBean of {@code serviceName}, waiting until it is registered */
  ObjectName awaitService(String serviceName) {
    return Await.until("the MBean of '" + serviceName + "'", () -> service(serviceName), Optional::isPresent,
        seen -> "MBeans: " + all()).orElseThrow();
  }

  /** Waits until no MBean stands for {@code serviceName}. */
  void awaitNoService(String serviceName) {
    Await.until("no MBean of '" + serviceName + "'", () -> service(serviceName), Optional::isEmpty);
  }

  /** Waits until the service's State attribute reads {@code state}. */
  void awaitState(ObjectName mbean, String state) {
    Await.until(mbean + " State " + state, () -> attribute(mbean, "State"), state::equals);
  }

  /** @return the service name of a service MBean: its name key, unquoted when quoted (as a client must) */
  static String serviceName(ObjectName mbean) {
    String value = mbean.getKeyProperty("name");
    return value != null && value.startsWith("\"") ? ObjectName.unquote(value) : value;
  }

  Object attribute(ObjectName mbean, String attribute) {
    Object value = call(() -> connection.getAttribute(mbean, attribute));
    assertJdkOnly(mbean + "." + attribute, value);
    return value;
  }

  long longAttribute(ObjectName mbean, String attribute) {
    return ((Number) attribute(mbean, attribute)).longValue();
  }

  /** Invokes an operation without parameters. */
  void invoke(ObjectName mbean, String operation) {
    call(() -> connection.invoke(mbean, operation, new Object[0], new String[0]));
  }

  /** Listens to one MBean; the returned list fills as notifications arrive. */
  List<Notification> listen(ObjectName mbean) {
    List<Notification> received = new CopyOnWriteArrayList<>();
    NotificationListener listener = (notification, handback) -> received.add(notification);
    call(() -> {
      connection.addNotificationListener(mbean, listener, null, null);
      return null;
    });
    return received;
  }

  @Override
  public void close() throws IOException {
    try {
      connector.close();
    } finally {
      server.stop();
    }
  }

  /**
   * Fails unless {@code value} holds only JDK classes (bootstrap or platform class loader), as a client
   * without the product's classes needs; open types are all JDK classes.
   */
  static void assertJdkOnly(String what, Object value) {
    if (value == null) {
      return;
    }
    ClassLoader loader = value.getClass().getClassLoader();
    assertTrue(loader == null || loader == ClassLoader.getPlatformClassLoader(),
        () -> what + " is a " + value.getClass().getName() + " from " + loader + ", not a JDK class");
    if (value.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(value); i++) {
        assertJdkOnly(what + "[" + i + "]", Array.get(value, i));
      }
    } else if (value instanceof CompositeData data) {
      data.getCompositeType().keySet().forEach(key -> assertJdkOnly(what + "." + key, data.get(key)));
    } else if (value instanceof TabularData table) {
      table.values().forEach(row -> assertJdkOnly(what + " row", row));
    } else if (value instanceof Throwable error) {
      assertJdkOnly(what + " cause", error.getCause() == error ? null : error.getCause());
    }
  }

  /** @return a TabularData of (key, value) rows, as MXBeans map a {@code Map}, as a map */
  static Map<Object, Object> map(Object tabular) {
    return ((TabularData) tabular).values().stream().map(CompositeData.class::cast)
        .collect(Collectors.toMap(row -> row.get("key"), row -> row.get("value")));
  }

  static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (JMException e) {
      throw new AssertionError(text, e);
    }
  }

  /** A call to the remote MBeanServer. */
  interface Call<T> {
    T call() throws JMException, IOException;
  }

  /** @return the call's result; a JMX or I/O failure fails the test, with what the client received */
  static <T> T call(Call<T> call) {
    try {
      return call.call();
    } catch (JMException | IOException e) {
      throw new AssertionError("JMX call failed: " + e, e);
    }
  }

  /** The list of names seen in the notifications' State changes, for failure messages. */
  static List<String> describe(List<Notification> notifications) {
    List<String> out = new ArrayList<>();
    for (Notification n : notifications) {
      out.add("#" + n.getSequenceNumber() + " " + n.getType() + " " + n.getMessage());
    }
    return out;
  }

  static void assertNoProductClass(Throwable error) {
    assertJdkOnly("exception", error);
    assertTrue(error.getClass().getName().startsWith("java"), () -> "not a JDK exception: " + error);
  }
}
