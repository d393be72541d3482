package dev.supervisor.impl.engine;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import dev.supervisor.api.Termination;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * What the outside sees of supervision, and when: while a message is handled, the control thread only
 * notes what changed ({@link #touch}), what to tell listeners ({@link #update}) and whom to answer
 * ({@link #reply}); afterwards {@link #publishSnapshots} publishes one snapshot per changed service, in the
 * map that {@code Engine} reads, and {@link #deliver}, after a batch of messages, publishes one per changed
 * group, hands the updates to the listeners' dispatcher and then completes the replies. In that order: a
 * listener or a caller that acts on what it is told finds the transition complete and the snapshots new.
 * Groups wait for the batch because every failure of a member changes its group's counts: in a crash storm
 * one group snapshot then serves many restarts. Owned by the control thread; it never calls back into
 * {@link Supervision}.
 */
final class Publisher {
  private final ConcurrentMap<String, Snapshot> published;
  private final ConcurrentMap<String, GroupSnapshot> publishedGroups;
  private final ListenerDispatcher dispatcher;
  private final Executor notifier;
  private final CompletableFuture<Termination> terminated;
  /** Services and groups whose snapshot is published after this message, each once (its {@code dirty} flag). */
  private final List<ServiceEntry> dirty = new ArrayList<>();
  private final List<GroupNode> dirtyGroups = new ArrayList<>();
  /** Listener deliveries, then replies, released once the message is fully handled. */
  private final List<Runnable> updates = new ArrayList<>();
  private final List<Runnable> replies = new ArrayList<>();

  /**
   * @param published where service snapshots go, by name (Engine reads them)
   * @param publishedGroups where group snapshots go, by path
   * @param dispatcher delivers updates to listeners
   * @param notifier completes futures that callers may have chained work onto
   * @param terminated completed with the termination, once listeners have been told
   */
  Publisher(ConcurrentMap<String, Snapshot> published, ConcurrentMap<String, GroupSnapshot> publishedGroups,
      ListenerDispatcher dispatcher, Executor notifier, CompletableFuture<Termination> terminated) {
    this.published = published;
    this.publishedGroups = publishedGroups;
    this.dispatcher = dispatcher;
    this.notifier = notifier;
    this.terminated = terminated;
  }

  /** @return the snapshot published for {@code name}, or null (for invariant checks) */
  Snapshot published(String name) {
    return published.get(name);
  }

  /** @return the names that have a published snapshot (for invariant checks) */
  java.util.Set<String> publishedNames() {
    return published.keySet();
  }

  /** Its snapshot is published once this message is handled, however often it changed meanwhile. */
  void touch(ServiceEntry entry) {
    if (!entry.dirty) {
      entry.dirty = true;
      dirty.add(entry);
    }
  }

  void touch(GroupNode group) {
    if (!group.dirty) {
      group.dirty = true;
      dirtyGroups.add(group);
    }
  }

  /** @return whether anyone listens: without listeners, status updates need not even be made */
  boolean wantsUpdates() {
    return dispatcher.hasListeners();
  }

  /** @param waiter completed with the supervisor's termination, once it has terminated */
  void whenTerminated(CompletableFuture<Termination> waiter) {
    terminated.whenComplete((termination, error) -> {
      if (error == null) {
        waiter.complete(termination);
      } else {
        waiter.completeExceptionally(error);
      }
    });
  }

  void missingDependency(dev.supervisor.api.MissingDependency missing) {
    updates.add(() -> dispatcher.publishMissingDependency(missing));
  }

  void update(StatusEvent event) {
    updates.add(() -> dispatcher.publish(event));
  }

  /** The service is gone: its snapshot goes at once, listeners hear of it after its last update. */
  void removed(ServiceEntry entry) {
    published.remove(entry.name);
    entry.dirty = false; // not published again
    updates.add(() -> dispatcher.publishRemoval(entry.id, entry.name));
  }

  /** The supervisor has ended: listeners hear it after everything else; the termination future completes. */
  void terminated(Termination termination) {
    updates.add(() -> dispatcher.publishTermination(termination));
    notifier.execute(() -> terminated.complete(termination));
  }

  <T> void reply(CompletableFuture<T> future, T value) {
    replies.add(() -> future.complete(value));
  }

  void fail(CompletableFuture<?> future, Throwable error) {
    replies.add(() -> future.completeExceptionally(error));
  }

  /** Fails a future a caller may have chained work onto: on the notifier, never on the control thread. */
  void failLater(CompletableFuture<?> future, Throwable error) {
    notifier.execute(() -> future.completeExceptionally(error));
  }

  /**
   * Publishes the snapshots of the services that changed; one that became RUNNING or FAILED answers its
   * waiters.
   *
   * @param now the time of the message handled
   * @param nowNanos the monotonic reading of that moment
   * @param table for each service's neighbours
   * @param refreshes for each service's bundle refresh count
   */
  void publishSnapshots(Instant now, long nowNanos, ServiceTable table, BundleRefreshes refreshes) {
    for (int i = 0; i < dirty.size(); i++) {
      ServiceEntry entry = dirty.get(i);
      if (!entry.dirty) {
        continue; // removed meanwhile
      }
      entry.dirty = false;
      Snapshot snapshot = snapshot(entry, now, nowNanos, table, refreshes);
      published.put(entry.name, snapshot);
      if (!entry.hasReadyWaiters()) {
        continue;
      }
      if (entry.state() == State.RUNNING) {
        completeWaiters(entry, snapshot, null);
      } else if (entry.state() == State.FAILED) {
        completeWaiters(entry, null, new SupervisorException(Kind.START_FAILURE, entry.name,
            "service '" + entry.name + "' is FAILED: " + entry.lastFailure()));
      }
    }
    dirty.clear();
  }

  /**
   * Publishes the snapshots of the groups that changed, hands the updates to the dispatcher, then completes
   * the replies.
   *
   * @param now the time of the last message handled
   * @param nowNanos the monotonic reading of that moment
   */
  void deliver(Instant now, long nowNanos) {
    for (int i = 0; i < dirtyGroups.size(); i++) { // by index: no iterator on the restart path
      GroupNode group = dirtyGroups.get(i);
      group.dirty = false;
      publishedGroups.put(group.path, groupSnapshot(group, now, nowNanos));
    }
    dirtyGroups.clear();
    for (Runnable update : updates) {
      update.run();
    }
    updates.clear();
    for (Runnable reply : replies) {
      reply.run();
    }
    replies.clear();
  }

  private void completeWaiters(ServiceEntry entry, Snapshot snapshot, SupervisorException error) {
    List<CompletableFuture<ServiceInfo>> waiters = entry.takeReadyWaiters();
    // On the notifier: whatever a caller chained onto the future must not run on the control thread.
    notifier.execute(() -> {
      for (CompletableFuture<ServiceInfo> waiter : waiters) {
        if (error == null) {
          waiter.complete(snapshot);
        } else {
          waiter.completeExceptionally(error);
        }
      }
    });
  }

  private static GroupSnapshot groupSnapshot(GroupNode group, Instant now, long nowNanos) {
    return new GroupSnapshot(group.path, group.spec, now, nowNanos, group.failed, group.intensity.rawCount(),
        group.intensity.countedAt(), group.pausedUntil, group.pausedUntilNanos, group.window.view(),
        group.escalations, group.lastFailure, List.of(), group.childPaths());
  }

  private static Snapshot snapshot(ServiceEntry entry, Instant now, long nowNanos, ServiceTable table,
      BundleRefreshes refreshes) {
    ServiceMetrics m = entry.metricsIfAny();
    Phase phase = entry.phase;
    Instant nextRestart = phase instanceof Phase.BackingOff backoff ? backoff.restartAt : null;
    String stopReason = phase instanceof Phase.AtRest atRest ? atRest.stopReason() : null;
    String note = phase instanceof Phase.AtRest atRest ? atRest.note()
        : phase instanceof Phase.Escalating escalating ? "restarts used up; escalating ("
            + dev.supervisor.api.ServiceSpec.ESCALATE + " = " + escalating.escalation() + ")" : null;
    return new Snapshot(entry.id, phase.state(), entry.stateSince, now, nowNanos, entry.spec, entry.owner,
        entry.createdAt, m == null ? MetricsSnapshot.NONE : m.snapshot(), nextRestart, table.dependentNames(entry),
        table.missingDependencies(entry), refreshes.count(entry.name), stopReason,
        MissingDependencyWatch.overdueOf(entry), note);
  }
}
