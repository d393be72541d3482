package dev.supervisor.impl.engine;

import java.util.function.IntSupplier;

/**
 * Which threads carry the runs (and every other call into a worker's code): {@code supervisor.threads} in
 * PID {@code dev.supervisor}, or the engine's constructor.
 */
public enum RunThreadMode {
  /** Platform threads, kept for reuse (the default; any Java). */
  PLATFORM,
  /**
   * A virtual thread per run (Java 21 or later). On an older Java the engine says so in one log line and uses
   * platform threads.
   */
  VIRTUAL;

  Carriers carriers(Mailbox mailbox, EngineLog log, IntSupplier backlog) {
    if (this == VIRTUAL) {
      try {
        return VirtualCarriers.create(mailbox, log);
      } catch (UnsupportedOperationException e) {
        log.warn("supervisor.threads=VIRTUAL refused: " + e.getMessage() + "; runs use platform threads", null);
      }
    }
    return new PlatformCarriers(mailbox, log, backlog, ControlLoop.SPIN_NANOS);
  }
}
