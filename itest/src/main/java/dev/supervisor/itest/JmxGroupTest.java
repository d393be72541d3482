package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * Group MBeans through a remote connector, as JConsole sees them: one per group, the root's named
 * {@code name=""}; attributes are open types; restartAll, stopAll and reset act on the members.
 */
class JmxGroupTest {
  private static final String PATH = "jmxgroups/pair";
  private static JmxClient jmx;

  private final Supervisors supervisors = new Supervisors();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

  @BeforeAll
  static void connect() throws IOException {
    jmx = new JmxClient();
  }

  @AfterAll
  static void disconnect() throws IOException {
    jmx.close();
  }

  @AfterEach
  void close() {
    registrations.forEach(ServiceRegistration::unregister);
    supervisors.close();
  }

  private ObjectName awaitGroup(String path) {
    ObjectName name = JmxClient.name("dev.supervisor:type=Group,name=" + (path.isEmpty() ? ObjectName.quote("") : path));
    Await.until("the MBean " + name, () -> jmx.all().contains(name), Boolean::booleanValue);
    return name;
  }

  @Test
  void eachGroupHasAnMBeanWhoseOperationsActOnItsMembers() {
    for (String name : List.of("jmxgroups.one", "jmxgroups.two")) {
      registrations.add(Registrations.whiteboard(new BlockingWorker(),
          Map.of(ServiceSpec.NAME, name, ServiceSpec.GROUP, PATH)));
    }
    supervisors.awaitRunning("jmxgroups.one", "jmxgroups.two");
    ObjectName group = awaitGroup(PATH);
    ObjectName parent = awaitGroup("jmxgroups");
    ObjectName root = awaitGroup("");

    for (ObjectName mbean : List.of(group, parent, root)) {
      for (MBeanAttributeInfo attribute : JmxClient.call(() -> jmx.connection().getMBeanInfo(mbean)).getAttributes()) {
        JmxClient.assertJdkOnly(mbean + " " + attribute.getName(), jmx.attribute(mbean, attribute.getName()));
      }
    }
    assertEquals(PATH, jmx.attribute(group, "Path"));
    assertEquals("ONE_FOR_ONE", jmx.attribute(group, "Strategy"));
    assertEquals("RUNNING", jmx.attribute(group, "State"));
    assertArrayEquals(new String[] {"jmxgroups.one", "jmxgroups.two"}, (String[]) jmx.attribute(group, "Members"));
    assertArrayEquals(new String[] {PATH}, (String[]) jmx.attribute(parent, "Children"));
    assertTrue(Arrays.asList((String[]) jmx.attribute(root, "Children")).contains("jmxgroups"));
    assertEquals(Double.POSITIVE_INFINITY, jmx.attribute(root, "FailureThreshold"), "the root never pauses by default");
    assertEquals(PATH, jmx.attribute(jmx.awaitService("jmxgroups.one"), "Group"));

    long startsBefore = supervisors.info("jmxgroups.two").orElseThrow().startCount();
    jmx.invoke(group, "restartAll");
    Await.until("jmxgroups.two started again",
        () -> supervisors.info("jmxgroups.two").orElseThrow().startCount(), n -> n == startsBefore + 1);
    supervisors.awaitRunning("jmxgroups.one", "jmxgroups.two");

    Object stragglers = JmxClient.call(() -> jmx.connection().invoke(group, "stopAll", null, null));
    assertArrayEquals(new String[0], (String[]) stragglers, "every member stopped within the group's stop timeout");
    assertEquals("STOPPED", supervisors.info("jmxgroups.one").orElseThrow().state().name());
    jmx.invoke(group, "reset");
    assertEquals(0.0, jmx.attribute(group, "FailureCount"));
  }
}
