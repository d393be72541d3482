package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * Service names with every character an ObjectName treats specially get an MBean, and a client gets the
 * name back from the ObjectName with {@link ObjectName#unquote} (when quoted). A newline cannot reach JMX:
 * the engine refuses control characters in names, and the rejected registration shows under a placeholder.
 */
class JmxNamesTest {

  /** Every name here is one the engine accepts (printable, no leading or trailing white space). */
  static final List<String> AWKWARD = List.of("with space", "quote\"inside", "\"leading.quote", "comma,inside",
      "colon:inside", "equals=inside", "star*", "question?", "back\\slash", "trailing\\", "ünïcødé ✓ 日本",
      "a,b=c:d\"e*f?g\\h i", "*", "?", "\"", "type=Supervisor", "x,type=Supervisor");

  private static JmxClient jmx;

  private final Supervisors supervisors = new Supervisors();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  /** Names the engine showed this test's rejected registrations under. */
  private final List<String> shownAs = new ArrayList<>();

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
    // Wait until every MBean of this test is gone: the next test counts the MBeans it starts from.
    Await.until("no MBean of this test's services left", () -> jmx.all().stream()
        .filter(name -> "Service".equals(name.getKeyProperty("type")))
        .filter(name -> AWKWARD.contains(JmxClient.serviceName(name)) || shownAs.contains(JmxClient.serviceName(name)))
        .count(), n -> n == 0L);
    supervisors.close();
  }

  @Test
  void awkwardNamesRoundTrip() {
    int before = jmx.count();
    for (String name : AWKWARD) {
      registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, name)));
    }
    for (String name : AWKWARD) {
      ObjectName mbean = jmx.awaitService(name);
      assertFalse(mbean.isPattern(), mbean::toString);
      assertEquals("Service", mbean.getKeyProperty("type"), mbean::toString);
      assertEquals(2, mbean.getKeyPropertyList().size(), mbean::toString);
      assertEquals(name, JmxClient.serviceName(mbean));
      assertEquals(name, jmx.attribute(mbean, "Name"));
      jmx.awaitState(mbean, "RUNNING");
      String value = mbean.getKeyProperty("name");
      if (!value.equals(name)) {
        assertEquals(name, ObjectName.unquote(value), () -> "quoted " + value);
      }
    }
    assertEquals(before + AWKWARD.size(), jmx.count(), () -> "MBeans: " + jmx.all());
    assertTrue(jmx.all().contains(JmxClient.SUPERVISOR), "the supervisor's MBean is still the one");

    registrations.forEach(ServiceRegistration::unregister);
    registrations.clear();
    for (String name : AWKWARD) {
      jmx.awaitNoService(name);
    }
    assertEquals(before, jmx.count(), () -> "MBeans: " + jmx.all());
  }

  @Test
  void aNewlineInANameIsRejectedAndShown() {
    registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, "new\nline")));
    // the engine shows the refused registration under a placeholder name; find it, then its MBean
    String shownAs = Await.until("a rejected entry for the name with a newline", () -> supervisors.get().services()
        .stream().filter(info -> info.lastFailure().map(f -> f.message().contains("control characters"))
            .orElse(false)).map(ServiceInfo::name).findFirst(), Optional::isPresent,
        seen -> supervisors.describeAll()).orElseThrow();
    this.shownAs.add(shownAs);
    assertFalse(shownAs.contains("\n"), shownAs);
    ObjectName mbean = jmx.awaitService(shownAs);
    assertEquals("FAILED", jmx.attribute(mbean, "State"));
    assertEquals("REJECTED", jmx.attribute(mbean, "LastErrorKind"));
    assertTrue(((String) jmx.attribute(mbean, "LastErrorMessage")).contains("control characters"));
    assertEquals(shownAs, jmx.attribute(mbean, "Name"));
    assertEquals(shownAs, JmxClient.serviceName(mbean));
  }
}
