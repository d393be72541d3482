package dev.supervisor.impl.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The control thread's mailbox, in two lanes: {@linkplain Message#urgent() urgent} messages, that is
 * {@linkplain Message.Request requests} from callers (add, remove, start, stop, ...) and the ends of runs
 * that were asked to stop, are taken before the events of runs and timers that were posted earlier. In a
 * crash storm thousands of events wait; an operator's stop, or a bundle that unregisters its workers one
 * by one as it stops, must not wait behind them. Each lane is first in, first out. A {@code Sync} travels
 * in the event lane, and since requests always go first, it is handled after everything of both lanes that
 * was posted before it.
 *
 * <p>Any thread may post; only the control thread takes.
 */
final class Inbox implements Mailbox {
  /** Put in the event lane for each request, so that a control thread waiting on that lane wakes up. */
  private static final Message REQUEST_WAITING = new Message.Sync(null);

  private final LinkedBlockingQueue<Message> events = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Message> requests = new ConcurrentLinkedQueue<>();
  /** Control thread only: an event taken while a request was waiting; it is the next event to handle. */
  private Message held;

  @Override
  public void post(Message message) {
    if (message.urgent()) {
      requests.add(message);
      events.add(REQUEST_WAITING);
    } else {
      events.add(message);
    }
  }

  /** Control thread: the next message, a waiting request first; blocks while there is none. */
  Message take() throws InterruptedException {
    Message next = poll();
    while (next == null) {
      next = next(events.take()); // null: the wake-up of a request taken already
    }
    return next;
  }

  /** Control thread: the next message, a waiting request first; null at once if there is none. */
  Message poll() {
    Message request = requests.poll();
    if (request != null) {
      return request;
    }
    if (held != null) {
      Message event = held;
      held = null;
      return event;
    }
    Message event;
    while ((event = events.poll()) != null) {
      Message next = next(event);
      if (next != null) {
        return next;
      }
    }
    return null;
  }

  /**
   * @param event just taken from the event lane
   * @return what to handle now: a waiting request (the event is held), else the event; null for the wake-up
   *     of a request that was taken already
   */
  private Message next(Message event) {
    Message request = requests.poll();
    if (event == REQUEST_WAITING) {
      return request;
    }
    if (request != null) {
      held = event;
      return request;
    }
    return event;
  }

  /** @return about how many messages wait (a request counts once it has its wake-up queued); any thread */
  int size() {
    return events.size() + (held == null ? 0 : 1);
  }
}
