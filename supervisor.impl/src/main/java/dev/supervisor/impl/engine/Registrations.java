package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Who comes in and who leaves the {@link ServiceTable}: a registration is checked (name free, no cycle),
 * put in the table under the id its caller was given, in a group, and its neighbours republished; a removed
 * one is taken out of the table, its group and the published view, its waiters answered and its source
 * released. What a service then does (its phase) is {@link Supervision}'s, and so is what becomes of a refusal:
 * this class answers (the spec to admit or the refusal, the entry) and buffers (snapshots, replies), and never
 * calls back. Control thread only.
 */
final class Registrations {
  private final ServiceTable table;
  private final GroupUpkeep upkeep;
  private final Publisher publisher;
  private final RunThreads runThreads;
  private final EngineLog log;
  private final MissingDependencyWatch watch;
  /** Waits for RUNNING of names not registered yet: handed to the registration when it comes. */
  private final Map<String, List<CompletableFuture<ServiceInfo>>> waitsForUnregistered = new HashMap<>();

  Registrations(ServiceTable table, GroupUpkeep upkeep, Publisher publisher, RunThreads runThreads, EngineLog log,
      MissingDependencyWatch watch) {
    this.watch = watch;
    this.table = table;
    this.upkeep = upkeep;
    this.publisher = publisher;
    this.runThreads = runThreads;
    this.log = log;
  }

  /**
   * @param spec a registration's spec
   * @return the spec to admit it with: {@code spec} itself, or {@code spec} without its derived dependencies
   *     when they close a cycle that its declared ones do not (derived edges are a help, not a declaration:
   *     they are left out, with a warning, rather than refuse the registration)
   * @throws SupervisorException ALREADY_EXISTS or CIRCULAR_DEPENDENCY: why it cannot be admitted
   */
  ServiceSpec admissible(ServiceSpec spec) {
    ServiceEntry existing = table.byName(spec.name());
    if (existing != null) {
      throw Refusals.alreadyExists(spec.name(), existing.owner);
    }
    List<String> cycle = table.findCycle(spec.name(), spec.allDependencies());
    if (cycle == null) {
      return spec;
    }
    SupervisorException refusal = SupervisorException.circularDependency(spec.name(), cycle);
    if (spec.derivedDependsOn().isEmpty()) {
      throw refusal;
    }
    List<String> declaredCycle = table.findCycle(spec.name(), spec.dependsOn());
    if (declaredCycle != null) {
      throw SupervisorException.circularDependency(spec.name(), declaredCycle); // the one the user wrote
    }
    log.warn("service '" + spec.name() + "': derived dependencies " + spec.derivedDependsOn() + " left out: "
        + refusal.getMessage(), null);
    return spec.toBuilder().derivedDependsOn(List.of()).build();
  }

  /**
   * @param m the request, with the id the caller was given
   * @param spec its spec as {@link #admissible} answered
   * @return the new entry, in the table and its group
   */
  ServiceEntry admit(Message.Add m, ServiceSpec spec, Instant now, long nowNanos) {
    ServiceEntry entry = new ServiceEntry(m.id(), spec, m.source(), m.owner(), m.escalator(), now, false);
    table.add(entry);
    // Members are not part of the published group snapshot (Engine adds them when read): adding a service
    // to a group of thousands must not copy its member list each time.
    entry.group = upkeep.createdOnFirstUse(spec.group());
    entry.group.members.add(entry);
    touchNeighbours(entry);
    List<CompletableFuture<ServiceInfo>> waits = waitsForUnregistered.remove(entry.name);
    if (waits != null) {
      entry.adoptReadyWaiters(waits);
    }
    watch.refresh(entry, table.missingDependencies(entry), now, nowNanos);
    clockDependents(entry, now, nowNanos); // what they missed is here
    return entry;
  }

  /**
   * @param id the registration id its caller was given
   * @param asked the name it asked for, or null
   * @param owner who registered it
   * @param error why it was refused
   * @return a registration that was refused (a bad property, a name taken, a cycle): it is shown FAILED with
   *     the reason, under its own name when that is usable and free, and never runs
   */
  ServiceEntry admitRejected(long id, String asked, String owner, SupervisorException error, Instant now) {
    String name = RejectedName.of(asked, id, asked != null && table.contains(asked));
    ServiceSpec spec = ServiceSpec.builder(name).autoStart(false).build();
    ServiceEntry entry = new ServiceEntry(id, spec, null, owner, Escalator.NONE, now, true);
    table.add(entry);
    entry.metrics().lastFailure = new Failure(FailureKind.REJECTED, error.getClass().getName(), error.getMessage(),
        "", now);
    touchNeighbours(entry);
    log.warn("rejected a registration from " + owner + ": " + error.getMessage(), null);
    return entry;
  }

  /**
   * @return the registration the new spec is for, with its dependencies relinked if they changed; null if
   *     refused (unknown, rejected, a new name or group, a cycle): the caller has been told why
   */
  ServiceEntry respecified(Message.UpdateSpec m, Instant now, long nowNanos) {
    ServiceEntry entry = table.byId(m.id());
    ServiceSpec spec = m.spec();
    if (entry == null || entry.rejected) {
      m.reply().completeExceptionally(new SupervisorException(SupervisorException.Kind.UNKNOWN_SERVICE, spec.name(),
          "no accepted registration #" + m.id() + " to update"));
      return null;
    }
    if (!entry.name.equals(spec.name()) || !entry.spec.group().equals(spec.group())) {
      m.reply().completeExceptionally(new SupervisorException(SupervisorException.Kind.ILLEGAL_STATE, entry.name,
          "service '" + entry.name + "': name and group cannot change on a running registration"));
      return null;
    }
    boolean relink = !entry.spec.allDependencies().equals(spec.allDependencies());
    if (relink) {
      List<String> cycle = table.findCycle(spec.name(), spec.allDependencies());
      if (cycle != null) {
        m.reply().completeExceptionally(SupervisorException.circularDependency(spec.name(), cycle));
        return null;
      }
      touchNeighbours(entry); // the old ones (neighbours are read from the spec)
      table.relink(entry, spec.allDependencies());
    }
    entry.spec = spec;
    publisher.touch(entry);
    if (relink) {
      touchNeighbours(entry); // and the new ones
      watch.refresh(entry, table.missingDependencies(entry), now, nowNanos);
    }
    return entry;
  }

  /** Keeps a wait for RUNNING of a name not registered yet, until it is (or the supervisor ends). */
  void awaitRegistration(String name, CompletableFuture<ServiceInfo> waiter) {
    List<CompletableFuture<ServiceInfo>> waits = waitsForUnregistered.computeIfAbsent(name, n -> new ArrayList<>());
    waits.removeIf(CompletableFuture::isDone); // so that callers who give up leave nothing behind
    waits.add(waiter);
  }

  /** The supervisor ends: waits for names never registered fail with {@code error}. */
  void failWaitsForUnregistered(SupervisorException error) {
    waitsForUnregistered.values().forEach(waits -> waits.forEach(waiter -> publisher.failLater(waiter, error)));
    waitsForUnregistered.clear();
  }

  /**
   * Forgets a service that has no live run: whoever waits for it to be ready hears it was removed, whoever
   * removed it hears whether it stopped cleanly, and its source is released off the control thread
   * (releasing an OSGi service may run the provider's code), unless an abandoned run still uses it.
   *
   * @param stopFailure what went wrong with the stop that removal asked for, or null
   */
  void forget(ServiceEntry entry, Failure stopFailure, Instant now, long nowNanos) {
    table.remove(entry);
    watch.forget(entry);
    clockDependents(entry, now, nowNanos); // they miss it from now on
    if (entry.lastFailure() != null) {
      // Printed now, so that the failure lets go of the exception, and of its bundle's class loader with it.
      entry.lastFailure().stackTrace();
    }
    publisher.removed(entry);
    if (entry.group != null) {
      entry.group.members.remove(entry);
    }
    touchNeighbours(entry);
    SupervisorException gone = Refusals.removed(entry.name);
    entry.takeReadyWaiters().forEach(waiter -> publisher.failLater(waiter, gone));
    for (CompletableFuture<Void> waiter : entry.takeRemovalWaiters()) {
      if (stopFailure == null) {
        publisher.reply(waiter, null);
      } else { // removed all the same, but the caller must not believe it ended cleanly
        publisher.fail(waiter, Refusals.removedUncleanly(entry.name, stopFailure));
      }
    }
    if (entry.source != null && entry.abandoned == null) {
      runThreads.release(entry.name, entry.source);
    }
    log.info("service '" + entry.name + "' removed");
  }

  private void clockDependents(ServiceEntry entry, Instant now, long nowNanos) {
    for (ServiceEntry dependent : table.dependentsOf(entry)) {
      watch.refresh(dependent, table.missingDependencies(dependent), now, nowNanos);
    }
  }

  /** The neighbours' snapshots list this entry (dependents, missing dependencies): refresh them. */
  private void touchNeighbours(ServiceEntry entry) {
    table.dependenciesOf(entry).forEach(publisher::touch);
    table.dependentsOf(entry).forEach(publisher::touch);
  }
}
