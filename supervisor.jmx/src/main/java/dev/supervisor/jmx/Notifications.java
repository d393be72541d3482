package dev.supervisor.jmx;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.MissingDependency;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import java.util.Date;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanNotificationInfo;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * The notifications the MBeans emit, and their declarations. Payloads are JDK and open types only: the
 * message is text, the user data of a failure is {@link CompositeData} of type {@link #FAILURE_TYPE}.
 */
final class Notifications {

  /** A registration was rejected (emitted by the supervisor MBean); user data: {@link #FAILURE_TYPE}. */
  static final String REJECTED = "dev.supervisor.service.rejected";
  /** A service went FAILED (emitted by its MBean and by the supervisor MBean); user data: {@link #FAILURE_TYPE}. */
  static final String FAILED = "dev.supervisor.service.failed";

  /**
   * A service's restarts were used up and its bundle is being refreshed instead of it going FAILED (emitted by
   * its MBean and by the supervisor MBean); user data: {@link #FAILURE_TYPE} with its last failure.
   */
  static final String ESCALATED = "dev.supervisor.service.escalated";

  /**
   * A dependency has not been registered for longer than the service's grace period (emitted by the supervisor
   * MBean, once per service and missing name); user data: {@link #MISSING_TYPE}.
   */
  static final String MISSING_DEPENDENCY = "dev.supervisor.service.missingDependency";

  private static final String[] MISSING_ITEMS =
      {"service", "objectName", "dependency", "since", "graceMillis", "closestName"};

  /** The user data of {@link #MISSING_DEPENDENCY}. */
  static final CompositeType MISSING_TYPE = missingType();

  private static final String[] FAILURE_ITEMS =
      {"service", "objectName", "state", "kind", "exceptionClass", "message", "time"};

  /** The user data of {@link #REJECTED} and {@link #FAILED}. */
  static final CompositeType FAILURE_TYPE = failureType();

  private Notifications() {}

  /** @return what a service MBean emits */
  static MBeanNotificationInfo[] ofService() {
    return new MBeanNotificationInfo[] {
        new MBeanNotificationInfo(new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
            AttributeChangeNotification.class.getName(),
            "The attribute State changed: old and new state name (the old one is null for the first update)"),
        new MBeanNotificationInfo(new String[] {FAILED}, Notification.class.getName(),
            "The service went FAILED (restart limits reached, a fatal error, or a rejected registration); "
                + "user data: CompositeData with service, objectName, state, kind, exceptionClass, message, time"),
        escalatedInfo()};
  }

  /** @return what the supervisor MBean emits */
  static MBeanNotificationInfo[] ofSupervisor() {
    return new MBeanNotificationInfo[] {
        new MBeanNotificationInfo(new String[] {REJECTED}, Notification.class.getName(),
            "A registration was rejected (bad supervisor.* property, duplicate name, dependency cycle...); it "
                + "shows as a FAILED service whose LastErrorMessage says why; user data: CompositeData with "
                + "service, objectName, state, kind, exceptionClass, message, time"),
        new MBeanNotificationInfo(new String[] {FAILED}, Notification.class.getName(),
            "A service went FAILED (restart limits reached or a fatal error); user data: CompositeData with "
                + "service, objectName, state, kind, exceptionClass, message, time"),
        escalatedInfo(),
        new MBeanNotificationInfo(new String[] {MISSING_DEPENDENCY}, Notification.class.getName(),
            "A service depends on a name that has not been registered for longer than its "
                + "supervisor.missingDependencyGrace (a misspelt name is the usual cause); said once per service "
                + "and name, and the service still starts when the name appears; user data: CompositeData with "
                + "service, objectName, dependency, since, graceMillis, closestName (the registered name nearest "
                + "to the missing one, or null)")};
  }

  private static MBeanNotificationInfo escalatedInfo() {
    return new MBeanNotificationInfo(new String[] {ESCALATED}, Notification.class.getName(),
        "A service used up its restarts and its bundle is being refreshed once before it may go FAILED "
            + "(supervisor.escalate=REFRESH_BUNDLE); user data: CompositeData with service, objectName, state "
            + "(STOPPED), and the kind, exceptionClass, message and time of its last failure");
  }

  /** @return the change of the State attribute that {@code update} reports */
  static AttributeChangeNotification stateChange(ObjectName source, long sequence, StatusUpdate update) {
    String old = update.oldState().map(Enum::name).orElse(null);
    String now = update.newState().name();
    return new AttributeChangeNotification(source, sequence, update.time().toEpochMilli(),
        "service '" + update.serviceName() + "': " + old + " -> " + now
            + update.failure().map(failure -> " (" + failure + ")").orElse("")
            + update.escalation().map(escalation -> "; escalating: " + escalation).orElse("")
            + update.stopReason().map(reason -> "; ended for good: " + reason).orElse(""),
        "State", String.class.getName(), old, now);
  }

  /** @return whether {@code update} is the rejection of a registration */
  static boolean isRejection(StatusUpdate update) {
    return update.newState() == State.FAILED
        && update.failure().map(failure -> failure.kind() == FailureKind.REJECTED).orElse(false);
  }

  /** @return whether {@code update} is a service going FAILED for any other reason than a rejection */
  static boolean isFailure(StatusUpdate update) {
    return update.newState() == State.FAILED && !isRejection(update);
  }

  /** @return {@link #REJECTED} or {@link #FAILED} for {@code update}, as {@link #isRejection} says */
  static Notification failure(ObjectName source, long sequence, ObjectName service, StatusUpdate update) {
    boolean rejected = isRejection(update);
    Failure failure = update.failure().orElse(null);
    String why = failure == null ? "no failure recorded" : failure.message();
    Notification notification = new Notification(rejected ? REJECTED : FAILED, source, sequence,
        update.time().toEpochMilli(),
        "service '" + update.serviceName() + "' " + (rejected ? "was rejected: " : "FAILED: ") + why);
    notification.setUserData(failureData(service, update, failure));
    return notification;
  }

  /** @return whether {@code update} starts an escalation (a bundle refresh) */
  static boolean isEscalation(StatusUpdate update) {
    return update.escalation().isPresent();
  }

  /** @return {@link #ESCALATED} for {@code update}, one that {@link #isEscalation} accepts */
  static Notification escalation(ObjectName source, long sequence, ObjectName service, StatusUpdate update) {
    Failure failure = update.failure().orElse(null);
    Notification notification = new Notification(ESCALATED, source, sequence, update.time().toEpochMilli(),
        "service '" + update.serviceName() + "' used up its restarts: escalating with "
            + update.escalation().map(Enum::name).orElse("?") + " before declaring it FAILED; last failure: "
            + (failure == null ? "none recorded" : failure.message()));
    notification.setUserData(failureData(service, update, failure));
    return notification;
  }

  /** @return {@link #MISSING_DEPENDENCY}: its message is {@link MissingDependency#toString()} */
  static Notification missingDependency(ObjectName source, long sequence, ObjectName service,
      MissingDependency missing) {
    Notification notification = new Notification(MISSING_DEPENDENCY, source, sequence,
        missing.since().plus(missing.grace()).toEpochMilli(), missing.toString());
    Object[] values = {missing.service(), service, missing.dependency(), Date.from(missing.since()),
        missing.grace().toMillis(), missing.closestName().orElse(null)};
    try {
      notification.setUserData(new CompositeDataSupport(MISSING_TYPE, MISSING_ITEMS, values));
    } catch (OpenDataException e) {
      throw new IllegalStateException("missing dependency user data does not match its type: " + e.getMessage(), e);
    }
    return notification;
  }

  private static CompositeData failureData(ObjectName service, StatusUpdate update, Failure failure) {
    Object[] values = {update.serviceName(), service, update.newState().name(),
        failure == null ? null : failure.kind().name(), failure == null ? null : failure.exceptionClass(),
        failure == null ? null : failure.message(), failure == null ? null : Date.from(failure.time())};
    try {
      return new CompositeDataSupport(FAILURE_TYPE, FAILURE_ITEMS, values);
    } catch (OpenDataException e) {
      throw new IllegalStateException("failure user data does not match its type: " + e.getMessage(), e);
    }
  }

  private static CompositeType missingType() {
    OpenType<?>[] types = {SimpleType.STRING, SimpleType.OBJECTNAME, SimpleType.STRING, SimpleType.DATE,
        SimpleType.LONG, SimpleType.STRING};
    String[] descriptions = {"the service that waits", "the service's MBean", "the name it depends on, not registered",
        "when the dependency was first seen missing", "the grace period that ran out, in milliseconds",
        "the registered name nearest to the missing one (a few edits away), or null"};
    try {
      return new CompositeType("dev.supervisor.MissingDependency", "A dependency missing past its grace period",
          MISSING_ITEMS, descriptions, types);
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static CompositeType failureType() {
    OpenType<?>[] types = {SimpleType.STRING, SimpleType.OBJECTNAME, SimpleType.STRING, SimpleType.STRING,
        SimpleType.STRING, SimpleType.STRING, SimpleType.DATE};
    String[] descriptions = {"the service's name", "the service's MBean", "the state it went to (FAILED)",
        "the failure kind (REJECTED for a rejected registration)", "the exception's class name, or empty",
        "what failed", "when the supervisor saw it"};
    try {
      return new CompositeType("dev.supervisor.ServiceFailure", "A service that went FAILED and why",
          FAILURE_ITEMS, descriptions, types);
    } catch (OpenDataException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
