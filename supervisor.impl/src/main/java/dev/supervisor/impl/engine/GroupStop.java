package dev.supervisor.impl.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A stop of a whole group, waiting for its members; bounded by the group's stop timeout, after which the
 * caller hears which members did not stop.
 */
final class GroupStop {
  final GroupNode group;
  final List<ServiceEntry> services;
  final CompletableFuture<List<String>> reply;
  Scheduler.Cancellable timer;

  GroupStop(GroupNode group, List<ServiceEntry> services, CompletableFuture<List<String>> reply) {
    this.group = group;
    this.services = services;
    this.reply = reply;
  }

  /** @return whether no member has a run that may still be inside {@code run} */
  boolean done() {
    for (ServiceEntry entry : services) {
      if (entry.hasLiveRun()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "stop of " + group;
  }
}
