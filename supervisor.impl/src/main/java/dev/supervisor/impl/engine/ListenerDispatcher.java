package dev.supervisor.impl.engine;

import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers status updates to listeners off the control thread (Guava's ListenerCallQueue idea): each
 * listener has its own serial queue, drained by at most one pooled thread at a time, so updates reach a
 * listener in order, and a slow or throwing listener holds up only its own queue.
 */
final class ListenerDispatcher {
  private final Map<SupervisorListener, ListenerQueue> queues = new ConcurrentHashMap<>();
  private final ExecutorService pool;
  private final EngineLog log;

  /** Delivers on pooled {@code supervisor-dispatch-N} threads. */
  ListenerDispatcher(EngineLog log) {
    this(log, dispatchThreads());
  }

  /** @param pool where queues are drained (a test that steps the engine delivers on its own thread) */
  ListenerDispatcher(EngineLog log, ExecutorService pool) {
    this.log = log;
    this.pool = pool;
  }

  private static ExecutorService dispatchThreads() {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, "supervisor-dispatch-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  void add(SupervisorListener listener) {
    queues.computeIfAbsent(listener, ListenerQueue::new);
  }

  void remove(SupervisorListener listener) {
    ListenerQueue queue = queues.remove(listener);
    if (queue != null) {
      queue.close();
    }
  }

  /** @return whether anyone listens: without listeners, updates need not even be made */
  boolean hasListeners() {
    return !queues.isEmpty();
  }

  /** Control thread: queue the update for every listener; returns at once. */
  void publish(StatusUpdate update) {
    for (ListenerQueue queue : queues.values()) {
      queue.offer(listener -> listener.statusChanged(update), update);
    }
  }

  /** Control thread: queue the removal of a service for every listener, after its last update. */
  void publishRemoval(long serviceId, String serviceName) {
    String what = "removal of '" + serviceName + "'";
    for (ListenerQueue queue : queues.values()) {
      queue.offer(listener -> listener.serviceRemoved(serviceId, serviceName), what);
    }
  }

  /** Control thread: tell every listener a dependency has been missing past its grace period. */
  void publishMissingDependency(dev.supervisor.api.MissingDependency missing) {
    for (ListenerQueue queue : queues.values()) {
      queue.offer(listener -> listener.dependencyMissing(missing), missing);
    }
  }

  /** Control thread: tell every listener the supervisor has ended, after everything else it was told. */
  void publishTermination(dev.supervisor.api.Termination termination) {
    for (ListenerQueue queue : queues.values()) {
      queue.offer(listener -> listener.supervisorTerminated(termination), termination);
    }
  }

  /** One call to make on a listener, and what it is about (for the log when the listener throws). */
  private record Delivery(java.util.function.Consumer<SupervisorListener> call, Object about) {}

  /** Runs a short task on the dispatcher's pool (completing futures that callers hold). */
  void execute(Runnable task) {
    try {
      pool.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException shutDown) {
      task.run();
    }
  }

  /** Delivers what is queued, then ends the pool's threads (waits at most {@code seconds}). */
  void shutdown(long seconds) {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(seconds, TimeUnit.SECONDS)) {
        log.error("listeners still busy after " + seconds + "s at shutdown; their threads are interrupted", null);
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One listener's updates, in order; {@code draining} makes sure only one thread delivers at a time. */
  private final class ListenerQueue {
    private final SupervisorListener listener;
    private final ArrayDeque<Delivery> pending = new ArrayDeque<>();
    private boolean draining;
    private boolean closed;

    ListenerQueue(SupervisorListener listener) {
      this.listener = listener;
    }

    void offer(java.util.function.Consumer<SupervisorListener> call, Object about) {
      synchronized (this) {
        if (closed) {
          return;
        }
        pending.addLast(new Delivery(call, about));
        if (draining) {
          return;
        }
        draining = true;
      }
      try {
        pool.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException shutDown) {
        synchronized (this) {
          draining = false;
        }
      }
    }

    synchronized void close() {
      closed = true;
      pending.clear();
    }

    private void drain() {
      while (true) {
        Delivery delivery;
        synchronized (this) {
          delivery = pending.pollFirst();
          if (delivery == null) {
            draining = false;
            return;
          }
        }
        // Outside the lock: a listener may call back into the supervisor, or take its time.
        try {
          delivery.call().accept(listener);
        } catch (RuntimeException | Error e) {
          log.error("listener " + listener + " threw on " + delivery.about(), e);
        }
      }
    }
  }
}
