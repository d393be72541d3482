package dev.supervisor.jmx;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.StandardEmitterMBean;

/**
 * An MXBean that emits notifications and carries a human description on itself, on each attribute and on
 * each operation (what JConsole shows in its MBeanInfo and tool tips), taken from the {@link Description}
 * annotations of its interface. Every operation has impact {@link MBeanOperationInfo#ACTION}: each one
 * changes what runs.
 *
 * <p>Threads: safe from any thread; notifications are delivered on the caller's thread (remote clients
 * only buffer them).
 *
 * @param <T> the MXBean interface
 */
class DescribedMXBean<T> extends StandardEmitterMBean {
  private final Class<T> mxbeanInterface;
  private final Emitter emitter;

  /**
   * @param implementation the object the attributes and operations are read from and invoked on
   * @param mxbeanInterface the MXBean interface, annotated with {@link Description}s
   * @param notifications what the bean emits, declared in its MBeanInfo
   */
  DescribedMXBean(T implementation, Class<T> mxbeanInterface, MBeanNotificationInfo... notifications) {
    this(implementation, mxbeanInterface, new Emitter(notifications));
  }

  private DescribedMXBean(T implementation, Class<T> mxbeanInterface, Emitter emitter) {
    super(implementation, mxbeanInterface, true, emitter);
    this.mxbeanInterface = mxbeanInterface;
    this.emitter = emitter;
  }

  /** @return the next sequence number of this bean's notifications: 1, 2, 3, ... */
  final long nextSequence() {
    return emitter.nextSequence();
  }

  @Override
  protected String getDescription(MBeanInfo info) {
    Description description = mxbeanInterface.getAnnotation(Description.class);
    return description != null ? description.value() : super.getDescription(info);
  }

  @Override
  protected String getDescription(MBeanAttributeInfo info) {
    for (String prefix : new String[] {"get", "is"}) {
      Description description = describe(prefix + info.getName());
      if (description != null) {
        return description.value();
      }
    }
    return super.getDescription(info);
  }

  @Override
  protected String getDescription(MBeanOperationInfo info) {
    Description description = describe(info.getName());
    return description != null ? description.value() : super.getDescription(info);
  }

  @Override
  protected int getImpact(MBeanOperationInfo info) {
    return MBeanOperationInfo.ACTION;
  }

  private Description describe(String methodName) {
    for (Method method : mxbeanInterface.getMethods()) {
      if (method.getName().equals(methodName) && method.getParameterCount() == 0) {
        return method.getAnnotation(Description.class);
      }
    }
    return null;
  }

  /** Declares the notifications and numbers them. */
  private static final class Emitter extends NotificationBroadcasterSupport {
    private final AtomicLong sequence = new AtomicLong();

    Emitter(MBeanNotificationInfo[] notifications) {
      super(notifications);
    }

    long nextSequence() {
      return sequence.incrementAndGet();
    }
  }
}
