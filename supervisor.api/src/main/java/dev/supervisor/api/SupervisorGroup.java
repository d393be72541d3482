package dev.supervisor.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A marker service that declares a supervision group: register any object of this type with the
 * {@code supervisor.group.*} properties of {@link GroupSpec} (at least {@link GroupSpec#PATH}) and the
 * supervisor configures that group; unregistering it puts the group back to the defaults.
 *
 * <pre>{@code
 * @Component(service = SupervisorGroup.class, property = {
 *     "supervisor.group.path=ingest", "supervisor.group.strategy=ONE_FOR_ALL",
 *     "supervisor.group.maxRestarts:Integer=3", "supervisor.group.restartWindow=PT10S"})
 * public class IngestGroup implements SupervisorGroup {}
 * }</pre>
 */
@ConsumerType
public interface SupervisorGroup {}
