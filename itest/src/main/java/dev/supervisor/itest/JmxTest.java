package dev.supervisor.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.Supervised;
import dev.supervisor.itest.workers.BlockingWorker;
import dev.supervisor.itest.workers.CrashingWorker;
import dev.supervisor.itest.workers.Registrations;
import dev.supervisor.itest.workers.StartupWorkers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.JMRuntimeException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/**
 * The supervisor over JMX, seen as JConsole sees it: through a remote connector, open types only. Workers
 * are registered through the worker bundle (the product side); everything checked goes through
 * {@link JmxClient}.
 */
class JmxTest {

  private static final String[] STARTUP = StartupWorkers.all().toArray(String[]::new);

  private static final Map<String, String> PRIMITIVES = Map.of("int", Integer.class.getName(), "long",
      Long.class.getName(), "boolean", Boolean.class.getName(), "double", Double.class.getName());

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
  void connectorListensOnLoopbackOnly() {
    assertEquals("127.0.0.1", System.getProperty("java.rmi.server.hostname"));
    assertEquals("127.0.0.1", jmx.address().getHost(), jmx.address()::toString);
  }

  @Test
  void listsTheSupervisorAndAnMBeanPerService() {
    supervisors.awaitRunning(STARTUP);
    for (String name : STARTUP) {
      ObjectName mbean = jmx.awaitService(name);
      assertEquals(name, jmx.attribute(mbean, "Name"));
      assertEquals("dev.supervisor:type=Service,name=" + name, mbean.toString());
    }
    assertTrue(jmx.all().contains(JmxClient.SUPERVISOR), () -> "MBeans: " + jmx.all());
    List<String> names = supervisors.get().services().stream().map(ServiceInfo::name).collect(Collectors.toList());
    Await.until("ServiceNames lists every service", () -> Arrays.asList((String[]) jmx.attribute(
        JmxClient.SUPERVISOR, "ServiceNames")), seen -> seen.containsAll(List.of(STARTUP)));
    assertEquals(names.size(), ((Number) jmx.attribute(JmxClient.SUPERVISOR, "ServiceCount")).intValue(),
        names::toString);
  }

  @Test
  void attributesShowTheSnapshot() {
    supervisors.awaitRunning(STARTUP);
    ObjectName b = jmx.awaitService(StartupWorkers.CHAIN_B);
    ServiceInfo info = supervisors.info(StartupWorkers.CHAIN_B).orElseThrow();
    assertEquals("RUNNING", jmx.attribute(b, "State"));
    assertEquals(info.id(), jmx.longAttribute(b, "Id"));
    assertArrayEquals(new String[] {StartupWorkers.CHAIN_A}, (String[]) jmx.attribute(b, "Dependencies"));
    assertArrayEquals(new String[] {StartupWorkers.CHAIN_C}, (String[]) jmx.attribute(b, "Dependents"));
    assertArrayEquals(new String[0], (String[]) jmx.attribute(b, "MissingDependencies"));
    assertEquals(info.owner(), jmx.attribute(b, "Owner"));
    assertTrue(((String) jmx.attribute(b, "Owner")).startsWith(Osgi.WORKERS_BUNDLE + " ["));
    assertEquals(info.startCount(), jmx.longAttribute(b, "StartCount"));
    assertEquals(info.createdAt().toEpochMilli(), ((Date) jmx.attribute(b, "CreatedAt")).getTime());
    assertEquals("ON_FAILURE", jmx.attribute(b, "RestartPolicy"));
    assertTrue(jmx.longAttribute(b, "CurrentUptime") >= 0);
    assertTrue(jmx.longAttribute(b, "TimeToReady") >= 0, "a RUNNING service became ready once");
    assertNull(jmx.attribute(b, "LastErrorKind"), "chain.b never failed");
    assertNull(jmx.attribute(b, "NextRestartAt"), "not in BACKOFF");
    Map<Object, Object> spec = JmxClient.map(jmx.attribute(b, "Spec"));
    assertEquals(StartupWorkers.CHAIN_B, spec.get(ServiceSpec.NAME));
    assertEquals(StartupWorkers.CHAIN_A, spec.get(ServiceSpec.DEPENDS_ON));
    assertEquals("EXPLICIT", spec.get(ServiceSpec.READINESS));
    assertEquals(info.spec().stopTimeout().toString(), spec.get(ServiceSpec.STOP_TIMEOUT));

    String graph = (String) jmx.attribute(JmxClient.SUPERVISOR, "DependencyGraph");
    assertTrue(graph.contains("chain.b [RUNNING] -> chain.a [RUNNING]\n"), graph);
    assertTrue(graph.contains("chain.c [RUNNING] -> chain.b [RUNNING]\n"), graph);
    assertTrue(graph.contains("chain.a [RUNNING]\n"), graph);
    Map<Object, Object> counts = JmxClient.map(jmx.attribute(JmxClient.SUPERVISOR, "StateCounts"));
    assertEquals(Arrays.stream(State.values()).map(Enum::name).collect(Collectors.toSet()), counts.keySet());
    assertTrue(((Integer) counts.get("RUNNING")) >= STARTUP.length, counts::toString);
    assertTrue(((Number) jmx.attribute(JmxClient.SUPERVISOR, "RunningCount")).intValue() >= STARTUP.length);
    // ServiceStates: group -> service -> state; chain.b's RUNNING is 1, every other state of it 0
    TabularData groups = (TabularData) jmx.attribute(JmxClient.SUPERVISOR, "ServiceStates");
    TabularData services = (TabularData) groups.get(new Object[] {info.group()}).get("value");
    Map<Object, Object> states = JmxClient.map(services.get(new Object[] {StartupWorkers.CHAIN_B}).get("value"));
    assertEquals(Arrays.stream(State.values()).map(Enum::name).collect(Collectors.toSet()), states.keySet());
    for (State state : State.values()) {
      assertEquals(state == State.RUNNING ? 1 : 0, states.get(state.name()), state::toString);
    }
  }

  /** Every attribute of every kind of service (running, crashing, rejected, waiting) and of the supervisor. */
  @Test
  void everyAttributeIsAnOpenTypeAndReadable() {
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "jmx.attrs.waiting",
        ServiceSpec.DEPENDS_ON, "jmx.attrs.nobody"));
    register(new CrashingWorker(), Map.of(ServiceSpec.NAME, "jmx.attrs.crashing",
        ServiceSpec.RESTART_DELAY, "PT1H", ServiceSpec.MAX_RESTART_DELAY, "PT1H"));
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "jmx.attrs.rejected",
        ServiceSpec.JITTER, "lots"));
    supervisors.awaitRunning(STARTUP);
    supervisors.awaitState("jmx.attrs.waiting", State.WAITING);
    supervisors.awaitState("jmx.attrs.crashing", State.BACKOFF);
    supervisors.awaitState("jmx.attrs.rejected", State.FAILED);
    ObjectName crashing = jmx.awaitService("jmx.attrs.crashing");
    jmx.awaitService("jmx.attrs.waiting");
    jmx.awaitService("jmx.attrs.rejected");

    // these, not whatever the domain holds: an MBean of another test's service may be on its way out
    List<ObjectName> checked = new ArrayList<>(List.of(JmxClient.SUPERVISOR));
    for (String name : STARTUP) {
      checked.add(jmx.awaitService(name));
    }
    for (String name : List.of("jmx.attrs.waiting", "jmx.attrs.crashing", "jmx.attrs.rejected")) {
      checked.add(jmx.awaitService(name));
    }
    for (ObjectName mbean : checked) {
      assertReadableOpenMBean(mbean);
    }
    // the crashing one shows its failure and its scheduled restart
    assertEquals("PANIC", jmx.attribute(crashing, "LastErrorKind"));
    assertEquals(IllegalStateException.class.getName(), jmx.attribute(crashing, "LastErrorClass"));
    assertTrue(((String) jmx.attribute(crashing, "LastErrorStackTrace")).contains("CrashingWorker.run"));
    assertNotNull(jmx.attribute(crashing, "NextRestartAt"));
    assertTrue(jmx.longAttribute(crashing, "CurrentDelay") > 0);
    assertEquals(1L, jmx.longAttribute(crashing, "FailureCount"));
    assertArrayEquals(new String[] {"jmx.attrs.nobody"},
        (String[]) jmx.attribute(jmx.awaitService("jmx.attrs.waiting"), "MissingDependencies"));
    String graph = (String) jmx.attribute(JmxClient.SUPERVISOR, "DependencyGraph");
    assertTrue(graph.contains("jmx.attrs.waiting [WAITING] -> jmx.attrs.nobody (missing)"), graph);
  }

  private static void assertReadableOpenMBean(ObjectName mbean) {
    MBeanInfo info = JmxClient.call(() -> jmx.connection().getMBeanInfo(mbean));
    JmxClient.assertJdkOnly(mbean + " MBeanInfo", info);
    assertDescribed(mbean + " itself", info.getDescription());
    assertTrue(info.getAttributes().length > 0, mbean::toString);
    List<String> names = new ArrayList<>();
    for (MBeanAttributeInfo attribute : info.getAttributes()) {
      String what = mbean + "." + attribute.getName();
      Object openType = attribute.getDescriptor().getFieldValue("openType");
      assertInstanceOf(OpenType.class, openType, () -> what + " is not of an open type: " + attribute.getType());
      // MXBeans declare primitives by their Java name (long), the open type by its wrapper (java.lang.Long)
      assertEquals(((OpenType<?>) openType).getClassName(), PRIMITIVES.getOrDefault(attribute.getType(),
          attribute.getType()), what);
      assertDescribed(what, attribute.getDescription());
      Object value = jmx.attribute(mbean, attribute.getName());
      assertTrue(value == null || ((OpenType<?>) openType).isValue(value),
          () -> what + " = " + value + " is not a value of " + openType);
      names.add(attribute.getName());
    }
    AttributeList values = JmxClient.call(() -> jmx.connection().getAttributes(mbean, names.toArray(String[]::new)));
    assertEquals(names, values.asList().stream().map(Attribute::getName).collect(Collectors.toList()),
        () -> mbean + ": getAttributes, as JConsole calls it, left some out");
    Set<String> operations = mbean.equals(JmxClient.SUPERVISOR)
        ? Set.of("startAll", "stopAll", "restartAll", "resetAll", "awaitStarted")
        : Set.of("start", "stop", "restart", "reset", "remove");
    assertEquals(operations, Arrays.stream(info.getOperations()).map(MBeanOperationInfo::getName)
        .collect(Collectors.toSet()), () -> mbean + " operations");
    for (MBeanOperationInfo operation : info.getOperations()) {
      // the boot report only reads; every other operation acts
      assertEquals(operation.getName().equals("awaitStarted") ? MBeanOperationInfo.INFO : MBeanOperationInfo.ACTION,
          operation.getImpact(), () -> mbean + "." + operation.getName());
      assertDescribed(mbean + "." + operation.getName(), operation.getDescription());
    }
    assertTrue(info.getNotifications().length > 0, () -> mbean + " declares no notification");
    for (MBeanNotificationInfo notification : info.getNotifications()) {
      assertDescribed(mbean + " notification " + notification.getName(), notification.getDescription());
    }
  }

  private static void assertDescribed(String what, String description) {
    assertNotNull(description, what);
    assertFalse(description.isBlank() || description.contains("exposed for management")
        || description.startsWith("Information on the management interface"), () -> what + ": " + description);
  }

  @Test
  void serviceOperationsActOnTheService() {
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "jmx.ops"));
    ObjectName ops = jmx.awaitService("jmx.ops");
    jmx.awaitState(ops, "RUNNING");

    jmx.invoke(ops, "stop");
    jmx.awaitState(ops, "STOPPED");
    jmx.invoke(ops, "start");
    jmx.awaitState(ops, "RUNNING");
    assertEquals(2L, jmx.longAttribute(ops, "StartCount"));
    jmx.invoke(ops, "restart");
    Await.until("jmx.ops started a third time", () -> jmx.longAttribute(ops, "StartCount"), n -> n == 3L);
    jmx.awaitState(ops, "RUNNING");

    // reset: a service that used up its restarts is FAILED until reset, which starts it again
    register(new CrashingWorker(), Map.of(ServiceSpec.NAME, "jmx.ops.failing", ServiceSpec.MAX_RESTARTS, 1,
        ServiceSpec.RESTART_DELAY, "PT0.01S"));
    ObjectName failing = jmx.awaitService("jmx.ops.failing");
    jmx.awaitState(failing, "FAILED");
    assertEquals(2L, jmx.longAttribute(failing, "StartCount"));
    assertEquals(1L, jmx.longAttribute(failing, "RestartCount"));
    jmx.invoke(failing, "reset");
    Await.until("jmx.ops.failing started again after reset", () -> jmx.longAttribute(failing, "StartCount"),
        n -> n >= 3L);
    jmx.awaitState(failing, "FAILED");
    assertEquals(4L, jmx.longAttribute(failing, "StartCount"), "reset gave it its one restart back");
  }

  @Test
  void supervisorOperationsActOnEveryService() {
    supervisors.awaitRunning(STARTUP);
    Map<String, ObjectName> mbeans = new HashMap<>();
    for (String name : STARTUP) {
      mbeans.put(name, jmx.awaitService(name));
    }
    long startsOfA = jmx.longAttribute(mbeans.get(StartupWorkers.CHAIN_A), "StartCount");
    try {
      jmx.invoke(JmxClient.SUPERVISOR, "stopAll");
      mbeans.values().forEach(mbean -> jmx.awaitState(mbean, "STOPPED"));
      Await.until("StoppedCount counts them", () -> ((Number) jmx.attribute(JmxClient.SUPERVISOR,
          "StoppedCount")).intValue(), n -> n >= STARTUP.length);
    } finally {
      jmx.invoke(JmxClient.SUPERVISOR, "startAll");
    }
    mbeans.values().forEach(mbean -> jmx.awaitState(mbean, "RUNNING"));
    assertEquals(startsOfA + 1, jmx.longAttribute(mbeans.get(StartupWorkers.CHAIN_A), "StartCount"));

    jmx.invoke(JmxClient.SUPERVISOR, "restartAll");
    Await.until("chain.a restarted", () -> jmx.longAttribute(mbeans.get(StartupWorkers.CHAIN_A), "StartCount"),
        n -> n == startsOfA + 2);
    supervisors.awaitRunning(STARTUP);

    register(new CrashingWorker(), Map.of(ServiceSpec.NAME, "jmx.all.failing", ServiceSpec.MAX_RESTARTS, 1,
        ServiceSpec.RESTART_DELAY, "PT0.01S"));
    ObjectName failing = jmx.awaitService("jmx.all.failing");
    jmx.awaitState(failing, "FAILED");
    long starts = jmx.longAttribute(failing, "StartCount");
    jmx.invoke(JmxClient.SUPERVISOR, "resetAll");
    Await.until("jmx.all.failing started again after resetAll", () -> jmx.longAttribute(failing, "StartCount"),
        n -> n > starts);
    supervisors.awaitRunning(STARTUP);
  }

  @Test
  void stateChangeNotificationsForACrashAndItsRestart() {
    register(new CrashingWorker(), Map.of(ServiceSpec.NAME, "jmx.notify", ServiceSpec.AUTO_START, false,
        ServiceSpec.MAX_RESTARTS, 1, ServiceSpec.RESTART_DELAY, "PT0.05S"));
    ObjectName mbean = jmx.awaitService("jmx.notify");
    jmx.awaitState(mbean, "IDLE");
    List<Notification> received = jmx.listen(mbean);
    List<Notification> fromSupervisor = jmx.listen(JmxClient.SUPERVISOR);

    jmx.invoke(mbean, "start");
    Await.until("jmx.notify failed notification", () -> received.stream()
        .anyMatch(n -> n.getType().equals("dev.supervisor.service.failed")), found -> found,
        found -> JmxClient.describe(received).toString());
    List<AttributeChangeNotification> changes = Await.until("the state change to FAILED", () -> received.stream()
        .filter(AttributeChangeNotification.class::isInstance).map(AttributeChangeNotification.class::cast)
        .collect(Collectors.toList()), seen -> !seen.isEmpty()
            && "FAILED".equals(seen.get(seen.size() - 1).getNewValue()),
        seen -> JmxClient.describe(received).toString());

    List<String> path = new ArrayList<>();
    path.add((String) changes.get(0).getOldValue());
    long sequence = 0;
    for (AttributeChangeNotification change : changes) {
      JmxClient.assertJdkOnly("notification", change);
      assertEquals("State", change.getAttributeName());
      assertEquals(String.class.getName(), change.getAttributeType());
      assertEquals(mbean, change.getSource());
      assertTrue(change.getSequenceNumber() > sequence, () -> "sequence numbers must grow: "
          + JmxClient.describe(received));
      sequence = change.getSequenceNumber();
      assertEquals(path.get(path.size() - 1), change.getOldValue(), () -> "a change was lost: "
          + JmxClient.describe(received));
      path.add((String) change.getNewValue());
    }
    assertEquals("IDLE", path.get(0), path::toString);
    assertTrue(path.contains("BACKOFF"), () -> "the crash: " + path);
    assertEquals(2, path.stream().filter("STARTING"::equals).count(), () -> "start and one restart: " + path);
    assertTrue(path.indexOf("BACKOFF") < path.lastIndexOf("STARTING"), () -> "restarted after the crash: " + path);

    Notification failed = received.stream().filter(n -> n.getType().equals("dev.supervisor.service.failed"))
        .findFirst().orElseThrow();
    CompositeData data = (CompositeData) failed.getUserData();
    assertEquals("jmx.notify", data.get("service"));
    assertEquals(mbean, data.get("objectName"));
    assertEquals("PANIC", data.get("kind"));
    assertTrue(((String) data.get("message")).contains("crash on attempt 2"), data::toString);

    Notification overall = Await.until("the supervisor MBean's failed notification", () -> fromSupervisor.stream()
        .filter(n -> n.getType().equals("dev.supervisor.service.failed"))
        .filter(n -> "jmx.notify".equals(((CompositeData) n.getUserData()).get("service"))).findFirst(),
        Optional::isPresent, seen -> JmxClient.describe(fromSupervisor).toString()).orElseThrow();
    assertEquals(JmxClient.SUPERVISOR, overall.getSource());
  }

  @Test
  void aRejectedRegistrationShowsWithItsReason() {
    List<Notification> fromSupervisor = jmx.listen(JmxClient.SUPERVISOR);
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "jmx.rejected", ServiceSpec.RESTART, "SOMETIMES"));

    Notification rejected = Await.until("a rejected notification for jmx.rejected", () -> fromSupervisor.stream()
        .filter(n -> n.getType().equals("dev.supervisor.service.rejected"))
        .filter(n -> "jmx.rejected".equals(((CompositeData) n.getUserData()).get("service"))).findFirst(),
        Optional::isPresent, seen -> JmxClient.describe(fromSupervisor).toString()).orElseThrow();
    JmxClient.assertJdkOnly("notification", rejected);
    CompositeData data = (CompositeData) rejected.getUserData();
    assertEquals("REJECTED", data.get("kind"));
    assertEquals("FAILED", data.get("state"));
    for (String part : List.of("jmx.rejected", ServiceSpec.RESTART, "SOMETIMES")) {
      assertTrue(rejected.getMessage().contains(part), rejected::getMessage);
      assertTrue(((String) data.get("message")).contains(part), data::toString);
    }

    ObjectName mbean = jmx.awaitService("jmx.rejected");
    assertEquals(mbean, data.get("objectName"));
    assertEquals("FAILED", jmx.attribute(mbean, "State"));
    assertEquals("REJECTED", jmx.attribute(mbean, "LastErrorKind"));
    String why = (String) jmx.attribute(mbean, "LastErrorMessage");
    assertTrue(why.contains(ServiceSpec.RESTART) && why.contains("SOMETIMES"), why);

    // an operation the supervisor refuses reaches the client as a JDK exception with the message
    JMRuntimeException refused = assertThrows(RuntimeMBeanException.class, () -> jmx.connection()
        .invoke(mbean, "start", new Object[0], new String[0]));
    JmxClient.assertNoProductClass(refused);
    Throwable cause = refused.getCause();
    assertInstanceOf(IllegalStateException.class, cause, () -> "cause: " + cause);
    assertTrue(cause.getMessage().contains("jmx.rejected"), cause::getMessage);
  }

  @Test
  void anUnknownServiceIsAPlainErrorForTheClient() throws Exception {
    register(new BlockingWorker(), Map.of(ServiceSpec.NAME, "jmx.gone"));
    ObjectName mbean = jmx.awaitService("jmx.gone");
    jmx.awaitState(mbean, "RUNNING");
    // a client that holds the name after the service went sees the MBean disappear, not a product class
    ServiceRegistration<?> registration = registrations.remove(registrations.size() - 1);
    registration.unregister();
    jmx.awaitNoService("jmx.gone");
    Exception gone = assertThrows(Exception.class, () -> jmx.connection().getAttribute(mbean, "State"));
    assertInstanceOf(InstanceNotFoundException.class, gone);
    JmxClient.assertNoProductClass(gone);
  }

  private void register(Supervised worker, Map<String, ?> properties) {
    registrations.add(Registrations.whiteboard(worker, properties));
  }
}
