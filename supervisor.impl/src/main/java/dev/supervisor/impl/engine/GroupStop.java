package dev.supervisor.impl.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A stop of a whole group, waiting for the runs its members had when it began; bounded by the group's stop
 * timeout, after which the caller hears which members did not stop. A member started again meanwhile (by
 * hand, or by a restart of the group) is no part of it: its new run is not waited for.
 */
final class GroupStop {
  final GroupNode group;
  final CompletableFuture<List<String>> reply;
  /** Set when the stop ends the group (auto-shutdown, or terminateGroup): how it ends; null for a plain stop. */
  GroupEnd end;
  /** The runs that were live when the stop began: the stop is over once each has ended. */
  private final List<Run> runs = new ArrayList<>();
  Scheduler.Cancellable timer;

  GroupStop(GroupNode group, List<ServiceEntry> services, CompletableFuture<List<String>> reply) {
    this.group = group;
    this.reply = reply;
    for (ServiceEntry entry : services) {
      Run run = entry.liveRun();
      if (run != null) {
        runs.add(run);
      }
    }
  }

  /** @return the runs this stop still waits for: live when it began, not ended (nor abandoned) since */
  List<Run> waitingFor() {
    List<Run> left = new ArrayList<>();
    for (Run run : runs) {
      if (run.entry().liveRun() == run) {
        left.add(run);
      }
    }
    return left;
  }

  /** @return whether every run live when the stop began has ended */
  boolean done() {
    for (Run run : runs) {
      if (run.entry().liveRun() == run) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "stop of " + group;
  }

  /** How a group ends once its stop is over: what its {@code Termination} will say. */
  record GroupEnd(int exitStatus, String service, dev.supervisor.api.Failure cause) {}
}
