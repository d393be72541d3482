package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * A password-protected JMX connector inside the framework, set up as an operator would (and as the launcher's
 * {@code jmx.password.file} / {@code jmx.access.file} options do): a {@link JMXAuthenticator} checks user and
 * password, the JDK's access file ({@code jmx.remote.x.access.file}) gives each user a role. A wrong password
 * is refused; the read-only {@code viewer} reads the supervisor's attributes but cannot invoke an operation;
 * the {@code operator} (readwrite) can.
 */
class JmxSecurityTest {

  private static final Map<String, String> PASSWORDS = Map.of("viewer", "look-only", "operator", "hands-on");
  private static final String SERVICE = "jmx.secure";

  private static Path accessFile;
  private static JMXConnectorServer server;
  private static Supervisors supervisors;
  private static ServiceRegistration<?> worker;
  private static ObjectName mbean;

  @BeforeAll
  static void startProtectedConnector() throws IOException {
    supervisors = new Supervisors();
    accessFile = Files.createTempFile("jmx", ".access");
    Files.writeString(accessFile, "viewer readonly\noperator readwrite\n");
    JMXAuthenticator authenticator = credentials -> {
      if (!(credentials instanceof String[] pair) || pair.length != 2) {
        throw new SecurityException("a user name and a password are required");
      }
      if (pair[0] == null || !pair[1].equals(PASSWORDS.get(pair[0]))) {
        throw new SecurityException("wrong user name or password");
      }
      return new Subject(true, Set.of(new JMXPrincipal(pair[0])), Set.of(), Set.of());
    };
    Map<String, Object> env = new HashMap<>();
    env.put(JMXConnectorServer.AUTHENTICATOR, authenticator);
    env.put("jmx.remote.x.access.file", accessFile.toString());
    server = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1:0"),
        env, ManagementFactory.getPlatformMBeanServer());
    server.start();

    worker = Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, SERVICE));
    supervisors.awaitState(SERVICE, State.RUNNING);
    mbean = JmxClient.name(JmxClient.DOMAIN + ":type=Service,name=" + SERVICE);
    Await.until("the MBean of " + SERVICE, () -> ManagementFactory.getPlatformMBeanServer().isRegistered(mbean),
        registered -> registered);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      worker.unregister();
      supervisors.close();
      server.stop();
    } finally {
      Files.deleteIfExists(accessFile);
    }
  }

  private static JMXConnector connect(String user, String password) throws IOException {
    Map<String, Object> env = new HashMap<>();
    env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
    return JMXConnectorFactory.connect(server.getAddress(), env);
  }

  @Test
  void aWrongPasswordAnUnknownUserAndNoCredentialsAreRefused() {
    assertThrows(SecurityException.class, () -> connect("operator", "guess").close(), "wrong password");
    assertThrows(SecurityException.class, () -> connect("intruder", "hands-on").close(), "unknown user");
    assertThrows(SecurityException.class, () -> JMXConnectorFactory.connect(server.getAddress(), null).close(),
        "no credentials");
  }

  @Test
  void aReadOnlyUserReadsButCannotStopAService() throws Exception {
    long starts = supervisors.awaitState(SERVICE, State.RUNNING).startCount();
    try (JMXConnector viewer = connect("viewer", "look-only")) {
      MBeanServerConnection connection = viewer.getMBeanServerConnection();
      assertEquals("RUNNING", connection.getAttribute(mbean, "State"));
      assertEquals(SERVICE, connection.getAttribute(mbean, "Name"));
      assertTrue(((Number) connection.getAttribute(JmxClient.SUPERVISOR, "ServiceCount")).intValue() > 0);
      assertTrue(connection.queryNames(JmxClient.SERVICES, null).contains(mbean));

      SecurityException refused = assertThrows(SecurityException.class,
          () -> connection.invoke(mbean, "stop", new Object[0], new String[0]));
      assertTrue(refused.getMessage().contains("Access denied"), refused::getMessage);
      assertThrows(SecurityException.class,
          () -> connection.invoke(JmxClient.SUPERVISOR, "stopAll", new Object[0], new String[0]));
    }
    assertEquals(State.RUNNING, supervisors.info(SERVICE).orElseThrow().state());
    assertEquals(starts, supervisors.info(SERVICE).orElseThrow().startCount(), "the viewer restarted it");
  }

  @Test
  void anOperatorCanStopAndStartAService() throws Exception {
    supervisors.awaitState(SERVICE, State.RUNNING);
    try (JMXConnector operator = connect("operator", "hands-on")) {
      MBeanServerConnection connection = operator.getMBeanServerConnection();
      assertInstanceOf(String.class, connection.getAttribute(mbean, "State"));
      connection.invoke(mbean, "stop", new Object[0], new String[0]);
      supervisors.awaitState(SERVICE, State.STOPPED);
      connection.invoke(mbean, "start", new Object[0], new String[0]);
      supervisors.awaitState(SERVICE, State.RUNNING);
    }
  }
}
