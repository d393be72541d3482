package dev.supervisor.impl.osgi;

import dev.supervisor.impl.engine.EngineLog;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Writes the engine's log through the OSGi Log Service's {@code LoggerFactory} when one is registered,
 * and nowhere otherwise. The Log Service is an optional import: the tracker works by class name, and
 * {@link LogServiceWriter}, the only class that names the Log API, is loaded only once a factory exists.
 */
final class OsgiLog implements EngineLog {
  private static final String LOGGER_FACTORY = "org.osgi.service.log.LoggerFactory";

  private final ServiceTracker<Object, Object> tracker;

  OsgiLog(BundleContext context) {
    this.tracker = new ServiceTracker<>(context, LOGGER_FACTORY, null);
    tracker.open();
  }

  void close() {
    tracker.close();
  }

  @Override
  public void info(String message) {
    write(LogServiceWriter.Level.INFO, message, null);
  }

  @Override
  public void warn(String message, Throwable error) {
    write(LogServiceWriter.Level.WARN, message, error);
  }

  @Override
  public void error(String message, Throwable error) {
    write(LogServiceWriter.Level.ERROR, message, error);
  }

  private void write(LogServiceWriter.Level level, String message, Throwable error) {
    Object factory = tracker.getService();
    if (factory == null) {
      return;
    }
    try {
      LogServiceWriter.write(factory, level, message, error);
    } catch (NoClassDefFoundError | ClassCastException wiredElsewhere) {
      // The factory's Log API is not the one this bundle is wired to: stay quiet rather than fail.
    }
  }
}
