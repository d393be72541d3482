package dev.supervisor.impl.engine;

import dev.supervisor.api.Escalation;
import dev.supervisor.api.Supervised;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link RunThreads} of a live engine: every place where the supervisor calls code it does not own (a
 * worker's {@code run} and {@code stop()}, a worker source's acquire, release and close, an escalator). Each
 * runs on a {@link Carriers carrier thread}, never on the control thread and never under a lock of the
 * supervisor's, and reports back only by posting to the mailbox; the control thread decides. So "no lock
 * held while calling service code" is audited here, in one file.
 *
 * <p>Threads are renamed while busy ({@code supervisor-run-<name>}, {@code supervisor-stop-<name>},
 * {@code supervisor-escalate-<name>}), so a thread dump says whose code a thread is in. A run's end is
 * posted by its carrier once the thread is free again, so with platform threads a restart usually runs on
 * the thread of the run that ended.
 */
final class LiveRunThreads implements RunThreads {
  private final Carriers carriers;
  private final Mailbox mailbox;
  private final EngineLog log;

  LiveRunThreads(Carriers carriers, Mailbox mailbox, EngineLog log) {
    this.carriers = carriers;
    this.mailbox = mailbox;
    this.log = log;
  }

  /**
   * Ends the carrier threads once every run has ended; a run that ignored its stop timeout keeps its thread,
   * which is named in the log.
   */
  void shutdown(int seconds) {
    if (!carriers.shutdown(seconds, TimeUnit.SECONDS)) {
      log.error("supervisor closed, but some worker threads did not end (runs that ignored their stop timeout): "
          + (carriers instanceof VirtualCarriers virtual ? virtual.busy() + " virtual threads" : liveRunThreads()),
          null);
    }
  }

  /** Platform threads only: {@code Thread.getAllStackTraces()} does not list virtual threads. */
  private static List<String> liveRunThreads() {
    List<String> names = new ArrayList<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("supervisor-run-")) {
        names.add(thread.getName());
      }
    }
    return names;
  }

  /** @return a new run of {@code entry}, whose context talks to the control thread through the mailbox */
  @Override
  public Run newRun(ServiceEntry entry, int attempt) {
    return new Run(entry, attempt, mailbox);
  }

  /** Starts {@code run} on a carrier thread; posts RunEntered once inside and RunEnded when it is over. */
  @Override
  public void launch(Run run) {
    carriers.execute(() -> runBody(run));
  }

  /**
   * Whether a class has a method of its own where its interface's default does nothing. Most workers keep
   * the default {@code stop()}, and most sources the default {@code close()}: calling them would cost a
   * carrier thread each, for nothing (stopping 30,000 such workers started 30,000 threads, and closing the
   * supervisor woke 10,000 idle ones).
   */
  private static final class OverridesNoOp extends ClassValue<Boolean> {
    private final Class<?> declarer;
    private final String method;

    OverridesNoOp(Class<?> declarer, String method) {
      this.declarer = declarer;
      this.method = method;
    }

    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod(method).getDeclaringClass() != declarer;
      } catch (NoSuchMethodException e) {
        return true; // cannot be (the interface declares it); if it were, calling it is the safe side
      }
    }
  }

  private static final OverridesNoOp HAS_OWN_STOP = new OverridesNoOp(Supervised.class, "stop");
  private static final OverridesNoOp HAS_OWN_CLOSE = new OverridesNoOp(WorkerSource.class, "close");

  /**
   * Calls the worker's {@code stop()} on a carrier thread (at most once per run); posts StopFailed if it throws.
   * With no instance yet, or an instance that keeps the default {@code stop()}, there is nothing to call: the
   * call is over at once, here (the run body sees the stop request itself).
   */
  @Override
  public void callStop(Run run) {
    Supervised worker = run.instance();
    if (worker == null || !HAS_OWN_STOP.get(worker.getClass())) {
      if (run.claimStopCall()) {
        run.stopCallOver();
      }
      return;
    }
    carriers.execute(() -> stopBody(run));
  }

  /** Calls the registration's escalator on a carrier thread (it may take the framework's locks); posts Escalated. */
  @Override
  public void escalate(ServiceEntry entry, Escalation escalation) {
    carriers.execute(() -> escalateBody(entry, escalation));
  }

  /**
   * Closes a worker source (releasing an OSGi service may run the provider's code) on a carrier thread; a
   * source that keeps the default {@code close()} has nothing to close.
   */
  @Override
  public void release(String name, WorkerSource source) {
    if (!HAS_OWN_CLOSE.get(source.getClass())) {
      return;
    }
    carriers.execute(() -> {
      try {
        source.close();
      } catch (RuntimeException e) {
        log.error("service '" + name + "': releasing the worker failed", e);
      }
      return null;
    });
  }

  /** @return RunEnded, which the carrier posts once its thread is free for the next run */
  private Message runBody(Run run) {
    Thread thread = Thread.currentThread();
    String idleName = thread.getName();
    thread.setName(run.entry().runThreadName);
    WorkerSource source = run.entry().source;
    Supervised worker = null;
    Throwable error = null;
    try {
      if (!run.stopRequested()) {
        worker = source.acquire();
        run.attach(thread, worker);
        mailbox.post(new Message.RunEntered(run));
        // A stop asked for before this point finds the instance attached, or is seen here: never both missed.
        if (!run.stopRequested()) {
          worker.run(run);
        }
      }
    } catch (Throwable e) {
      error = e;
    } finally {
      run.finish();
      if (worker != null) {
        try {
          source.release(worker);
        } catch (RuntimeException e) {
          log.error("service '" + run.name() + "': releasing the worker instance failed", e);
        }
      }
      if (worker != null) {
        run.awaitStopCall();
      }
      thread.setName(idleName);
    }
    return new Message.RunEnded(run, error);
  }

  /** Only once the run has an instance: a stop asked for earlier is seen by the run body itself. */
  private Message stopBody(Run run) {
    Supervised worker = run.instance();
    if (!run.claimStopCall()) {
      return null; // called already: that call says when it is over
    }
    if (worker == null) {
      run.stopCallOver(); // nothing to call: the run body sees the request itself
      return null;
    }
    Thread thread = Thread.currentThread();
    String idleName = thread.getName();
    thread.setName("supervisor-stop-" + run.name());
    try {
      worker.stop();
    } catch (RuntimeException | Error e) {
      mailbox.post(new Message.StopFailed(run, e)); // recorded by the control thread
    } finally {
      run.stopCallOver(); // the run's end may be posted now: after StopFailed, if any
      thread.setName(idleName);
    }
    return null;
  }

  private Message escalateBody(ServiceEntry entry, Escalation escalation) {
    Thread thread = Thread.currentThread();
    String idleName = thread.getName();
    thread.setName("supervisor-escalate-" + entry.name);
    String refusal = null;
    try {
      entry.escalator.escalate(entry.name, escalation);
    } catch (RuntimeException e) {
      refusal = e.getMessage() == null ? e.toString() : e.getMessage();
    } finally {
      thread.setName(idleName);
    }
    return new Message.Escalated(entry, refusal);
  }
}
