package dev.supervisor.impl.engine;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A new virtual thread for each task ({@code supervisor.threads=VIRTUAL}): nothing to pool, since a virtual
 * thread costs about as much as the task object, and 100,000 workers blocked in {@code awaitStop} hold
 * 100,000 small stacks on the heap instead of 100,000 platform threads. The engine is built for Java 17, so
 * the factory is looked up at run time; {@link #create} says why when there is none.
 */
final class VirtualCarriers implements Carriers {
  private final ThreadFactory factory;
  private final Mailbox mailbox;
  private final EngineLog log;
  private final TasksInProgress live = new TasksInProgress();

  private VirtualCarriers(ThreadFactory factory, Mailbox mailbox, EngineLog log) {
    this.factory = factory;
    this.mailbox = mailbox;
    this.log = log;
  }

  /**
   * @return carriers on virtual threads
   * @throws UnsupportedOperationException naming the Java version, when it has no virtual threads (before 21,
   *     or 19 and 20 without preview features)
   */
  static VirtualCarriers create(Mailbox mailbox, EngineLog log) {
    return new VirtualCarriers(virtualThreadFactory(), mailbox, log);
  }

  private static ThreadFactory virtualThreadFactory() {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Class<?> builderType = Class.forName("java.lang.Thread$Builder");
      builder = builderType.getMethod("name", String.class).invoke(builder, "supervisor-worker-virtual");
      return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new UnsupportedOperationException("Java " + Runtime.version().feature()
          + " has no virtual threads (they need Java 21 or later)", e);
    }
  }

  @Override
  public void execute(Task task) {
    live.begun();
    factory.newThread(() -> {
      try {
        Message report = task.call();
        if (report != null) {
          mailbox.post(report);
        }
      } catch (RuntimeException | Error e) { // the tasks catch what foreign code throws: this is a bug of ours
        log.error("supervisor: internal error on a virtual run thread", e);
      } finally {
        live.over();
      }
    }).start();
  }

  @Override
  public boolean shutdown(long timeout, TimeUnit unit) {
    return live.awaitNone(timeout, unit);
  }

  /** @return tasks started and not over (a run that ignored its stop timeout, after {@link #shutdown}) */
  int busy() {
    return live.count();
  }
}
