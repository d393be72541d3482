package dev.supervisor.impl.engine;

import dev.supervisor.api.RunContext;
import dev.supervisor.api.Supervised;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One call of {@code run}: its context, its thread and its instance. Created by the control thread; the
 * fields the run thread writes are volatile, and the stop request is a latch so workers can block on it.
 */
final class Run implements RunContext {
  private final ServiceEntry entry;
  private final int attempt;
  private final Mailbox mailbox;
  private static final VarHandle READY_SIGNALLED;
  private static final VarHandle STOP_CALLED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      READY_SIGNALLED = lookup.findVarHandle(Run.class, "readySignalled", boolean.class);
      STOP_CALLED = lookup.findVarHandle(Run.class, "stopCalled", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final CountDownLatch stopRequest = new CountDownLatch(1);
  // Flags set by compare-and-set through the VarHandles above: fields, not AtomicBooleans, so a run that
  // crashes and is restarted (the restart path) allocates two objects fewer.
  private volatile boolean readySignalled;
  private volatile boolean stopCalled;
  /**
   * Made by {@link #requestStop()}, counted down when the {@code stop()} call that follows has returned or
   * thrown. Most runs end by crashing or returning, never asked to stop, so they never make one.
   */
  private volatile CountDownLatch stopCallOver;
  /** How long the end of the run waits for a {@code stop()} still in progress: the spec's stop timeout. */
  private final Duration stopCallWait;
  private volatile Thread thread;
  private volatile Supervised instance;
  /** Control thread only: this run has been RUNNING once, so counts and time to ready are not taken again. */
  boolean reachedRunning;

  /** Control thread: the spec is read here, once, not from the run thread. */
  Run(ServiceEntry entry, int attempt, Mailbox mailbox) {
    this.entry = entry;
    this.attempt = attempt;
    this.mailbox = mailbox;
    this.stopCallWait = entry.spec.stopTimeout();
  }

  ServiceEntry entry() { return entry; }

  @Override public String name() { return entry.name; }

  @Override public int attempt() { return attempt; }

  @Override
  public void ready() {
    if (READY_SIGNALLED.compareAndSet(this, false, true) && !stopRequested()) {
      mailbox.post(new Message.Ready(this));
    }
  }

  @Override
  public void notReady() {
    if (READY_SIGNALLED.compareAndSet(this, true, false) && !stopRequested()) {
      mailbox.post(new Message.NotReady(this));
    }
  }

  @Override public boolean stopRequested() { return stopRequest.getCount() == 0; }

  @Override public void awaitStop() throws InterruptedException { stopRequest.await(); }

  @Override
  public boolean awaitStop(Duration timeout) throws InterruptedException {
    return stopRequest.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Control thread: flags the request; the worker's {@code stop()} is called separately. */
  void requestStop() {
    if (stopCallOver == null) {
      stopCallOver = new CountDownLatch(1); // before the request is seen: awaitStopCall finds it
    }
    stopRequest.countDown();
  }

  /** @return true the first time only, so {@code stop()} is called at most once per run */
  boolean claimStopCall() {
    return STOP_CALLED.compareAndSet(this, false, true);
  }

  /** Stop thread: the claimed {@code stop()} call is over. */
  void stopCallOver() {
    stopCallOver.countDown();
  }

  /**
   * Run thread, after {@code run} returned and before RunEnded is posted: if the run was asked to stop, the
   * control thread has asked for {@code stop()} too; wait until that call is over (at most the stop timeout),
   * so that what it throws is handled before the run's end, while the stop is still in progress: a removal
   * then reports it, and a restart shows it on the update that ends the stop.
   */
  void awaitStopCall() {
    if (!stopRequested()) {
      return;
    }
    try {
      stopCallOver.await(stopCallWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void attach(Thread runThread, Supervised worker) {
    this.thread = runThread;
    this.instance = worker;
  }

  /**
   * Run thread, when the run is over: from now on {@link #interruptIfRunning()} leaves the (pooled) thread
   * alone, and an interrupt that arrived late is cleared so it cannot hit the thread's next task.
   */
  synchronized void finish() {
    thread = null;
    Thread.interrupted();
  }

  /** Control thread: interrupts the run thread only if it is still inside this run. */
  synchronized void interruptIfRunning() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  /** @return the run thread while inside this run, else null */
  Thread thread() { return thread; }

  Supervised instance() { return instance; }

  @Override
  public String toString() {
    return "run #" + attempt + " of '" + entry.name + "'";
  }
}
