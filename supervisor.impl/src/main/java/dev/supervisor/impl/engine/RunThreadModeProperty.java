package dev.supervisor.impl.engine;

import dev.supervisor.api.SupervisorException;
import java.util.Map;

/**
 * {@code supervisor.threads} in a configuration: which {@link RunThreadMode} the engine is made with. Not a
 * service property (one engine has one mode), so it is not in {@code ServiceProperty}'s table; read in the forms
 * {@link SpecProperties} documents for enum names (any letter case, white space around, the constant itself, an
 * array or collection of one), so that every key of PID {@code dev.supervisor} reads alike.
 */
public final class RunThreadModeProperty {
  /** The key: {@code PLATFORM} (the default) or {@code VIRTUAL}. */
  public static final String KEY = "supervisor.threads";

  private RunThreadModeProperty() {}

  /**
   * @param pid the configuration's PID, for messages
   * @param configuration its properties; other keys are ignored
   * @return the mode it asks for, {@link RunThreadMode#PLATFORM} when it sets none
   * @throws SupervisorException INVALID_PROPERTY naming the PID, the key, the value and the accepted values
   */
  public static RunThreadMode read(String pid, Map<String, ?> configuration) {
    return PropertyReader.forConfiguration(pid, configuration).enumValue(KEY, RunThreadMode.class)
        .orElse(RunThreadMode.PLATFORM);
  }
}
