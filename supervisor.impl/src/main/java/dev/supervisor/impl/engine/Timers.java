package dev.supervisor.impl.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * The control thread's clock and alarms: a timer that runs out posts its message to the mailbox, and the
 * control thread handles it like any other. Time comes from the injected {@link Scheduler}, so tests run in
 * virtual time.
 */
final class Timers {
  private final Scheduler scheduler;
  private final Mailbox mailbox;

  Timers(Scheduler scheduler, Mailbox mailbox) {
    this.scheduler = scheduler;
    this.mailbox = mailbox;
  }

  Instant now() {
    return scheduler.now();
  }

  /** @return the monotonic reading decisions use (see {@link Scheduler#nanoTime()}) */
  long nanoTime() {
    return scheduler.nanoTime();
  }

  /** @return a handle that calls the alarm off; {@code message} is posted after {@code delay} unless it is */
  Scheduler.Cancellable after(Duration delay, Message message) {
    return scheduler.schedule(delay, () -> mailbox.post(message));
  }
}
