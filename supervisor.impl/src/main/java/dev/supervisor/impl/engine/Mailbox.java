package dev.supervisor.impl.engine;

/** The control thread's inbox; everything that is not the control thread talks to it through this. */
@FunctionalInterface
interface Mailbox {
  /** @param message queued for the control thread; never blocks */
  void post(Message message);
}
