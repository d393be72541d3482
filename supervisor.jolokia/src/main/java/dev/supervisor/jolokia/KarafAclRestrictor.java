package dev.supervisor.jolokia;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jolokia.restrictor.Restrictor;
import org.jolokia.util.HttpMethod;
import org.jolokia.util.RequestType;
import org.osgi.service.component.annotations.Component;

/**
 * Applies Karaf's JMX ACL ({@code etc/jmx.acl*.cfg}) to Jolokia's REST requests: an operation or an attribute
 * write runs only if Karaf's {@code org.apache.karaf:type=security,area=jmx,name=root} MBean says the user may
 * ({@code canInvoke}), as Hawtio's RBAC restrictor does. Karaf enforces its ACL on its RMI connector only, so
 * without this, any user Jolokia lets in (JAAS realm {@code karaf}) may run every operation.
 *
 * <p>Jolokia's OSGi agent uses Restrictor services with {@code org.jolokia.useRestrictorService=true}, and with
 * {@code org.jolokia.authMode=jaas} it handles each request inside {@code Subject.doAs} with the user's
 * subject; the security MBean answers for the subject of the calling context, so this class never looks at
 * the user itself. Reads are left to Jolokia's policy (Karaf's own ACL lets every role read). Without the
 * security MBean (not Karaf) or on any error, operations and writes are refused: closed, not open.
 *
 * <p>Threads: called from Jolokia's request threads; stateless.
 */
@Component(service = Restrictor.class)
public final class KarafAclRestrictor implements Restrictor {
  /** Karaf's JMXSecurityMBean, e.g. org.apache.karaf:type=security,area=jmx,name=root (name: the instance). */
  static final String SECURITY_MBEANS = "org.apache.karaf:type=security,area=jmx,*";

  /** The MBeanServers to look in for the security MBean, in order. */
  private final Supplier<List<MBeanServer>> servers;
  private final ObjectName security;

  /**
   * Looks for Karaf's security MBean in every MBeanServer of the JVM: Karaf registers its MBeans in an
   * MBeanServer of its own, not necessarily the platform one (and Jolokia reads them all).
   */
  public KarafAclRestrictor() {
    this(() -> {
      List<MBeanServer> all = new ArrayList<>(MBeanServerFactory.findMBeanServer(null));
      all.add(ManagementFactory.getPlatformMBeanServer());
      return all;
    });
  }

  KarafAclRestrictor(MBeanServer server) {
    this(() -> List.of(server));
  }

  private KarafAclRestrictor(Supplier<List<MBeanServer>> servers) {
    this.servers = servers;
    try {
      this.security = new ObjectName(SECURITY_MBEANS);
    } catch (MalformedObjectNameException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public boolean isOperationAllowed(ObjectName name, String operation) {
    // Jolokia may pass the operation with its signature, e.g. restart() or start(java.lang.String)
    int signature = operation.indexOf('(');
    return canInvoke(name, signature < 0 ? operation : operation.substring(0, signature));
  }

  @Override
  public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
    return canInvoke(name, "set" + attribute);
  }

  @Override
  public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
    return true;
  }

  @Override
  public boolean isHttpMethodAllowed(HttpMethod method) {
    return true;
  }

  @Override
  public boolean isTypeAllowed(RequestType type) {
    return true;
  }

  @Override
  public boolean isRemoteAccessAllowed(String... hostOrAddress) {
    return true;
  }

  @Override
  public boolean isOriginAllowed(String origin, boolean strictCheck) {
    return true;
  }

  private boolean canInvoke(ObjectName name, String method) {
    try {
      for (MBeanServer server : servers.get()) {
        for (ObjectName found : server.queryNames(security, null)) {
          return Boolean.TRUE.equals(server.invoke(found, "canInvoke", new Object[] {name.toString(), method},
              new String[] {String.class.getName(), String.class.getName()}));
        }
      }
      return false; // no Karaf security MBean: refuse
    } catch (JMException | RuntimeException e) {
      return false; // it failed: refuse
    }
  }
}
