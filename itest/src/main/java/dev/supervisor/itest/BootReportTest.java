package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.Registrations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * The boot report and a misspelt dependency, over a real remote JMX connector ({@link JmxClient}), in Felix
 * with SCR: {@code boot.api} depends on {@code boot.stor} while {@code boot.store} is registered. Past its
 * grace period (half a second here) the supervisor MBean emits {@code dev.supervisor.service.missingDependency}
 * naming the closest name, the service MBean lists it in {@code OverdueDependencies}, and the boot report's row
 * says why {@code boot.api} is not running; once a service named {@code boot.stor} appears, {@code boot.api}
 * starts after all (OSGi bundles may come late) and the report shows it RUNNING.
 */
class BootReportTest {
  private static final String STORE = "boot.store";
  private static final String API = "boot.api";
  private static final String MISSPELT = "boot.stor";

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

  @Test
  void aMisspeltDependencyIsReportedWithTheClosestNameAndStillStartsWhenTheNameAppears() {
    List<Notification> fromSupervisor = jmx.listen(JmxClient.SUPERVISOR);
    registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, STORE)));
    supervisors.awaitState(STORE, State.RUNNING);
    registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, API,
        ServiceSpec.DEPENDS_ON, MISSPELT, ServiceSpec.MISSING_DEPENDENCY_GRACE, "PT0.5S")));

    Notification missing = Await.until("a missingDependency notification for " + API, () -> fromSupervisor.stream()
        .filter(n -> n.getType().equals("dev.supervisor.service.missingDependency"))
        .filter(n -> API.equals(((CompositeData) n.getUserData()).get("service"))).findFirst(),
        Optional::isPresent, seen -> JmxClient.describe(fromSupervisor).toString()).orElseThrow();
    JmxClient.assertJdkOnly("notification", missing);
    assertEquals(JmxClient.SUPERVISOR, missing.getSource());
    assertTrue(missing.getMessage().contains("'" + MISSPELT + "'")
        && missing.getMessage().contains("did you mean '" + STORE + "'?"), missing.getMessage());
    CompositeData data = (CompositeData) missing.getUserData();
    assertEquals(MISSPELT, data.get("dependency"));
    assertEquals(STORE, data.get("closestName"));
    assertEquals(500L, data.get("graceMillis"));
    assertInstanceOf(Date.class, data.get("since"));
    ObjectName api = jmx.awaitService(API);
    assertEquals(api, data.get("objectName"));

    assertEquals("WAITING", jmx.attribute(api, "State"));
    assertArrayEquals(new String[] {MISSPELT}, (String[]) jmx.attribute(api, "MissingDependencies"));
    assertArrayEquals(new String[] {MISSPELT}, (String[]) jmx.attribute(api, "OverdueDependencies"));
    CompositeData waiting = row(bootReport(2_000), API);
    assertEquals("WAITING", waiting.get("state"));
    assertEquals(-1L, waiting.get("timeToReadyMillis"));
    assertTrue(((String) waiting.get("why")).contains(MISSPELT), waiting::toString);
    assertEquals("RUNNING", row(bootReport(0), STORE).get("state"));

    // the name appears late, as a bundle may: the service was waiting all along and starts now
    registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, MISSPELT)));
    jmx.awaitState(api, "RUNNING");
    assertArrayEquals(new String[0], (String[]) jmx.attribute(api, "OverdueDependencies"));
    CompositeData running = row(bootReport(0), API);
    assertEquals("RUNNING", running.get("state"));
    assertEquals("", running.get("why"));
    assertTrue((Long) running.get("timeToReadyMillis") >= 0, running::toString);
    assertEquals(1, fromSupervisor.stream().filter(n -> n.getType().equals("dev.supervisor.service.missingDependency"))
        .filter(n -> API.equals(((CompositeData) n.getUserData()).get("service"))).count(),
        () -> "reported once: " + JmxClient.describe(fromSupervisor));
  }

  @Test
  void theReportHasOneRowPerServiceAndReadsOnly() {
    registrations.add(Registrations.whiteboard(new BlockingWorker(), Map.of(ServiceSpec.NAME, "boot.idle",
        ServiceSpec.AUTO_START, false)));
    supervisors.awaitState("boot.idle", State.IDLE);
    TabularData report = bootReport(0);
    assertEquals("dev.supervisor.BootReport", report.getTabularType().getTypeName());
    List<String> names = supervisors.get().services().stream().map(info -> info.name()).toList();
    for (String name : names) {
      CompositeData line = report.get(new Object[] {name});
      if (line != null) { // a service of another test may come or go meanwhile
        assertEquals(supervisors.info(name).map(info -> info.group()).orElse(null), line.get("group"), name);
      }
    }
    CompositeData idle = row(report, "boot.idle");
    assertEquals("IDLE", idle.get("state"));
    assertTrue(!((String) idle.get("why")).isEmpty(), idle::toString);
    assertEquals(State.IDLE, supervisors.info("boot.idle").orElseThrow().state(), "the report starts nothing");
  }

  private static TabularData bootReport(long timeoutMillis) {
    Object result = JmxClient.call(() -> jmx.connection().invoke(JmxClient.SUPERVISOR, "awaitStarted",
        new Object[] {timeoutMillis}, new String[] {"long"}));
    JmxClient.assertJdkOnly("boot report", result);
    return (TabularData) result;
  }

  private static CompositeData row(TabularData report, String name) {
    CompositeData row = report.get(new Object[] {name});
    assertTrue(row != null, () -> "no row for " + name + " in " + report.values());
    return row;
  }
}
