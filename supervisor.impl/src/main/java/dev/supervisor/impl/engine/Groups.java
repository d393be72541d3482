package dev.supervisor.impl.engine;

import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.Strategy;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * The tree of supervision groups, the bookkeeping of their failure intensity, and group policy as a
 * decision value ({@link #onMemberFailure}): OTP's strategies and intensity and suptree's pause, readable
 * and testable without threads. It acts on no service: {@link Supervision} applies the decision. Owned by
 * the control thread.
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
  Verdict recordFailure(GroupNode group, long now) {
    GroupSpec spec = group.spec;
    if (spec.maxRestarts() > 0 && group.window.count(now, spec.restartWindow()) + 1 > spec.maxRestarts()) {
      return Verdict.EXCEEDED;
    }
    group.window.record(now, spec.restartWindow(), spec.maxRestarts());
    double count = group.intensity.recordFailure(now, spec.failureDecay());
    boolean paused = group.pausedUntil != null && group.pausedUntilNanos > now;
    return count > spec.failureThreshold() && !paused ? Verdict.PAUSE : Verdict.COUNTED;
  }

  /** What one failure means for a group. */
  enum Verdict { COUNTED, PAUSE, EXCEEDED }

  /**
   * What one member's failure means for the tree, by OTP's strategies and intensity and suptree's pause;
   * {@link Supervision} applies it.
   *
   * @param failed the groups that exceeded their restart intensity, lowest first: each fails as a whole and
   *     counts as one failure of its parent (empty when the failure stayed within every limit)
   * @param rootGaveUp whether the last of {@code failed} is the root: the supervisor ends
   * @param pause the group whose decayed count just passed its threshold (its restarts pause), or null
   * @param restart the services restarted with the culprit: by the strategy of the group that handles the
   *     failure, and all of a group restarted afresh; never the culprit itself
   * @param changed every group whose counts, window or pause changed (to republish)
   */
  record Decision(List<GroupNode> failed, boolean rootGaveUp, GroupNode pause, Set<ServiceEntry> restart,
      List<GroupNode> changed) {}

  /**
   * Counts a failure of {@code culprit}, a member of {@code group}, up the tree as far as it goes, and says
   * what to do. A group that exceeds its intensity is restarted afresh (its counts, windows and pauses, and
   * those of the groups under it, start again) by its parent, along with what the parent's strategy restarts.
   *
   * @param group the culprit's group
   * @param culprit the service that failed
   * @param now when (monotonic nanoseconds)
   * @return the decision
   */
  Decision onMemberFailure(GroupNode group, ServiceEntry culprit, long now) {
    Verdict verdict = recordFailure(group, now);
    if (verdict != Verdict.EXCEEDED) { // the restart path: ONE_FOR_ONE allocates no set
      Set<ServiceEntry> restart = Set.of();
      if (group.spec.strategy() != Strategy.ONE_FOR_ONE) {
        restart = strategyRestarts(group, culprit.launchStamp);
        restart.remove(culprit);
      }
      return new Decision(List.of(), false, verdict == Verdict.PAUSE ? group : null, restart, List.of(group));
    }
    List<GroupNode> changed = new ArrayList<>();
    changed.add(group);
    List<GroupNode> failed = new ArrayList<>();
    GroupNode failedGroup = group;
    GroupNode pause = null;
    while (true) {
      failed.add(failedGroup);
      GroupNode parent = failedGroup.parent;
      if (parent == null) {
        return new Decision(failed, true, null, Set.of(), changed);
      }
      changed.add(parent);
      verdict = recordFailure(parent, now);
      if (verdict != Verdict.EXCEEDED) {
        pause = verdict == Verdict.PAUSE ? parent : null;
        break;
      }
      failedGroup = parent;
    }
    // The parent restarts the failed group afresh, with whatever else its own strategy restarts with it.
    for (GroupNode node : groupsUnder(failedGroup)) {
      node.intensity.reset();
      node.window.clear();
      endPause(node);
      changed.add(node);
    }
    Set<ServiceEntry> restart = new LinkedHashSet<>(servicesUnder(failedGroup));
    restart.addAll(strategyRestarts(failedGroup.parent, firstLaunch(failedGroup)));
    restart.remove(culprit);
    return new Decision(failed, false, pause, restart, changed);
  }

  /** @return what {@code group}'s strategy restarts after a member first launched at {@code stamp} failed */
  private Set<ServiceEntry> strategyRestarts(GroupNode group, long stamp) {
    return switch (group.spec.strategy()) {
      case ONE_FOR_ONE -> new LinkedHashSet<>();
      case ONE_FOR_ALL -> new LinkedHashSet<>(servicesUnder(group));
      case REST_FOR_ONE -> new LinkedHashSet<>(startedAfter(group, stamp));
    };
  }

  /** @return the services of the group's members (services and child groups) first started after {@code stamp} */
  List<ServiceEntry> startedAfter(GroupNode group, long stamp) {
    List<ServiceEntry> after = new ArrayList<>();
    for (ServiceEntry member : group.members) {
      if (member.launchStamp > stamp) {
        after.add(member);
      }
    }
    for (GroupNode child : group.children.values()) {
      long first = firstLaunch(child);
      if (first != Long.MAX_VALUE && first > stamp) {
        after.addAll(servicesUnder(child));
      }
    }
    return after;
  }

  /** @return the group and every group under it, walked with a work list */
  List<GroupNode> groupsUnder(GroupNode group) {
    List<GroupNode> all = new ArrayList<>();
    Deque<GroupNode> work = new ArrayDeque<>();
    work.push(group);
    while (!work.isEmpty()) {
      GroupNode current = work.pop();
      all.add(current);
      work.addAll(current.children.values());
    }
    return all;
  }

  /** Ends a group's restart pause, if any, and calls off the timer that would have ended it. */
  static void endPause(GroupNode group) {
    if (group.pauseTimer != null) {
      group.pauseTimer.cancel();
      group.pauseTimer = null;
    }
    group.pausedUntil = null;
  }

  /** @return how long restarts must still wait because this group or one above it pauses them */
  static Duration pauseLeft(GroupNode group, long now) {
    long left = 0;
    for (GroupNode node = group; node != null; node = node.parent) {
      if (node.pausedUntil != null && node.pausedUntilNanos > now) {
        left = Math.max(left, node.pausedUntilNanos - now);
      }
    }
    return left == 0 ? Duration.ZERO : Duration.ofNanos(left);
  }
}
