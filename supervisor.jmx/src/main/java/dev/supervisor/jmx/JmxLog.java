package dev.supervisor.jmx;

import org.osgi.framework.BundleContext;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Warnings through the OSGi Log Service's {@code LoggerFactory} when one is registered, and nowhere
 * otherwise. The Log Service is an optional import: the tracker works by class name, and the Log API is
 * touched only once a factory exists (so the class {@code Logger} is never loaded without it).
 */
final class JmxLog {
  private static final String LOGGER_FACTORY = "org.osgi.service.log.LoggerFactory";

  private final ServiceTracker<Object, Object> tracker;

  JmxLog(BundleContext context) {
    this.tracker = new ServiceTracker<>(context, LOGGER_FACTORY, null);
    tracker.open();
  }

  void close() {
    tracker.close();
  }

  void warn(String message, Throwable error) {
    Object factory = tracker.getService();
    if (factory == null) {
      return;
    }
    try {
      Writer.warn(factory, message, error);
    } catch (NoClassDefFoundError | ClassCastException wiredElsewhere) {
      // The factory's Log API is not the one this bundle is wired to: stay quiet rather than fail.
    }
  }

  /** The only code that names the Log API; loaded on first use, when a factory exists. */
  private static final class Writer {
    static void warn(Object factory, String message, Throwable error) {
      Logger logger = ((LoggerFactory) factory).getLogger("dev.supervisor.jmx");
      if (error == null) {
        logger.warn(message);
      } else {
        logger.warn(message, error);
      }
    }
  }
}
