package dev.supervisor.impl.engine;

import java.util.concurrent.TimeUnit;

/**
 * The threads that carry the supervisor's calls into code it does not own ({@link LiveRunThreads} says which
 * calls): {@link PlatformCarriers} keeps platform threads for reuse, {@link VirtualCarriers} starts a virtual
 * thread per call. Each task reports back with at most one message, posted to the mailbox once the thread is
 * free for its next task, so the control thread's answer may come back to the same thread.
 */
interface Carriers {
  /** One call into foreign code; never throws, and returns what to post once it is over, or null. */
  @FunctionalInterface
  interface Task {
    Message call();
  }

  /** Runs {@code task} on a carrier thread: never on the caller's, never under a lock. */
  void execute(Task task);

  /**
   * Idle threads are told to end, at once and without waiting for them (they run none of a worker's code);
   * a thread whose task ends later ends after it.
   *
   * @return true if every task handed out was over within the timeout, false if some are still running (a
   *     run that ignored its stop timeout)
   */
  boolean shutdown(long timeout, TimeUnit unit);
}
