package dev.supervisor.impl.engine;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.Strategy;
import dev.supervisor.api.SupervisorException;
import java.util.Map;

/**
 * Reads the {@code supervisor.group.*} properties of a {@code SupervisorGroup} service into a
 * {@link GroupSpec}, in the same forms as {@link SpecProperties}; unset keys keep the defaults of
 * {@link #defaults(String)}. Every error names the group, the property and the value.
 */
public final class GroupSpecProperties {
  private GroupSpecProperties() {}

  /**
   * @param path a group path
   * @return what a group gets when nobody configured it: {@link GroupSpec#builder}'s defaults (suptree's,
   *     except that the root never pauses)
   */
  public static GroupSpec defaults(String path) {
    return GroupSpec.builder(path).build();
  }

  /**
   * @param properties the service's properties
   * @return the spec
   * @throws SupervisorException INVALID_PROPERTY naming the group, the property and the value
   */
  public static GroupSpec parse(Map<String, ?> properties) {
    Object rawPath = properties.get(GroupSpec.PATH);
    if (!(rawPath instanceof String path) || !GroupSpec.isValidPath(path)) {
      throw SupervisorException.invalidProperty(null, GroupSpec.PATH, rawPath,
          "a group path is required: \"\" for the root, or segments separated by '/'");
    }
    GroupSpec.Builder builder = defaults(path).toBuilder();
    PropertyReader reader = PropertyReader.forGroup(path, properties);
    reader.enumValue(GroupSpec.STRATEGY, Strategy.class).ifPresent(builder::strategy);
    reader.duration(GroupSpec.FAILURE_DECAY).ifPresent(builder::failureDecay);
    reader.decimal(GroupSpec.FAILURE_THRESHOLD).ifPresent(builder::failureThreshold);
    reader.duration(GroupSpec.FAILURE_BACKOFF).ifPresent(builder::failureBackoff);
    reader.integer(GroupSpec.MAX_RESTARTS).ifPresent(builder::maxRestarts);
    reader.duration(GroupSpec.RESTART_WINDOW).ifPresent(builder::restartWindow);
    reader.duration(GroupSpec.STOP_TIMEOUT).ifPresent(builder::stopTimeout);
    reader.enumValue(GroupSpec.AUTO_SHUTDOWN, dev.supervisor.api.AutoShutdown.class).ifPresent(builder::autoShutdown);
    return builder.build();
  }
}
