package dev.supervisor.health;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorListener;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.apache.felix.hc.api.HealthCheck;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Keeps one {@link HealthCheck} service registered per supervision group: {@code hc.name} =
 * {@code Supervisor group <path>} ({@code (root)} for the root), {@code hc.tags} = {@code supervisor} and
 * the group's path ({@value #ROOT_TAG} for the root, whose path is empty), and {@code supervisor.group} =
 * the path.
 *
 * <p>Groups are read from {@link Supervisor#groups()} when the component activates, and again whenever a
 * status update names a group that has no check yet (a group is created when its first service joins it).
 * A group configured by hand that has no member yet gets its check at the next such read. The supervisor
 * never removes a group, but a group missing from a read loses its check all the same. Every check is
 * unregistered when the component deactivates (this bundle or the supervisor going away).
 *
 * <p>Threads: the reads happen on the activating thread and on the supervisor's dispatcher (this is a
 * listener), under this object's lock; registering a check under it is safe because Felix HC only tracks
 * checks and never calls back into this class while one is registered.
 */
@Component(immediate = true, service = {})
public final class GroupHealthChecks implements SupervisorListener {
  /** The tag of every check. */
  public static final String TAG = "supervisor";
  /** The path tag of the root group, whose path is "". */
  public static final String ROOT_TAG = "supervisor.root";
  /** Service property on each check: the path of its group. */
  public static final String GROUP_PROPERTY = "supervisor.group";

  private final BundleContext context;
  private final Supervisor supervisor;
  /** Guarded by this. */
  private final Map<String, ServiceRegistration<HealthCheck>> checks = new HashMap<>();
  /** Guarded by this. */
  private boolean closed;

  /**
   * Registers a check for every group that exists and follows the supervisor for new ones.
   *
   * @param context this bundle's context, to register the checks with
   * @param supervisor the supervisor (this bundle's own instance of the bundle-scoped service)
   */
  @Activate
  public GroupHealthChecks(BundleContext context, @Reference Supervisor supervisor) {
    this.context = context;
    this.supervisor = supervisor;
    supervisor.addListener(this);
    sync();
  }

  @Deactivate
  void deactivate() {
    supervisor.removeListener(this);
    synchronized (this) {
      closed = true;
      for (ServiceRegistration<HealthCheck> registration : checks.values()) {
        unregister(registration);
      }
      checks.clear();
    }
  }

  /** @return the hc.tags value of a group's check */
  static String[] tagsOf(String path) {
    return new String[] {TAG, path.isEmpty() ? ROOT_TAG : path};
  }

  /** @return the hc.name value of a group's check */
  static String nameOf(String path) {
    return "Supervisor group " + GroupHealthCheck.displayName(path);
  }

  @Override
  public void statusChanged(StatusUpdate update) {
    boolean known;
    synchronized (this) {
      known = checks.containsKey(update.group());
    }
    if (!known) {
      sync();
    }
  }

  /** Registers a check for each group without one, and unregisters those of groups that are gone. */
  private void sync() {
    Set<String> paths = new HashSet<>();
    for (GroupInfo group : supervisor.groups()) {
      paths.add(group.path());
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      for (Iterator<Map.Entry<String, ServiceRegistration<HealthCheck>>> it = checks.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<String, ServiceRegistration<HealthCheck>> check = it.next();
        if (!paths.contains(check.getKey())) {
          unregister(check.getValue());
          it.remove();
        }
      }
      for (String path : paths) {
        if (!checks.containsKey(path)) {
          checks.put(path, register(path));
        }
      }
    }
  }

  private ServiceRegistration<HealthCheck> register(String path) {
    Dictionary<String, Object> properties = new Hashtable<>();
    properties.put(HealthCheck.NAME, nameOf(path));
    properties.put(HealthCheck.TAGS, tagsOf(path));
    properties.put(GROUP_PROPERTY, path);
    return context.registerService(HealthCheck.class, new GroupHealthCheck(supervisor, path), properties);
  }

  private static void unregister(ServiceRegistration<HealthCheck> registration) {
    try {
      registration.unregister();
    } catch (IllegalStateException alreadyGone) {
      // this bundle is stopping and the framework unregistered it first
    }
  }

  @Override
  public String toString() {
    return "supervisor group health checks";
  }
}
