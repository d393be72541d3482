package dev.supervisor.jmx;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The text JConsole, VisualVM and Hawtio show for an MXBean, one of its attributes (on the getter), one of
 * its operations or an operation's parameter. Read by {@link DescribedMXBean}; kept beside the method it
 * describes so that the two cannot drift apart.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.PARAMETER})
@interface Description {

  /** @return the human description */
  String value();

  /**
   * @return for an operation: {@link javax.management.MBeanOperationInfo#INFO} if it only reads (a console
   *     may then call it without asking), else {@link javax.management.MBeanOperationInfo#ACTION}, the default
   */
  int impact() default javax.management.MBeanOperationInfo.ACTION;
}
