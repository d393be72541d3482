package dev.supervisor.impl.engine;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link ListenerDispatcher} (per-listener queues, a throwing listener logged and skipped) that
 * delivers on the thread that publishes, so a stepped test reads what its listener was told as soon as the
 * message is handled, with no dispatch thread to wait for.
 */
final class InlineDispatch {
  private InlineDispatch() {}

  static ListenerDispatcher dispatcher() {
    return new ListenerDispatcher(EngineLog.QUIET, new SameThread());
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
