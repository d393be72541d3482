package dev.supervisor.launcher.fatal;

import dev.supervisor.api.FatalException;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.SupervisorGroup;
import dev.supervisor.api.SupervisorListener;
import dev.supervisor.api.Termination;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of the bundle that {@code FatalExitIT} builds at test time (this class and its nested
 * classes are the whole bundle; it imports only {@code dev.supervisor.api} and {@code org.osgi.framework}).
 * It registers, as whiteboard services:
 *
 * <ul>
 *   <li>{@value #BASE}, a worker that prints that it runs, becomes ready, blocks until asked to stop and
 *       prints that it stopped;
 *   <li>{@value #TRIGGER}, which depends on {@value #BASE} and so runs only once {@value #BASE} is RUNNING,
 *       then throws {@code FatalException(}{@value #EXIT_STATUS}{@code )};
 *   <li>a listener that prints every state change and the supervisor's termination.
 * </ul>
 *
 * Everything is printed to {@code System.out} with the prefix {@value #PREFIX}: the launcher's process
 * output is all the test sees (the launcher installs no log service).
 */
public final class FatalActivator implements BundleActivator {
  /** The bundle's symbolic name. */
  public static final String SYMBOLIC_NAME = "fatal.test";
  /** The worker the fatal one depends on. */
  public static final String BASE = "fatal.base";
  /** The worker that throws the fatal error. */
  public static final String TRIGGER = "fatal.trigger";
  /** The status of the fatal error, and so of the process. */
  public static final int EXIT_STATUS = 42;
  /** Starts every line this bundle prints. */
  public static final String PREFIX = "fatal-test: ";
  /**
   * Framework (or system) property: {@value #AUTO_SHUTDOWN} makes {@value #TRIGGER} a significant worker that
   * returns when its work is done, in a root group whose {@code autoShutdown} is ANY_SIGNIFICANT, instead of
   * throwing the fatal error.
   */
  public static final String MODE = "fatal.test.mode";
  /** The value of {@value #MODE} for the auto-shutdown run. */
  public static final String AUTO_SHUTDOWN = "autoShutdown";

  @Override
  public void start(BundleContext context) {
    context.registerService(SupervisorListener.class, new PrintingListener(), null);
    Hashtable<String, Object> base = properties(BASE);
    // ready only after it printed that it runs, so the output shows it before the fatal error
    base.put(ServiceSpec.READINESS, "EXPLICIT");
    context.registerService(Supervised.class, new Base(), base);
    Hashtable<String, Object> trigger = properties(TRIGGER);
    trigger.put(ServiceSpec.DEPENDS_ON, BASE);
    if (AUTO_SHUTDOWN.equals(context.getProperty(MODE))) {
      Hashtable<String, Object> root = new Hashtable<>();
      root.put(GroupSpec.PATH, "");
      root.put(GroupSpec.AUTO_SHUTDOWN, "ANY_SIGNIFICANT");
      context.registerService(SupervisorGroup.class, new SupervisorGroup() { }, root);
      trigger.put(ServiceSpec.SIGNIFICANT, true);
      context.registerService(Supervised.class, new Done(), trigger);
    } else {
      context.registerService(Supervised.class, new Trigger(), trigger);
    }
  }

  @Override
  public void stop(BundleContext context) {
    // the framework unregisters the services of a stopping bundle
  }

  private static Hashtable<String, Object> properties(String name) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(ServiceSpec.NAME, name);
    return properties;
  }

  static void print(String line) {
    System.out.println(PREFIX + line);
  }

  /** Runs until the supervisor stops it. */
  static final class Base implements Supervised {
    @Override
    public void run(RunContext ctx) throws InterruptedException {
      print(BASE + ": running");
      ctx.ready();
      try {
        ctx.awaitStop();
      } finally {
        print(BASE + ": stopped");
      }
    }
  }

  /** Started only once {@link #BASE} is RUNNING (it depends on it); ends everything. */
  static final class Trigger implements Supervised {
    @Override
    public void run(RunContext ctx) {
      print(TRIGGER + ": " + BASE + " is RUNNING; throwing FatalException(" + EXIT_STATUS + ")");
      throw new FatalException(EXIT_STATUS, "the test's fatal error");
    }
  }

  /** Significant, started only once {@link #BASE} is RUNNING; its work done, it returns (not restarted). */
  static final class Done implements Supervised {
    @Override
    public void run(RunContext ctx) {
      print(TRIGGER + ": " + BASE + " is RUNNING; my work is done, returning");
    }
  }

  /** Prints what the supervisor reports. */
  static final class PrintingListener implements SupervisorListener {
    @Override
    public void statusChanged(StatusUpdate update) {
      print(update.serviceName() + " " + update.oldState().map(Enum::name).orElse("-") + " -> " + update.newState()
          + update.failure().map(failure -> " (" + failure + ")").orElse(""));
    }

    @Override
    public void supervisorTerminated(Termination termination) {
      print("supervisor terminated with exit status " + termination.exitStatus() + ", ended by "
          + termination.service().orElse("-") + (termination.isNormal() ? " (normal)" : ""));
    }
  }
}
