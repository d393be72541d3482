package dev.supervisor.impl.osgi;

import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/** The one class that uses the (optional) Log Service API; see {@link OsgiLog}. */
final class LogServiceWriter {
  private LogServiceWriter() {}

  enum Level { INFO, WARN, ERROR }

  static void write(Object factory, Level level, String message, Throwable error) {
    Logger logger = ((LoggerFactory) factory).getLogger("dev.supervisor");
    switch (level) {
      case INFO -> logger.info(message);
      case WARN -> {
        if (error == null) {
          logger.warn(message);
        } else {
          logger.warn(message, error);
        }
      }
      case ERROR -> {
        if (error == null) {
          logger.error(message);
        } else {
          logger.error(message, error);
        }
      }
      default -> throw new AssertionError(level);
    }
  }
}
