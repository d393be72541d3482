package dev.supervisor.impl.engine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The control thread, {@code supervisor-control}: takes one message at a time from the {@link Inbox} and
 * has {@link Supervision} handle it. Updates and replies go out when no message waits, or after
 * {@value #MAX_UNDELIVERED} messages, so a storm shares one hand-off to the listeners' dispatcher among
 * many messages, and a caller never waits long for its answer.
 */
final class ControlLoop {
  private static final Message STOP_LOOP = new Message.Sync(new CompletableFuture<>());
  /** At most this many messages are handled before their updates and replies go out. */
  private static final int MAX_UNDELIVERED = 64;
  /**
   * How long the loop polls before it parks: see {@link #spinForMessage()}. System property
   * {@code dev.supervisor.spin.nanos} (default 50,000; 0 turns the spin off), for measuring: with it, a
   * restart's p50 went from 58.8 to about 15 µs here (bench suite restart), and longer spins were slower
   * again on 2 cores, where the spinning thread takes a core the run thread needs. A platform run thread
   * whose run ended polls as long for its next one ({@link PlatformCarriers}).
   */
  static final long SPIN_NANOS = Long.getLong("dev.supervisor.spin.nanos", 50_000);

  private final Inbox inbox;
  private final Supervision supervision;
  private final EngineLog log;
  private final Thread thread;

  ControlLoop(Inbox inbox, Supervision supervision, EngineLog log) {
    this.inbox = inbox;
    this.supervision = supervision;
    this.log = log;
    this.thread = new Thread(this::loop, "supervisor-control");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Ends the loop once every message posted before has been handled; waits at most {@code seconds}. */
  void stop(int seconds) {
    inbox.post(STOP_LOOP);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(seconds));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void loop() {
    int undelivered = 0;
    while (true) {
      Message message = inbox.poll();
      if (message == null) {
        if (undelivered > 0) { // nothing waits: updates and replies go out before the loop blocks
          undelivered = 0;
          deliver();
        }
        message = spinForMessage();
      }
      if (message == null) {
        try {
          message = inbox.take();
        } catch (InterruptedException e) {
          log.error("supervisor control thread interrupted; supervision has stopped", e);
          return;
        }
      }
      if (message == STOP_LOOP) {
        deliver();
        return;
      }
      handle(message);
      if (++undelivered >= MAX_UNDELIVERED) {
        undelivered = 0;
        deliver();
      }
    }
  }

  private void handle(Message message) {
    try {
      supervision.handle(message);
    } catch (RuntimeException | Error e) {
      // A bug in one transition must not end supervision of everything else.
      log.error("supervisor: internal error while handling " + message, e);
      if (message instanceof Message.Request request) {
        request.reply().completeExceptionally(e);
      } else if (message instanceof Message.Sync sync && sync.reply() != null) {
        sync.reply().completeExceptionally(e);
      }
    }
  }

  /**
   * Polls the inbox for a short while before the loop parks: a message that comes within it (the next event
   * of a restart, say) is handled without the cost of waking a parked thread.
   */
  private Message spinForMessage() {
    long until = System.nanoTime() + SPIN_NANOS;
    Message message;
    while ((message = inbox.poll()) == null && System.nanoTime() < until) {
      Thread.onSpinWait();
    }
    return message;
  }

  private void deliver() {
    try {
      supervision.deliver();
    } catch (RuntimeException | Error e) {
      log.error("supervisor: internal error while delivering updates and replies", e);
    }
  }
}
