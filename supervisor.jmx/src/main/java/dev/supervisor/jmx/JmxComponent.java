package dev.supervisor.jmx;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.MissingDependency;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorAdmin;
import dev.supervisor.api.SupervisorListener;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Follows the {@link Supervisor} service and its status updates, and keeps one MBean per supervised service
 * ({@code dev.supervisor:type=Service,name=<name>}), one per supervision group
 * ({@code dev.supervisor:type=Group,name=<path>}) and one for the supervisor
 * ({@code dev.supervisor:type=Supervisor}) registered in the MBeanServer: the one the framework offers as
 * a service (Karaf), else the platform MBeanServer. It holds no supervision state: the MBeans read the
 * supervisor's snapshots when asked. What it keeps is which MBeans it registered, so that deactivation
 * (this bundle or the supervisor going away, or an MBeanServer service appearing: the reference is
 * static and greedy) unregisters every one of them.
 *
 * <p>A service's MBean is registered on its first status update (or, for services that existed before
 * this component, from {@link Supervisor#services()}), and unregistered on
 * {@link SupervisorListener#serviceRemoved}. Updates reach this component's listener in order on one
 * dispatcher queue; the lock orders them against activation's catch-up and against deactivation.
 * Notifications are sent outside the lock.
 */
@Component(immediate = true, service = {})
public final class JmxComponent {
  private final Supervisor supervisor;
  /** Removal for operators: the service MBeans' remove. */
  private final SupervisorAdmin admin;
  private final MBeanServer server;
  private final JmxLog log;
  private final SupervisorListener listener = new Listener();
  private final ObjectName supervisorName = ObjectNames.supervisor();
  private final DescribedMXBean<SupervisorMXBean> supervisorBean;
  private final boolean supervisorRegistered;

  private final Object lock = new Object();
  /** Guarded by lock: the MBean registered for each service name. */
  private final Map<String, Registered> services = new HashMap<>();
  /**
   * Guarded by lock: the group MBeans registered, by path. Groups are never removed from a supervisor, so
   * these stay until deactivation; a new group is noticed by the first update of a service in it.
   */
  private final Map<String, ObjectName> groups = new HashMap<>();
  /**
   * Guarded by lock: registrations removed while activation was catching up (their removal may overtake the
   * catch-up's older snapshot); null once caught up.
   */
  private Set<Long> removedWhileCatchingUp = new HashSet<>();
  /** Guarded by lock: set by deactivation; no MBean is registered after it. */
  private boolean closed;

  /** One registered service MBean, for the registration (id) it was made for. */
  private record Registered(long id, ObjectName name, DescribedMXBean<ServiceMXBean> mbean) {}

  /**
   * Registers the supervisor's MBean, starts listening, then registers an MBean for every service the
   * supervisor already has.
   *
   * @param context this bundle's context
   * @param supervisor the supervisor (bundle scope: what this bundle adds through it, the listener, goes
   *     when the service is released)
   * @param admin what the service MBeans' remove goes through (an operator removes what any bundle added)
   * @param offered the framework's MBeanServer service, or null to use the platform one
   */
  @Activate
  public JmxComponent(BundleContext context, @Reference(name = "supervisor") Supervisor supervisor,
      @Reference(name = "admin") SupervisorAdmin admin,
      @Reference(name = "mbeanServer", cardinality = ReferenceCardinality.OPTIONAL,
          policyOption = ReferencePolicyOption.GREEDY) MBeanServer offered) {
    this.supervisor = supervisor;
    this.admin = admin;
    this.server = offered != null ? offered : ManagementFactory.getPlatformMBeanServer();
    this.log = new JmxLog(context);
    this.supervisorBean = new DescribedMXBean<>(new SupervisorBean(supervisor), SupervisorMXBean.class,
        Map.of("awaitStarted", BootReportTable.TYPE), Notifications.ofSupervisor());
    this.supervisorRegistered = register(supervisorName, supervisorBean);
    // Listen first, then read what exists: a service is either in the list or announced by an update.
    supervisor.addListener(listener);
    List<ServiceInfo> existing = supervisor.services();
    synchronized (lock) {
      for (ServiceInfo info : existing) {
        if (!removedWhileCatchingUp.contains(info.id())) {
          track(info.id(), info.name());
        }
      }
      removedWhileCatchingUp = null;
      trackGroups();
    }
  }

  /** Stops listening and unregisters every MBean this component registered. */
  @Deactivate
  void deactivate() {
    supervisor.removeListener(listener);
    synchronized (lock) {
      closed = true;
      for (Registered registered : services.values()) {
        unregister(registered.name());
      }
      services.clear();
      groups.values().forEach(this::unregister);
      groups.clear();
    }
    if (supervisorRegistered) {
      unregister(supervisorName);
    }
    log.close();
  }

  // ---------------------------------------------------------------- called with the lock held

  /** @return the MBean of this registration, registered now if need be; null if it cannot be */
  private Registered track(long id, String name) {
    Registered existing = services.get(name);
    if (existing != null) {
      if (existing.id() == id) {
        return existing;
      }
      // An earlier registration of the same name whose removal was not seen: the new one replaces it.
      services.remove(name);
      unregister(existing.name());
    }
    ObjectName objectName = ObjectNames.service(name);
    DescribedMXBean<ServiceMXBean> mbean = new DescribedMXBean<>(new ServiceBean(supervisor, admin, name, id),
        ServiceMXBean.class, Notifications.ofService());
    if (!register(objectName, mbean)) {
      return null;
    }
    Registered registered = new Registered(id, objectName, mbean);
    services.put(name, registered);
    return registered;
  }

  /** Registers an MBean for every group that has none yet. */
  private void trackGroups() {
    for (GroupInfo group : supervisor.groups()) {
      if (!groups.containsKey(group.path())) {
        ObjectName name = ObjectNames.group(group.path());
        if (register(name, new DescribedMXBean<>(new GroupBean(supervisor, group.path()), GroupMXBean.class))) {
          groups.put(group.path(), name);
        }
      }
    }
  }

  private void untrack(long id, String name) {
    if (removedWhileCatchingUp != null) {
      removedWhileCatchingUp.add(id);
    }
    Registered registered = services.get(name);
    if (registered != null && registered.id() == id) {
      services.remove(name);
      unregister(registered.name());
    }
  }

  // ---------------------------------------------------------------- MBeanServer

  private boolean register(ObjectName name, Object mbean) {
    try {
      server.registerMBean(mbean, name);
      return true;
    } catch (JMException | RuntimeException e) {
      log.warn("cannot register the MBean " + name + " (" + e + "); the service stays supervised, without it", e);
      return false;
    }
  }

  private void unregister(ObjectName name) {
    try {
      server.unregisterMBean(name);
    } catch (InstanceNotFoundException alreadyGone) {
      // someone else unregistered it (a JMX client may): nothing left to clean
    } catch (JMException | RuntimeException e) {
      log.warn("cannot unregister the MBean " + name + " (" + e + ")", e);
    }
  }

  /** Called on the supervisor's dispatcher, one update at a time, in order. */
  private final class Listener implements SupervisorListener {
    @Override
    public void statusChanged(StatusUpdate update) {
      Registered registered;
      synchronized (lock) {
        if (closed) {
          return;
        }
        registered = track(update.serviceId(), update.serviceName());
        if (!groups.containsKey(update.group())) {
          trackGroups();
        }
      }
      // Outside the lock: a local notification listener runs on this thread and may take its time.
      boolean failed = Notifications.isFailure(update);
      if (registered != null) {
        DescribedMXBean<ServiceMXBean> mbean = registered.mbean();
        mbean.sendNotification(Notifications.stateChange(registered.name(), mbean.nextSequence(), update));
        if (failed) {
          mbean.sendNotification(Notifications.failure(registered.name(), mbean.nextSequence(), registered.name(),
              update));
        }
        if (Notifications.isEscalation(update)) {
          mbean.sendNotification(Notifications.escalation(registered.name(), mbean.nextSequence(),
              registered.name(), update));
        }
      }
      if (Notifications.isEscalation(update)) {
        // Also from the supervisor MBean: the service MBean goes away with the refresh that follows.
        ObjectName service = registered != null ? registered.name() : ObjectNames.service(update.serviceName());
        supervisorBean.sendNotification(Notifications.escalation(supervisorName, supervisorBean.nextSequence(),
            service, update));
      }
      if (failed || Notifications.isRejection(update)) {
        ObjectName service = registered != null ? registered.name() : ObjectNames.service(update.serviceName());
        supervisorBean.sendNotification(Notifications.failure(supervisorName, supervisorBean.nextSequence(),
            service, update));
      }
    }

    @Override
    public void dependencyMissing(MissingDependency missing) {
      ObjectName service;
      synchronized (lock) {
        if (closed) {
          return;
        }
        Registered registered = services.get(missing.service());
        service = registered != null ? registered.name() : ObjectNames.service(missing.service());
      }
      supervisorBean.sendNotification(Notifications.missingDependency(supervisorName, supervisorBean.nextSequence(),
          service, missing));
    }

    @Override
    public void serviceRemoved(long serviceId, String serviceName) {
      synchronized (lock) {
        if (!closed) {
          untrack(serviceId, serviceName);
        }
      }
    }

    @Override
    public String toString() {
      return "supervisor.jmx MBean registrar";
    }
  }
}
