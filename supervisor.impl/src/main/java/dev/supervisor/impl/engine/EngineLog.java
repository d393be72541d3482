package dev.supervisor.impl.engine;

/** Where the engine writes what an operator should read; the OSGi adapter forwards it to the Log Service. */
public interface EngineLog {

  /** Writes nothing. */
  EngineLog QUIET = new EngineLog() {
    @Override public void info(String message) {}
    @Override public void warn(String message, Throwable error) {}
    @Override public void error(String message, Throwable error) {}
  };

  /** @param message a state change or decision worth a line */
  void info(String message);

  /** @param message a failure of a worker; @param error the cause, or null */
  void warn(String message, Throwable error);

  /** @param message a failure of the supervisor itself or of a listener; @param error the cause, or null */
  void error(String message, Throwable error);
}
