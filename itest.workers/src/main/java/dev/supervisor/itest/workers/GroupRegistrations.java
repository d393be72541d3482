package dev.supervisor.itest.workers;

import dev.supervisor.api.SupervisorGroup;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * Registers {@link SupervisorGroup} whiteboard services on behalf of a test, under this (the worker) bundle's
 * context, as a bundle that ships its own group configuration would. The test owns the returned
 * registration and unregisters it, which puts the group back to the defaults.
 */
public final class GroupRegistrations {

  private GroupRegistrations() {}

  /**
   * @param properties the service properties ({@code supervisor.group.*}, at least the path)
   * @return the registration, owned by the caller
   */
  public static ServiceRegistration<SupervisorGroup> whiteboard(Map<String, ?> properties) {
    return context().registerService(SupervisorGroup.class, new GroupMarker(), new Hashtable<>(properties));
  }

  /** The marker object; named, so that a service listing shows what it is. */
  private static final class GroupMarker implements SupervisorGroup {
    @Override
    public String toString() {
      return "itest.workers SupervisorGroup";
    }
  }

  private static BundleContext context() {
    Bundle self = FrameworkUtil.getBundle(GroupRegistrations.class);
    BundleContext context = self == null ? null : self.getBundleContext();
    return Objects.requireNonNull(context, "the itest.workers bundle is not active: " + self);
  }
}
