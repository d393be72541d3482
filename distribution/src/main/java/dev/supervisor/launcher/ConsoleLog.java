package dev.supervisor.launcher;

import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;

/**
 * Prints the OSGi Log Service's entries on the console: those of loggers named {@code dev.supervisor...} from
 * {@code supervisorLevel} up (INFO by default), every other one from {@code level} up (WARN by default). One
 * line per entry; an exception is printed as its class and message with its causes, and with its stack trace
 * only when asked ({@code launcher.log.stackTraces=true}), so that a failure the supervisor handles (a worker
 * throwing, a component's activate failing) does not flood the shell.
 *
 * <p>The Log API is not on the launcher's class path (the Log Service bundle exports it), so the listener is
 * a {@link Proxy} of the bundle's own {@code LogListener} interface and every entry is read by reflection.
 * Entries arrive on the Log Service's delivery thread.
 */
final class ConsoleLog implements ServiceListener {
  private static final String READER = "org.osgi.service.log.LogReaderService";
  private static final List<String> LEVELS = List.of("AUDIT", "ERROR", "WARN", "INFO", "DEBUG", "TRACE");

  private final BundleContext context;
  private final int level;
  private final int supervisorLevel;
  private final boolean stackTraces;
  private final PrintStream out;

  private ConsoleLog(BundleContext context, int level, int supervisorLevel, boolean stackTraces, PrintStream out) {
    this.context = context;
    this.level = level;
    this.supervisorLevel = supervisorLevel;
    this.stackTraces = stackTraces;
    this.out = out;
  }

  /**
   * Starts listening for Log Services in the framework (call after {@code init}, before {@code start}, so
   * that no entry is missed).
   */
  static void attach(BundleContext context, String level, String supervisorLevel, boolean stackTraces) {
    ConsoleLog log = new ConsoleLog(context, rank(level), rank(supervisorLevel), stackTraces, System.out);
    try {
      context.addServiceListener(log, "(objectClass=" + READER + ")");
    } catch (InvalidSyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** @return the lowest level that the Log Service must let through: the more detailed of the two */
  static String lowest(String level, String supervisorLevel) {
    return LEVELS.get(Math.max(rank(level), rank(supervisorLevel)));
  }

  private static int rank(String level) {
    int rank = LEVELS.indexOf(level.strip().toUpperCase(java.util.Locale.ROOT));
    if (rank < 0) {
      throw new IllegalArgumentException("log level " + level + ": expected one of " + LEVELS);
    }
    return rank;
  }

  @Override
  public void serviceChanged(ServiceEvent event) {
    if (event.getType() != ServiceEvent.REGISTERED) {
      return;
    }
    ServiceReference<?> reference = event.getServiceReference();
    Object reader = context.getService(reference);
    if (reader == null) {
      return;
    }
    try {
      Method add = method(reader.getClass(), "addLogListener");
      Class<?> listenerType = add.getParameterTypes()[0];
      Object listener = Proxy.newProxyInstance(listenerType.getClassLoader(), new Class<?>[] {listenerType},
          new Listener());
      add.invoke(reader, listener);
    } catch (ReflectiveOperationException | RuntimeException e) {
      out.println("launcher: cannot print the log on the console: " + e);
    }
  }

  private static Method method(Class<?> type, String name) throws NoSuchMethodException {
    for (Class<?> api : type.getInterfaces()) {
      for (Method method : api.getMethods()) {
        if (method.getName().equals(name) && method.getParameterCount() == 1) {
          return method;
        }
      }
    }
    if (type.getSuperclass() != null) {
      return method(type.getSuperclass(), name);
    }
    throw new NoSuchMethodException(name);
  }

  /** The LogListener: {@code logged(LogEntry)}; Object's methods answered as for any object. */
  private final class Listener implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "logged":
          logged(args[0]);
          return null;
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "launcher console log";
        default:
          return null;
      }
    }
  }

  private void logged(Object entry) throws ReflectiveOperationException {
    String entryLevel = String.valueOf(call(entry, "getLogLevel"));
    String logger = String.valueOf(call(entry, "getLoggerName"));
    int rank = LEVELS.indexOf(entryLevel);
    int threshold = logger.startsWith("dev.supervisor") ? supervisorLevel : level;
    if (rank < 0 || rank > threshold) {
      return;
    }
    Bundle bundle = (Bundle) call(entry, "getBundle");
    StringBuilder line = new StringBuilder()
        .append(entryLevel).append(' ')
        .append(bundle == null ? "?" : bundle.getSymbolicName()).append(' ')
        .append(logger).append(": ")
        .append(call(entry, "getMessage"));
    Throwable error = (Throwable) call(entry, "getException");
    for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      line.append(cause == error ? ": " : "; caused by ").append(cause);
    }
    synchronized (out) {
      out.println(line);
      if (error != null && stackTraces) {
        error.printStackTrace(out);
      }
    }
  }

  private static Object call(Object target, String name) throws ReflectiveOperationException {
    Method method = target.getClass().getMethod(name);
    method.setAccessible(true);
    return method.invoke(target);
  }
}
