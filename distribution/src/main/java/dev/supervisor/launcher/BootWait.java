package dev.supervisor.launcher;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Locale;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The launcher's {@code launcher.wait} ({@code ./run.sh --wait}): once the framework has started, blocks until
 * the supervisor's start-up has settled or the time is up, and prints the boot report
 * ({@code Supervisor.awaitStarted}) on the console. The time counts from the call: waiting for the
 * {@code Supervisor} service to appear takes from it.
 *
 * <p>The supervisor's API is not on the launcher's class path (its bundle exports it inside the framework), so
 * the service is found by class name and called by reflection, as {@link CommandFile} calls Gogo.
 */
final class BootWait {
  private static final String SUPERVISOR = "dev.supervisor.api.Supervisor";
  private static final String PREFIX = "launcher: ";
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

  private BootWait() {}

  /**
   * @param property the name the text was given under, for the message
   * @param text ISO-8601 ({@code PT60S}, any letter case) or whole seconds ({@code 60})
   * @return the duration, 0 or more
   * @throws IllegalArgumentException naming the property and the text otherwise
   */
  static Duration parse(String property, String text) {
    String trimmed = text.strip();
    Duration duration;
    try {
      duration = !trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)
          ? Duration.ofSeconds(Long.parseLong(trimmed)) : Duration.parse(trimmed.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(property + "='" + text
          + "' is not a duration: use ISO-8601 (PT60S) or seconds (60)");
    }
    if (duration.isNegative()) {
      throw new IllegalArgumentException(property + "='" + text + "' is negative: give 0 or more");
    }
    return duration;
  }

  /**
   * Waits and prints the report, or why there is none (no supervisor within the time, the supervisor
   * stopped meanwhile). Never throws: the launcher goes on either way.
   *
   * @param context the system bundle's context
   * @param timeout how long to wait at most, the supervisor's appearance included
   * @param console where to print
   */
  static void run(BundleContext context, Duration timeout, PrintStream console) {
    // capped where nanoseconds end (about 292 years): the deadline is counted in them
    Duration wait = timeout.compareTo(LONGEST) > 0 ? LONGEST : timeout;
    long deadline = System.nanoTime() + wait.toNanos();
    console.println(PREFIX + "waiting up to " + timeout + " for start-up to settle (launcher.wait)");
    ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context, SUPERVISOR, null);
    tracker.open();
    try {
      Object supervisor = tracker.waitForService(Math.max(1, wait.toMillis()));
      if (supervisor == null) {
        console.println(PREFIX + "no boot report: no " + SUPERVISOR + " service within " + timeout);
        return;
      }
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      Object report = awaitStarted(supervisor).invoke(supervisor, left);
      console.print(PREFIX + "boot report\n" + report);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      console.println(PREFIX + "no boot report: interrupted");
    } catch (InvocationTargetException e) {
      console.println(PREFIX + "no boot report: " + e.getCause().getMessage());
    } catch (ReflectiveOperationException | RuntimeException e) {
      console.println(PREFIX + "no boot report: " + e);
    } finally {
      tracker.close();
      console.flush();
    }
  }

  /** @return {@code awaitStarted(Duration)} of the service's Supervisor interface (its class may not be public) */
  private static Method awaitStarted(Object service) throws NoSuchMethodException {
    for (Class<?> c = service.getClass(); c != null; c = c.getSuperclass()) {
      for (Class<?> api : c.getInterfaces()) {
        if (api.getName().equals(SUPERVISOR)) {
          return api.getMethod("awaitStarted", Duration.class);
        }
      }
    }
    throw new NoSuchMethodException(service.getClass().getName() + " does not implement " + SUPERVISOR);
  }
}
