package dev.supervisor.bench.bundle.scr;

import java.util.concurrent.CountDownLatch;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What a user writes without the supervisor: an immediate DS component (declared in hand-written XML) that
 * starts a thread in its activate method and ends it in deactivate. The thread tells the harness once it runs,
 * through a {@code java.lang.Runnable} service with {@code bench=scr-running} (a JDK type, so the harness and
 * this bundle share it), looked up once per class loader.
 */
public final class ThreadComponent {
  private static volatile Runnable running;
  private final CountDownLatch stop = new CountDownLatch(1);
  private Thread thread;

  public void activate(BundleContext context) throws Exception {
    Runnable started = running;
    if (started == null) {
      started = lookUp(context);
    }
    thread = new Thread(new ThreadBody(started, stop), "scr-worker");
    thread.setDaemon(true);
    thread.start();
  }

  public void deactivate() throws InterruptedException {
    stop.countDown();
    thread.join();
  }

  private static synchronized Runnable lookUp(BundleContext context) throws Exception {
    if (running == null) {
      ServiceReference<?>[] tallies = context.getServiceReferences(Runnable.class.getName(), "(bench=scr-running)");
      running = (Runnable) context.getService(tallies[0]);
    }
    return running;
  }
}
