package dev.supervisor.itest.components;

/** Provided by the supervised component itest.store; needed by itest.reporter and itest.reportingWorker. */
public interface Store {
  /** @return what the store holds */
  String read();
}
