package dev.supervisor.impl.engine;

import dev.supervisor.api.Supervised;

/**
 * Where the worker instance for each run comes from. For a plain object or a singleton service it is the
 * same instance every time; for a prototype-scoped OSGi service it is a fresh one per run, released after
 * that run. Called only on the run thread, never on the control thread, since getting a service may run
 * the provider's code.
 */
public interface WorkerSource {

  /**
   * @return the instance for the next run
   * @throws Exception if none can be had (the run then counts as a failed start)
   */
  Supervised acquire() throws Exception;

  /** @param instance an instance from {@link #acquire()} whose run has ended */
  void release(Supervised instance);

  /** Called once when the service is removed, after its last run ended. */
  default void close() {}

  /**
   * @param worker the instance
   * @return a source that always hands out {@code worker}
   */
  static WorkerSource of(Supervised worker) {
    return new WorkerSource() {
      @Override public Supervised acquire() { return worker; }
      @Override public void release(Supervised instance) {}
      @Override public String toString() { return String.valueOf(worker); }
    };
  }
}
