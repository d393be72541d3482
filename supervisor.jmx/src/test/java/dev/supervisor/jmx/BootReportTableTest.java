package dev.supervisor.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.BootReport;
import dev.supervisor.api.MissingDependency;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervisor;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/**
 * The boot report as open types: the table's rows, {@code awaitStarted} called through a real MBeanServer
 * (the result passed through as the table, a bad timeout refused naming it), and the missing-dependency
 * notification's user data.
 */
class BootReportTableTest {
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
  private static final BootReport REPORT = new BootReport(AT, false, List.of(
      new BootReport.Line("api", "web", State.WAITING, Optional.empty(),
          Optional.of("waiting for dbb (missing; did you mean 'db'?)")),
      new BootReport.Line("db", "", State.RUNNING, Optional.of(Duration.ofMillis(120)), Optional.empty())));

  /** An MBeanServer of this test's own (newMBeanServer keeps no reference: nothing to release). */
  private final MBeanServer server = MBeanServerFactory.newMBeanServer();
  private final List<Duration> asked = new ArrayList<>();

  @Test
  void oneRowPerServiceIndexedByName() {
    TabularData table = BootReportTable.of(REPORT);
    assertEquals(BootReportTable.TYPE, table.getTabularType());
    assertEquals(2, table.size());
    CompositeData api = table.get(new Object[] {"api"});
    assertEquals("web", api.get("group"));
    assertEquals("WAITING", api.get("state"));
    assertEquals(-1L, api.get("timeToReadyMillis"));
    assertEquals("waiting for dbb (missing; did you mean 'db'?)", api.get("why"));
    CompositeData db = table.get(new Object[] {"db"});
    assertEquals("", db.get("group"));
    assertEquals(120L, db.get("timeToReadyMillis"));
    assertEquals("", db.get("why"), "empty when RUNNING");
  }

  @Test
  void awaitStartedThroughAnMBeanServerReturnsTheTable() throws Exception {
    ObjectName name = register();
    Object result = server.invoke(name, "awaitStarted", new Object[] {1500L}, new String[] {"long"});
    assertEquals(BootReportTable.of(REPORT), result);
    assertEquals(List.of(Duration.ofMillis(1500)), asked);
  }

  @Test
  void aNegativeTimeoutIsRefusedNamingTheParameterAndTheValue() throws Exception {
    ObjectName name = register();
    RuntimeMBeanException refused = assertThrows(RuntimeMBeanException.class,
        () -> server.invoke(name, "awaitStarted", new Object[] {-5L}, new String[] {"long"}));
    assertEquals(IllegalArgumentException.class, refused.getCause().getClass());
    assertEquals("awaitStarted: timeoutMillis must be 0 or more, got -5", refused.getCause().getMessage());
    assertEquals(List.of(), asked, "nothing asked of the supervisor");
  }

  @Test
  void theMissingDependencyNotificationCarriesItsFields() throws Exception {
    ObjectName service = ObjectNames.service("api");
    MissingDependency missing = new MissingDependency("api", "dbb", AT, Duration.ofSeconds(30), Optional.of("db"));
    Notification notification = Notifications.missingDependency(ObjectNames.supervisor(), 7, service, missing);
    assertEquals(Notifications.MISSING_DEPENDENCY, notification.getType());
    assertEquals(missing.toString(), notification.getMessage());
    assertEquals(7, notification.getSequenceNumber());
    CompositeData data = (CompositeData) notification.getUserData();
    assertEquals(Notifications.MISSING_TYPE, data.getCompositeType());
    assertEquals("api", data.get("service"));
    assertEquals(service, data.get("objectName"));
    assertEquals("dbb", data.get("dependency"));
    assertEquals(Date.from(AT), data.get("since"));
    assertEquals(30_000L, data.get("graceMillis"));
    assertEquals("db", data.get("closestName"));
    assertTrue(notification.getMessage().contains("did you mean 'db'?"), notification.getMessage());

    CompositeData none = (CompositeData) Notifications.missingDependency(ObjectNames.supervisor(), 8, service,
        new MissingDependency("api", "zzz", AT, Duration.ofSeconds(30), Optional.empty())).getUserData();
    assertNull(none.get("closestName"));
  }

  private ObjectName register() throws Exception {
    Supervisor supervisor = (Supervisor) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Supervisor.class}, (proxy, method, args) -> {
          if (!method.getName().equals("awaitStarted")) {
            throw new UnsupportedOperationException(method.getName());
          }
          asked.add((Duration) args[0]);
          return REPORT;
        });
    ObjectName name = ObjectNames.supervisor();
    server.registerMBean(new DescribedMXBean<>(new SupervisorBean(supervisor), SupervisorMXBean.class,
        Map.of("awaitStarted", BootReportTable.TYPE), Notifications.ofSupervisor()), name);
    return name;
  }
}
