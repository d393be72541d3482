package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.FailureKind;
import dev.supervisor.api.GroupSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import dev.supervisor.api.Termination;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What happens to the groups themselves over time: created on first use, configured, paused and resumed,
 * marked failed as a whole, reset, and stopped as a whole with a deadline. It changes group nodes only,
 * never a service: {@link Supervision} stops and restarts the members. It follows the engine's rule: it
 * answers, buffers (republishes groups, replies through the {@link Publisher}) and posts (its timers), and
 * never calls back. Control thread only.
 */
final class GroupUpkeep {
  private final Groups groups;
  private final Timers timers;
  private final Publisher publisher;
  private final EngineLog log;
  /** Stops of whole groups that wait for their members (each bounded by the group's stop timeout). */
  private final List<GroupStop> stops = new ArrayList<>();

  GroupUpkeep(Groups groups, Timers timers, Publisher publisher, EngineLog log) {
    this.groups = groups;
    this.timers = timers;
    this.publisher = publisher;
    this.log = log;
  }

  /** @return the group, created if need be; it and its ancestors (whose children may have changed) are republished */
  GroupNode createdOnFirstUse(String path) {
    GroupNode existing = groups.get(path);
    if (existing != null) {
      publisher.touch(existing);
      return existing;
    }
    GroupNode group = groups.getOrCreate(path);
    for (GroupNode node = group; node != null; node = node.parent) {
      publisher.touch(node);
    }
    return group;
  }

  void configure(GroupSpec spec) {
    createdOnFirstUse(spec.path()).spec = spec;
    log.info("configured " + spec);
  }

  /** suptree: past the threshold, every restart in the group waits for failureBackoff, then the count resets. */
  void pause(GroupNode group, Instant now, long nowNanos) {
    Duration backoff = group.spec.failureBackoff();
    Instant until = now.plus(backoff);
    Groups.endPause(group);
    group.pausedUntil = until;
    group.pausedUntilNanos = nowNanos + backoff.toNanos();
    group.pauseTimer = timers.after(backoff, new Message.GroupResume(group, until));
    publisher.touch(group);
    log.warn(group + ": failure count passed " + GroupSpec.FAILURE_THRESHOLD + " = " + group.spec.failureThreshold()
        + "; every restart in it waits " + backoff, null);
  }

  /** The pause that ends {@code until} is over (unless another pause replaced it meanwhile). */
  void resume(GroupNode group, Instant until) {
    if (until.equals(group.pausedUntil)) {
      group.pausedUntil = null;
      group.pauseTimer = null;
      group.intensity.reset();
      publisher.touch(group);
      log.info(group + ": restart pause over; failure count reset");
    }
  }

  /** The group exceeded its restart intensity and fails as a whole: counted, and the reason kept. */
  void failedAsWhole(GroupNode group, String culprit, Failure failure, Instant now) {
    group.escalations++;
    group.lastFailure = new Failure(failure.kind(), failure.exceptionClass(), group + " exceeded "
        + GroupSpec.MAX_RESTARTS + " = " + group.spec.maxRestarts() + " within " + GroupSpec.RESTART_WINDOW + " = "
        + group.spec.restartWindow() + "; last failure, of service '" + culprit + "': " + failure.message(),
        failure::stackTrace, now);
    publisher.touch(group);
    log.error(group.lastFailure.message() + "; the group fails as a whole", null);
  }

  /** A reset of the group and every group under it: counts, windows, pauses and the failed mark start over. */
  void reset(GroupNode group) {
    for (GroupNode node : groups.groupsUnder(group)) {
      node.intensity.reset();
      node.window.clear();
      node.failed = false;
      Groups.endPause(node);
      publisher.touch(node);
    }
  }

  /** The supervisor has ended: no pause will be waited for. */
  void endAllPauses() {
    groups.all().forEach(Groups::endPause);
  }

  /** Starts the clock on a stop of a whole group; {@link #completeStops} answers once its members have stopped. */
  void stopBegun(GroupNode group, List<ServiceEntry> services, CompletableFuture<List<String>> reply) {
    begin(new GroupStop(group, services, reply));
  }

  /**
   * Starts the clock on the stop that ends a group; once its members have stopped (or the stop timeout ran
   * out), whoever waits for its end hears how it ended.
   */
  void endBegun(GroupNode group, List<ServiceEntry> services, GroupStop.GroupEnd end) {
    group.ended = true;
    group.lastEnd = null;
    GroupStop stop = new GroupStop(group, services, new CompletableFuture<>());
    stop.end = end;
    begin(stop);
  }

  private void begin(GroupStop stop) {
    stops.add(stop);
    stop.timer = timers.after(stop.group.spec.stopTimeout(), new Message.GroupStopTimeout(stop));
  }

  /**
   * A significant member has ended for good (FAILED, or ended and not restarted by its policy).
   *
   * @return whether its group ends now, by its {@code autoShutdown}: OTP's significant children
   */
  boolean endsWithSignificant(ServiceEntry entry) {
    GroupNode group = entry.group;
    if (!entry.spec.significant() || group == null || group.ended) {
      return false;
    }
    group.significantEnded.add(entry);
    return switch (group.spec.autoShutdown()) {
      case NEVER -> false;
      case ANY_SIGNIFICANT -> true;
      case ALL_SIGNIFICANT -> group.members.stream().filter(member -> member.spec.significant())
          .allMatch(group.significantEnded::contains);
    };
  }

  /** The member runs again: its group is alive, and the member has not ended for good. */
  void memberLaunched(ServiceEntry entry) {
    if (entry.group != null) {
      entry.group.significantEnded.remove(entry);
      entry.group.ended = false;
    }
  }

  void memberRemoved(ServiceEntry entry) {
    if (entry.group != null) {
      entry.group.significantEnded.remove(entry);
    }
  }

  /** Answers every group stop whose members have all stopped. */
  void completeStops(Instant now) {
    if (stops.isEmpty()) {
      return;
    }
    for (GroupStop stop : new ArrayList<>(stops)) {
      if (stop.done()) {
        stops.remove(stop);
        stop.timer.cancel();
        publisher.reply(stop.reply, List.of());
        ended(stop, now);
      }
    }
  }

  /** A stop that ends its group is over: the group's end waiters hear how it ended; later ones hear at once. */
  private void ended(GroupStop stop, Instant now) {
    if (stop.end == null) {
      return;
    }
    GroupNode group = stop.group;
    group.lastEnd = new Termination(now, stop.end.exitStatus(), Optional.ofNullable(stop.end.service()),
        Optional.ofNullable(stop.end.cause()));
    group.endWaiters.forEach(waiter -> publisher.reply(waiter, group.lastEnd));
    group.endWaiters.clear();
    log.info(group + " has ended: every service in it has stopped");
  }

  /** @param waiter answered when the group ends, or at once if it has ended and not started again */
  void awaitEnd(GroupNode group, CompletableFuture<Termination> waiter) {
    if (group.ended && group.lastEnd != null) {
      publisher.reply(waiter, group.lastEnd);
    } else {
      group.endWaiters.add(waiter);
    }
  }

  /** @return whether this stop still waits (it is then no longer tracked: its caller is answered next) */
  boolean timedOut(GroupStop stop) {
    return stops.remove(stop);
  }

  /**
   * Answers a group stop whose timeout ran out, naming its stragglers, and keeps that as the group's last
   * failure.
   *
   * @param stuck members interrupted and abandoned
   * @param waiting members left alone, still waiting for live dependents outside the group to stop first
   */
  void stragglers(GroupStop stop, List<String> stuck, List<String> waiting, Instant now) {
    List<String> stragglers = new ArrayList<>(stuck);
    stragglers.addAll(waiting);
    Failure failure = new Failure(FailureKind.STOP_TIMEOUT, "", "stopping group '" + stop.group.path
        + "' took longer than " + GroupSpec.STOP_TIMEOUT + " = " + stop.group.spec.stopTimeout()
        + "; not stopped (interrupted and abandoned): " + stuck
        + (waiting.isEmpty() ? "" : "; not stopped, still waiting for their dependents to stop first: " + waiting),
        "", now);
    stop.group.lastFailure = failure;
    publisher.touch(stop.group);
    log.warn(failure.message(), null);
    publisher.reply(stop.reply, List.copyOf(stragglers));
    ended(stop, now);
  }
}
