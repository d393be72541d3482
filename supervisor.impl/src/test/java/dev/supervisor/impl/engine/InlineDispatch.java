package dev.supervisor.impl.engine;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link ListenerDispatcher} (per-listener queues, a throwing listener logged and skipped) that
 * delivers on the thread that publishes, so a stepped test reads what its listener was told as soon as the
 * message is handled, with no dispatch thread to wait for. The dispatcher makes its pool itself; this swaps
 * it for a same-thread executor by reflection, the one place a test reaches into a private field. A
 * constructor {@code ListenerDispatcher(EngineLog, ExecutorService)} in the main code would make this class
 * unnecessary.
 */
final class InlineDispatch {
  private InlineDispatch() {}

  static ListenerDispatcher dispatcher() {
    ListenerDispatcher dispatcher = new ListenerDispatcher(EngineLog.QUIET);
    for (Field field : ListenerDispatcher.class.getDeclaredFields()) {
      if (field.getType() == ExecutorService.class) {
        try {
          field.setAccessible(true);
          ((ExecutorService) field.get(dispatcher)).shutdown(); // started no thread yet: nothing was queued
          field.set(dispatcher, new SameThread());
          return dispatcher;
        } catch (ReflectiveOperationException e) {
          throw new AssertionError("cannot replace ListenerDispatcher's pool", e);
        }
      }
    }
    throw new AssertionError("ListenerDispatcher has no ExecutorService field to replace; give it a constructor "
        + "that takes its executor, and use it here");
  }

  /** Runs each task at once, on the caller's thread. */
  private static final class SameThread extends AbstractExecutorService {
    private boolean shutDown;

    @Override public void execute(Runnable task) { task.run(); }

    @Override public void shutdown() { shutDown = true; }

    @Override public List<Runnable> shutdownNow() {
      shutDown = true;
      return List.of();
    }

    @Override public boolean isShutdown() { return shutDown; }

    @Override public boolean isTerminated() { return shutDown; }

    @Override public boolean awaitTermination(long timeout, TimeUnit unit) { return true; }
  }
}
