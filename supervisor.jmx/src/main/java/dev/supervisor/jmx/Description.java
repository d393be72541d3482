package dev.supervisor.jmx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The text JConsole, VisualVM and Hawtio show for an MXBean, one of its attributes (on the getter) or one of
 * its operations. Read by {@link DescribedMXBean}; kept beside the method it describes so that the two
 * cannot drift apart.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface Description {

  /** @return the human description */
  String value();
}
