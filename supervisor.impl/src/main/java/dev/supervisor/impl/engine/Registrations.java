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
 * given an id and a group, and its neighbours republished; a removed one is taken out of the table, its
 * group and the published view, its waiters answered and its source released. What a service then does
 * (its phase) is {@link Supervision}'s: this class answers (the entry, or null after refusing) and buffers
 * (snapshots, replies), and never calls back. Control thread only.
 */
final class Registrations {
  private final ServiceTable table;
  private final GroupUpkeep upkeep;
  private final Publisher publisher;
  private final RunThreads runThreads;
  private final EngineLog log;
  private final MissingDependencyWatch watch;
  private long nextId = 1;
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

  /** @return the new entry, in the table and its group; null if refused (the caller has been told why) */
  ServiceEntry admit(Message.Add m, Instant now, long nowNanos) {
    ServiceSpec spec = m.spec();
    ServiceEntry existing = table.byName(spec.name());
    if (existing != null) {
      m.reply().completeExceptionally(Refusals.alreadyExists(spec.name(), existing.owner));
      return null;
    }
    List<String> cycle = table.findCycle(spec.name(), spec.allDependencies());
    if (cycle != null) {
      m.reply().completeExceptionally(SupervisorException.circularDependency(spec.name(), cycle));
      return null;
    }
    ServiceEntry entry = new ServiceEntry(nextId++, spec, m.source(), m.owner(), m.escalator(), now, false);
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
   * @return a registration that was refused before it came here (a bad property, say): it is shown FAILED
   *     with the reason, under its own name when that is usable and free, and never runs
   */
  ServiceEntry admitRejected(Message.Reject m, Instant now) {
    long id = nextId++;
    String name = RejectedName.of(m.name(), id, m.name() != null && table.contains(m.name()));
    ServiceSpec spec = ServiceSpec.builder(name).autoStart(false).build();
    ServiceEntry entry = new ServiceEntry(id, spec, null, m.owner(), Escalator.NONE, now, true);
    table.add(entry);
    entry.metrics().lastFailure = new Failure(FailureKind.REJECTED, m.error().getClass().getName(),
        m.error().getMessage(), "", now);
    touchNeighbours(entry);
    log.warn("rejected a registration from " + m.owner() + ": " + m.error().getMessage(), null);
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
