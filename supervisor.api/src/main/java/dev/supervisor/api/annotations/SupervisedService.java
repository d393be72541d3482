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
 * <p>Durations are ISO-8601 ({@code "PT0.5S"}) or milliseconds ({@code "500"}). Every element has a default
 * (the built-in default documented on {@link dev.supervisor.api.ServiceSpec}), and DS writes each element as
 * a component property, so an annotated worker always carries every value: defaults configured in PID
 * {@code dev.supervisor} do not reach it. Register the worker with plain service properties where those
 * configured defaults must apply.
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

  /** @return {@code supervisor.dependsOn} */
  String[] dependsOn() default {};

  /** @return {@code supervisor.restart} */
  RestartPolicy restart() default RestartPolicy.ON_FAILURE;

  /** @return {@code supervisor.autoStart} */
  boolean autoStart() default true;

  /** @return {@code supervisor.restartDelay} */
  String restartDelay() default "PT0.1S";

  /** @return {@code supervisor.maxRestartDelay} */
  String maxRestartDelay() default "PT30S";

  /** @return {@code supervisor.backoffMultiplier} */
  double backoffMultiplier() default 2.0;

  /** @return {@code supervisor.jitter} */
  double jitter() default 0.1;

  /** @return {@code supervisor.maxRestarts}, 0 = unlimited */
  int maxRestarts() default 0;

  /** @return {@code supervisor.restartWindow} */
  String restartWindow() default "PT60S";

  /** @return {@code supervisor.maxRestartsInWindow}, 0 = unlimited */
  int maxRestartsInWindow() default 0;

  /** @return {@code supervisor.readyTimeout} */
  String readyTimeout() default "PT30S";

  /** @return {@code supervisor.stopTimeout} */
  String stopTimeout() default "PT10S";

  /** @return {@code supervisor.readiness} */
  Readiness readiness() default Readiness.AUTO;

  /** @return {@code supervisor.group}, "" = the root group */
  String group() default "";

  /** @return {@code supervisor.escalate}: what happens once when the restarts are used up */
  Escalation escalate() default Escalation.NONE;
}
