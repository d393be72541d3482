package dev.supervisor.impl.osgi;

import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.SupervisorListener;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Posts every status update to Event Admin on {@code dev/supervisor/<STATE>} when an Event Admin is
 * registered; does nothing otherwise. Event Admin is an optional import: the tracker works by class name,
 * and {@link EventPoster}, the only class naming the Event API, is loaded only once an Event Admin exists.
 * Runs on the supervisor's dispatcher (it is a listener), so a slow Event Admin delays nobody else.
 */
final class EventBridge implements SupervisorListener {
  private static final String EVENT_ADMIN = "org.osgi.service.event.EventAdmin";

  private final ServiceTracker<Object, Object> tracker;
  private final OsgiLog log;

  EventBridge(BundleContext context, OsgiLog log) {
    this.log = log;
    this.tracker = new ServiceTracker<>(context, EVENT_ADMIN, null);
    tracker.open();
  }

  void close() {
    tracker.close();
  }

  @Override
  public void statusChanged(StatusUpdate update) {
    Object eventAdmin = tracker.getService();
    if (eventAdmin == null) {
      return;
    }
    try {
      EventPoster.post(eventAdmin, update);
    } catch (NoClassDefFoundError | ClassCastException wiredElsewhere) {
      // That Event Admin's API is not the one this bundle is wired to: stay quiet rather than fail.
    } catch (RuntimeException e) {
      log.warn("could not post " + update + " to Event Admin", e);
    }
  }

  @Override
  public String toString() {
    return "Event Admin bridge";
  }
}
