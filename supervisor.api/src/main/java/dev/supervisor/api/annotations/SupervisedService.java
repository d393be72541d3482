package dev.supervisor.api.annotations;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.RestartPolicy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * A DS 1.4 component property type: put it on a {@code @Component(service = Supervised.class)} and bnd
 * writes the {@code supervisor.*} service properties into the component description.
 *
 * <pre>{@code
 * @Component(service = Supervised.class)
 * @SupervisedService(name = "db", dependsOn = "config", restart = RestartPolicy.ON_FAILURE)
 * public class Database implements Supervised { ... }
 * }</pre>
 *
 * <p>An element you leave out sets no property, so the worker gets what a whiteboard service without that
 * property gets: the default configured in PID {@code dev.supervisor} where there is one, else the built-in
 * default ({@link dev.supervisor.api.ServiceProperty} lists both kinds). That is why every element but
 * {@link #name()} and {@link #group()} is an array whose default is empty: Java has no "unset" for an
 * annotation element, and bnd writes no property for an empty array. Write a single value as usual
 * ({@code restart = RestartPolicy.ALWAYS}, {@code jitter = 0}); a scalar property given more than one value
 * rejects the registration, naming the service, the property and the values.
 *
 * <p>Durations are ISO-8601 ({@code "PT0.5S"}) or milliseconds ({@code "500"}).
 *
 * @since 2.0 (before: every element had the built-in default, which hid the configured defaults)
 */
@ComponentPropertyType
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface SupervisedService {

  /** Property name prefix: each element becomes {@code supervisor.<element>}. */
  String PREFIX_ = "supervisor.";

  /** @return {@code supervisor.name}, required, unique */
  String name();

  /** @return {@code supervisor.dependsOn}; none when left out */
  String[] dependsOn() default {};

  /** @return {@code supervisor.restart}, at most one value; unset when left out */
  RestartPolicy[] restart() default {};

  /** @return {@code supervisor.autoStart}, at most one value; unset when left out */
  boolean[] autoStart() default {};

  /** @return {@code supervisor.restartDelay}, at most one value; unset when left out */
  String[] restartDelay() default {};

  /** @return {@code supervisor.maxRestartDelay}, at most one value; unset when left out */
  String[] maxRestartDelay() default {};

  /** @return {@code supervisor.backoffMultiplier}, at most one value; unset when left out */
  double[] backoffMultiplier() default {};

  /** @return {@code supervisor.jitter}, at most one value; unset when left out */
  double[] jitter() default {};

  /** @return {@code supervisor.maxRestarts} (0 = unlimited), at most one value; unset when left out */
  int[] maxRestarts() default {};

  /** @return {@code supervisor.restartWindow}, at most one value; unset when left out */
  String[] restartWindow() default {};

  /** @return {@code supervisor.maxRestartsInWindow} (0 = unlimited), at most one value; unset when left out */
  int[] maxRestartsInWindow() default {};

  /** @return {@code supervisor.readyTimeout}, at most one value; unset when left out */
  String[] readyTimeout() default {};

  /** @return {@code supervisor.stopTimeout}, at most one value; unset when left out */
  String[] stopTimeout() default {};

  /** @return {@code supervisor.readiness}, at most one value; unset when left out */
  Readiness[] readiness() default {};

  /**
   * @return {@code supervisor.group}, "" = the root group (a group is never a configured default, so this
   *     one needs no "unset")
   */
  String group() default "";

  /** @return {@code supervisor.escalate}: what happens once when the restarts are used up; unset when left out */
  Escalation[] escalate() default {};

  /** @return {@code supervisor.missingDependencyGrace}, at most one value; unset when left out */
  String[] missingDependencyGrace() default {};

  /**
   * @return {@code supervisor.significant}: whether its end for good may end its group (never a configured
   *     default, so this one needs no "unset")
   */
  boolean significant() default false;
}
