package dev.supervisor.impl.osgi;

import dev.supervisor.api.StatusUpdate;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;

/** The one class that uses the (optional) Event Admin API; see {@link EventBridge}. */
final class EventPoster {
  /** Topics are {@code dev/supervisor/<STATE>}, e.g. {@code dev/supervisor/FAILED}; subscribe to {@code dev/supervisor/*}. */
  static final String TOPIC_PREFIX = "dev/supervisor/";

  private EventPoster() {}

  static void post(Object eventAdmin, StatusUpdate update) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("service.name", update.serviceName());
    properties.put("service.registration", update.serviceId());
    properties.put("group", update.group());
    properties.put("state", update.newState().name());
    properties.put("old.state", update.oldState().map(Enum::name).orElse(""));
    properties.put("sequence", update.sequence());
    properties.put(EventConstants.TIMESTAMP, update.time().toEpochMilli());
    update.failure().ifPresent(failure -> {
      properties.put("error.kind", failure.kind().name());
      properties.put("error.class", failure.exceptionClass());
      properties.put("error.message", failure.message());
    });
    update.escalation().ifPresent(escalation -> properties.put("escalation", escalation.name()));
    update.stopReason().ifPresent(reason -> properties.put("stop.reason", reason));
    ((EventAdmin) eventAdmin).postEvent(new Event(TOPIC_PREFIX + update.newState().name(), properties));
  }
}
