package dev.supervisor.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.Supervisor;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/** What JConsole shows without calling anything: descriptions, open types, impacts, notifications. */
class MBeanInfoTest {

  private static final Supervisor NOTHING = (Supervisor) Proxy.newProxyInstance(
      MBeanInfoTest.class.getClassLoader(), new Class<?>[] {Supervisor.class}, (proxy, method, args) -> {
        throw new UnsupportedOperationException(method.getName());
      });

  @Test
  void serviceBean() {
    MBeanInfo info = new DescribedMXBean<>(new ServiceBean(NOTHING, name -> {
      throw new UnsupportedOperationException("remove");
    }, "x", 1), ServiceMXBean.class,
        Notifications.ofService()).getMBeanInfo();
    assertDescribed(info, ServiceMXBean.class, List.of("start", "stop", "restart", "reset", "remove"));
    assertTrue(attributeNames(info).containsAll(Set.of("State", "StateSince", "StartCount", "FailureCount",
        "SuccessCount", "RestartCount", "ConsecutiveFailures", "LastErrorKind", "LastErrorClass",
        "LastErrorMessage", "LastErrorStackTrace", "LastErrorTime", "LastStartTime", "LastStopTime",
        "CurrentUptime", "TotalUptime", "AverageUptime", "TimeToReady", "CurrentDelay", "NextRestartAt",
        "RestartsInWindow", "CreatedAt", "Owner", "Dependencies", "Dependents", "MissingDependencies",
        "RestartPolicy", "Spec", "BundleRefreshes", "StopReason", "OverdueDependencies")), () -> attributeNames(info).toString());
    assertEquals(Set.of(AttributeChangeNotification.ATTRIBUTE_CHANGE, Notifications.FAILED, Notifications.ESCALATED),
        types(info));
  }

  /** One service MBean per supervised service: their MBeanInfo is made once, not read from the interface each time. */
  @Test
  void beansOfOneKindShareOneMBeanInfo() {
    MBeanInfo first = serviceBean("x", 1).getMBeanInfo();
    MBeanInfo second = serviceBean("y", 2).getMBeanInfo();
    assertSame(first, second);
    MBeanInfo supervisor = new DescribedMXBean<>(new SupervisorBean(NOTHING), SupervisorMXBean.class,
        Map.of("awaitStarted", BootReportTable.TYPE), Notifications.ofSupervisor()).getMBeanInfo();
    assertNotSame(first, supervisor);
    assertEquals(SupervisorMXBean.class.getName(), supervisor.getDescriptor().getFieldValue("interfaceClassName"));
  }

  private static DescribedMXBean<ServiceMXBean> serviceBean(String name, long id) {
    return new DescribedMXBean<>(new ServiceBean(NOTHING, gone -> {
      throw new UnsupportedOperationException("remove");
    }, name, id), ServiceMXBean.class, Notifications.ofService());
  }

  @Test
  void supervisorBean() {
    MBeanInfo info = new DescribedMXBean<>(new SupervisorBean(NOTHING), SupervisorMXBean.class,
        Map.of("awaitStarted", BootReportTable.TYPE), Notifications.ofSupervisor()).getMBeanInfo();
    assertDescribed(info, SupervisorMXBean.class, List.of("startAll", "stopAll", "restartAll", "resetAll",
        "awaitStarted"));
    assertEquals(Set.of(Notifications.REJECTED, Notifications.FAILED, Notifications.ESCALATED,
        Notifications.MISSING_DEPENDENCY), types(info));
  }

  /** The boot report reads only: INFO, its parameter named and described, its result a table of flat rows. */
  @Test
  void awaitStartedIsAnInfoOperationReturningTheBootReportTable() {
    MBeanInfo info = new DescribedMXBean<>(new SupervisorBean(NOTHING), SupervisorMXBean.class,
        Map.of("awaitStarted", BootReportTable.TYPE), Notifications.ofSupervisor()).getMBeanInfo();
    MBeanOperationInfo awaitStarted = Stream.of(info.getOperations())
        .filter(op -> op.getName().equals("awaitStarted")).findFirst().orElseThrow();
    assertEquals(MBeanOperationInfo.INFO, awaitStarted.getImpact());
    assertEquals(TabularData.class.getName(), awaitStarted.getReturnType());
    assertEquals(BootReportTable.TYPE, awaitStarted.getDescriptor().getFieldValue("openType"));
    MBeanParameterInfo timeout = awaitStarted.getSignature()[0];
    assertEquals("timeoutMillis", timeout.getName());
    assertDescription("timeoutMillis", timeout.getDescription());
  }

  private static void assertDescribed(MBeanInfo info, Class<?> type, List<String> operations) {
    assertEquals(type.getAnnotation(Description.class).value(), info.getDescription());
    for (MBeanAttributeInfo attribute : info.getAttributes()) {
      assertFalse(attribute.isWritable(), attribute.getName());
      assertTrue(attribute.getDescriptor().getFieldValue("openType") instanceof OpenType,
          () -> attribute.getName() + " has no open type");
      assertDescription(attribute.getName(), attribute.getDescription());
    }
    assertEquals(Set.copyOf(operations),
        Stream.of(info.getOperations()).map(MBeanOperationInfo::getName).collect(Collectors.toSet()));
    for (MBeanOperationInfo operation : info.getOperations()) {
      assertEquals(operation.getName().equals("awaitStarted") ? MBeanOperationInfo.INFO : MBeanOperationInfo.ACTION,
          operation.getImpact(), operation.getName());
      assertDescription(operation.getName(), operation.getDescription());
    }
    for (MBeanNotificationInfo notification : info.getNotifications()) {
      assertDescription(notification.getName(), notification.getDescription());
    }
  }

  private static void assertDescription(String what, String description) {
    assertNotNull(description, what);
    // the JDK's defaults are "Attribute exposed for management" and "Operation exposed for management"
    assertFalse(description.contains("exposed for management"), () -> what + ": " + description);
    assertTrue(description.length() > 10, () -> what + ": " + description);
  }

  private static Set<String> attributeNames(MBeanInfo info) {
    return Stream.of(info.getAttributes()).map(MBeanAttributeInfo::getName).collect(Collectors.toSet());
  }

  private static Set<String> types(MBeanInfo info) {
    return Stream.of(info.getNotifications()).flatMap(n -> Stream.of(n.getNotifTypes()))
        .collect(Collectors.toSet());
  }
}
