package dev.supervisor.impl.engine;

import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorException;
import java.util.function.Supplier;

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

  /**
   * A fresh instance per run, as the broker's factories give: each instance has its {@code run} and
   * {@code stop()} called at most once, and is dropped after its run (closed first if it is
   * {@link AutoCloseable}). A factory that throws or returns null fails the start, with a message that
   * says so; it is counted and backed off like any failed start.
   *
   * @param service the service's name, for those messages
   * @param factory makes each run's instance
   * @return the source
   */
  static WorkerSource fresh(String service, Supplier<? extends Supervised> factory) {
    return new WorkerSource() {
      @Override
      public Supervised acquire() {
        Supervised worker;
        try {
          worker = factory.get();
        } catch (RuntimeException e) {
          throw new SupervisorException(SupervisorException.Kind.START_FAILURE, service,
              "service '" + service + "': its worker factory threw " + e, e);
        }
        if (worker == null) {
          throw new SupervisorException(SupervisorException.Kind.START_FAILURE, service,
              "service '" + service + "': its worker factory returned null");
        }
        return worker;
      }

      @Override
      public void release(Supervised instance) {
        if (instance instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception e) {
            throw new IllegalStateException("service '" + service + "': closing its worker failed: " + e, e);
          }
        }
      }

      @Override public String toString() { return "a fresh instance per run from " + factory; }
    };
  }
}
