package dev.supervisor.impl.osgi;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.impl.engine.GroupSpecProperties;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * One supervision group declared by a factory configuration of PID {@code dev.supervisor.group} (e.g.
 * {@code etc/dev.supervisor.group-ingest.cfg} in Karaf) with the {@code supervisor.group.*} keys of
 * {@link GroupSpec}. A bad value is logged with the PID, the key and the value, and the previous
 * configuration stays in force; deleting the configuration puts the group back to the defaults.
 */
@Component(configurationPid = GroupConfiguration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = {})
public final class GroupConfiguration {
  /** The factory PID. */
  public static final String FACTORY_PID = "dev.supervisor.group";

  private final Supervisor supervisor;
  private final OsgiLog log;
  private String path;

  /**
   * @param context this bundle's context, for logging
   * @param supervisor the supervisor to configure
   * @param configuration the factory configuration's properties
   */
  @Activate
  public GroupConfiguration(BundleContext context, @Reference Supervisor supervisor,
      Map<String, Object> configuration) {
    this.supervisor = supervisor;
    this.log = new OsgiLog(context);
    apply(configuration);
  }

  @Modified
  void modified(Map<String, Object> configuration) {
    apply(configuration);
  }

  private void apply(Map<String, Object> configuration) {
    try {
      GroupSpec spec = GroupSpecProperties.parse(configuration);
      if (path != null && !path.equals(spec.path())) {
        supervisor.configureGroup(GroupSpecProperties.defaults(path));
      }
      supervisor.configureGroup(spec);
      path = spec.path();
    } catch (SupervisorException e) {
      log.error("configuration '" + configuration.getOrDefault("service.pid", FACTORY_PID) + "': "
          + e.getMessage() + "; the previous configuration stays in force", null);
    }
  }

  @Deactivate
  void deactivate() {
    try {
      if (path != null) {
        supervisor.configureGroup(GroupSpecProperties.defaults(path));
      }
    } catch (SupervisorException stopped) {
      // the supervisor has terminated: nothing to put back
    } finally {
      log.close();
    }
  }
}
