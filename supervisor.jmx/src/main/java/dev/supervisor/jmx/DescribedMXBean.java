package dev.supervisor.jmx;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Descriptor;
import javax.management.ImmutableDescriptor;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ReflectionException;
import javax.management.RuntimeErrorException;
import javax.management.StandardEmitterMBean;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.TabularData;

/**
 * An MXBean that emits notifications and carries a human description on itself, on each attribute and on
 * each operation (what JConsole shows in its MBeanInfo and tool tips), taken from the {@link Description}
 * annotations of its interface, and parameters named as in the interface (the module compiles with
 * {@code -parameters}). An operation's impact is the one its {@link Description} gives:
 * {@link MBeanOperationInfo#ACTION} unless it says {@link MBeanOperationInfo#INFO}. Operations are not
 * overloaded: a name identifies one method.
 *
 * <p>An operation declared to return {@link TabularData} passes its result through as it is, declared with the
 * {@link OpenType} given at construction: the MXBean mapping cannot do that (it would take TabularData for a
 * bean of getters), and a table of flat rows is what JConsole shows best.
 *
 * <p>Threads: safe from any thread; notifications are delivered on the caller's thread (remote clients
 * only buffer them).
 *
 * @param <T> the MXBean interface
 */
class DescribedMXBean<T> extends StandardEmitterMBean {
  private final Class<T> mxbeanInterface;
  private final Emitter emitter;
  /** By operation name: the open type of each operation whose result is passed through (see class comment). */
  private final Map<String, OpenType<?>> openResults;
  /** What this bean's MBeanInfo is made from, and so the key it is shared under (see {@link #INFOS}). */
  private final Kind kind;

  /**
   * The MBeanInfo of each kind of bean (with the open results declared), made on first use and shared: it
   * depends only on the {@link Kind}, and making it reads the interface's methods and annotations for every
   * attribute and operation, which cost more than the rest of registering an MBean when the JMX bundle
   * registered one per supervised service, thousands of the same kind. The classes are this bundle's own, so
   * the map goes with its class loader.
   */
  private static final Map<Kind, MBeanInfo> INFOS = new ConcurrentHashMap<>();

  /** Everything an MBeanInfo is made from; records compare by value (notification infos do too). */
  private record Kind(Class<?> implementation, Class<?> mxbeanInterface, Map<String, OpenType<?>> openResults,
      List<MBeanNotificationInfo> notifications) {}

  /**
   * @param implementation the object the attributes and operations are read from and invoked on
   * @param mxbeanInterface the MXBean interface, annotated with {@link Description}s
   * @param notifications what the bean emits, declared in its MBeanInfo
   */
  DescribedMXBean(T implementation, Class<T> mxbeanInterface, MBeanNotificationInfo... notifications) {
    this(implementation, mxbeanInterface, Map.of(), notifications);
  }

  /**
   * @param implementation the object the attributes and operations are read from and invoked on
   * @param mxbeanInterface the MXBean interface, annotated with {@link Description}s
   * @param openResults the open type of each operation that returns {@link TabularData}, by name
   * @param notifications what the bean emits, declared in its MBeanInfo
   */
  DescribedMXBean(T implementation, Class<T> mxbeanInterface, Map<String, OpenType<?>> openResults,
      MBeanNotificationInfo... notifications) {
    this(implementation, mxbeanInterface, openResults, new Emitter(notifications));
  }

  private DescribedMXBean(T implementation, Class<T> mxbeanInterface, Map<String, OpenType<?>> openResults,
      Emitter emitter) {
    super(implementation, mxbeanInterface, true, emitter);
    this.mxbeanInterface = mxbeanInterface;
    this.emitter = emitter;
    this.openResults = Map.copyOf(openResults);
    this.kind = new Kind(implementation.getClass(), mxbeanInterface, this.openResults,
        List.of(emitter.getNotificationInfo()));
    for (String name : openResults.keySet()) {
      Method method = operation(name);
      if (method == null || method.getReturnType() != TabularData.class) {
        throw new IllegalArgumentException(mxbeanInterface.getName() + " has no operation " + name
            + " returning TabularData");
      }
    }
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    MBeanInfo shared = INFOS.get(kind);
    if (shared == null) {
      shared = withOpenResults(super.getMBeanInfo()); // a race makes it twice, equal: harmless
      INFOS.putIfAbsent(kind, shared);
    }
    return shared;
  }

  @Override
  public Object invoke(String name, Object[] params, String[] signature) throws MBeanException, ReflectionException {
    if (!openResults.containsKey(name)) {
      return super.invoke(name, params, signature);
    }
    // Parameters of such operations are simple types (long, String...): their open form is their Java form.
    try {
      return operation(name).invoke(getImplementation(), params);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      throw new ReflectionException(e, name + ": " + e.getMessage());
    } catch (InvocationTargetException e) {
      // as the MXBean introspector unwraps what an operation throws
      Throwable thrown = e.getCause();
      if (thrown instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (thrown instanceof Error error) {
        throw new RuntimeErrorException(error, error.toString());
      }
      throw new MBeanException((Exception) thrown, thrown.toString());
    }
  }

  private MBeanInfo withOpenResults(MBeanInfo built) {
    if (openResults.isEmpty()) {
      return built;
    }
    MBeanOperationInfo[] operations = built.getOperations().clone();
    for (int i = 0; i < operations.length; i++) {
      MBeanOperationInfo op = operations[i];
      OpenType<?> type = openResults.get(op.getName());
      if (type != null) {
        Map<String, Object> fields = new HashMap<>();
        Descriptor descriptor = op.getDescriptor();
        for (String field : descriptor.getFieldNames()) {
          fields.put(field, descriptor.getFieldValue(field));
        }
        fields.put("openType", type);
        fields.put("originalType", TabularData.class.getName());
        operations[i] = new MBeanOperationInfo(op.getName(), op.getDescription(), op.getSignature(),
            TabularData.class.getName(), op.getImpact(), new ImmutableDescriptor(fields));
      }
    }
    return new MBeanInfo(built.getClassName(), built.getDescription(), built.getAttributes(),
        built.getConstructors(), operations, built.getNotifications(), built.getDescriptor());
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
  protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    Method method = operation(op.getName());
    return method != null && method.getParameters()[sequence].isNamePresent()
        ? method.getParameters()[sequence].getName() : super.getParameterName(op, param, sequence);
  }

  @Override
  protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
    Method method = operation(op.getName());
    Description description = method == null ? null
        : method.getParameters()[sequence].getAnnotation(Description.class);
    return description != null ? description.value() : super.getDescription(op, param, sequence);
  }

  @Override
  protected int getImpact(MBeanOperationInfo info) {
    Description description = describe(info.getName());
    return description != null ? description.impact() : MBeanOperationInfo.ACTION;
  }

  /** @return the getter or operation of that name; attributes are read through getters without parameters */
  private Description describe(String methodName) {
    Method method = operation(methodName);
    return method == null ? null : method.getAnnotation(Description.class);
  }

  private Method operation(String methodName) {
    for (Method method : mxbeanInterface.getMethods()) {
      if (method.getName().equals(methodName)) {
        return method;
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
