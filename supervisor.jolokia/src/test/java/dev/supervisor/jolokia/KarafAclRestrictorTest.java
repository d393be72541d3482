package dev.supervisor.jolokia;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The restrictor against a stand-in for Karaf's security MBean (the real one is tested in KarafFeaturesIT). */
class KarafAclRestrictorTest {
  /** The interface of Karaf's JMXSecurityMBean that the restrictor calls. */
  public interface SecurityMBean {
    boolean canInvoke(String objectName, String methodName);
  }

  /** Allows restart and setLevel only; records what it was asked. */
  public static final class Security implements SecurityMBean {
    final List<String> asked = new ArrayList<>();

    @Override
    public boolean canInvoke(String objectName, String methodName) {
      asked.add(objectName + " " + methodName);
      return methodName.equals("restart") || methodName.equals("setLevel");
    }
  }

  private final ObjectName service = name("dev.supervisor:type=Service,name=demo.http");

  @Test
  void operationsAndWritesAreWhatKarafsAclAllows() throws Exception {
    MBeanServer server = MBeanServerFactory.newMBeanServer();
    Security security = new Security();
    server.registerMBean(security, name("org.apache.karaf:type=security,area=jmx,name=root"));
    KarafAclRestrictor restrictor = new KarafAclRestrictor(server);

    assertTrue(restrictor.isOperationAllowed(service, "restart()"));
    assertTrue(restrictor.isOperationAllowed(service, "restart"));
    assertFalse(restrictor.isOperationAllowed(service, "stop()"));
    assertTrue(restrictor.isAttributeWriteAllowed(service, "Level"));
    assertFalse(restrictor.isAttributeWriteAllowed(service, "State"));
    assertTrue(restrictor.isAttributeReadAllowed(service, "State"), "reads are Jolokia's policy's business");
    assertTrue(security.asked.contains("dev.supervisor:type=Service,name=demo.http restart"), security.asked::toString);
  }

  @Test
  void withoutKarafsSecurityMBeanOperationsAreRefused() {
    KarafAclRestrictor restrictor = new KarafAclRestrictor(MBeanServerFactory.newMBeanServer());
    assertFalse(restrictor.isOperationAllowed(service, "restart()"));
    assertFalse(restrictor.isAttributeWriteAllowed(service, "Level"));
  }

  private static ObjectName name(String text) {
    try {
      return new ObjectName(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
