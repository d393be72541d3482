package dev.supervisor.impl.engine;

import dev.supervisor.api.GroupSpec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree of supervision groups and the bookkeeping of their failure intensity. It decides nothing
 * about services: {@link Supervision} asks it where a failure leads and acts on the answer. Owned by the
 * control thread.
 */
final class Groups {
  private final Map<String, GroupNode> byPath = new HashMap<>();
  final GroupNode root;

  Groups() {
    root = new GroupNode("", null, GroupSpecProperties.defaults(""));
    byPath.put("", root);
  }

  GroupNode get(String path) {
    return byPath.get(path);
  }

  Collection<GroupNode> all() {
    return byPath.values();
  }

  /** @return the group at {@code path}, created with the defaults (and its missing ancestors) if need be */
  GroupNode getOrCreate(String path) {
    GroupNode node = byPath.get(path);
    if (node != null) {
      return node;
    }
    int slash = path.lastIndexOf('/');
    GroupNode parent = getOrCreate(slash < 0 ? "" : path.substring(0, slash));
    node = new GroupNode(path, parent, GroupSpecProperties.defaults(path));
    parent.children.put(node.segment(), node);
    byPath.put(path, node);
    return node;
  }

  /** @return every service in the group and its descendants, walked with a work list */
  List<ServiceEntry> servicesUnder(GroupNode group) {
    List<ServiceEntry> services = new ArrayList<>();
    Deque<GroupNode> work = new ArrayDeque<>();
    work.push(group);
    while (!work.isEmpty()) {
      GroupNode current = work.pop();
      services.addAll(current.members);
      work.addAll(current.children.values());
    }
    return services;
  }

  /** @return the earliest launch among the group's services that have been launched, or MAX_VALUE */
  long firstLaunch(GroupNode group) {
    long first = Long.MAX_VALUE;
    for (ServiceEntry entry : servicesUnder(group)) {
      if (entry.launchStamp > 0) {
        first = Math.min(first, entry.launchStamp);
      }
    }
    return first;
  }

  /**
   * Counts one failure of a member (a service, or a child group that failed as a whole) against the
   * group's two limits.
   *
   * @return EXCEEDED if OTP's intensity is exceeded (the group must fail as a whole; nothing is counted),
   *     PAUSE if suptree's decayed count just passed the threshold (restarts must pause), else COUNTED
   */
  Verdict recordFailure(GroupNode group, Instant now) {
    GroupSpec spec = group.spec;
    if (spec.maxRestarts() > 0 && group.window.count(now, spec.restartWindow()) + 1 > spec.maxRestarts()) {
      return Verdict.EXCEEDED;
    }
    group.window.record(now, spec.restartWindow(), spec.maxRestarts());
    double count = group.intensity.recordFailure(now, spec.failureDecay());
    boolean paused = group.pausedUntil != null && group.pausedUntil.isAfter(now);
    return count > spec.failureThreshold() && !paused ? Verdict.PAUSE : Verdict.COUNTED;
  }

  /** What one failure means for a group. */
  enum Verdict { COUNTED, PAUSE, EXCEEDED }
}
