package dev.supervisor.impl.engine;

import dev.supervisor.api.Failure;
import dev.supervisor.api.GroupSpec;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** One supervision group: its spec, its failure intensity, its members. Owned by the control thread. */
final class GroupNode {
  final String path;
  final GroupNode parent;
  final TreeMap<String, GroupNode> children = new TreeMap<>();
  /** Services directly in this group, in the order they joined. */
  final Set<ServiceEntry> members = new LinkedHashSet<>();
  GroupSpec spec;
  final FailureIntensity intensity = new FailureIntensity();
  final RestartWindow window = new RestartWindow();
  /** While restarts pause (suptree's FailureBackoff), until when (shown); null otherwise. */
  Instant pausedUntil;
  /** The same moment as a monotonic reading, which decides whether the pause is still on. */
  long pausedUntilNanos;
  Scheduler.Cancellable pauseTimer;
  long escalations;
  Failure lastFailure;
  boolean failed;
  /** Its significant members that have ended for good (see {@code AutoShutdown}); one that starts leaves. */
  final Set<ServiceEntry> significantEnded = new java.util.HashSet<>();
  /** Set while it is ending, or has ended, by auto-shutdown or on request; cleared when a member starts. */
  boolean ended;
  /** How it last ended, while it has not started again; null if it never ended. */
  dev.supervisor.api.Termination lastEnd;
  /** Who waits for its end ({@code Supervisor.whenGroupTerminated}); answered and cleared when it ends. */
  final List<java.util.concurrent.CompletableFuture<dev.supervisor.api.Termination>> endWaiters =
      new java.util.ArrayList<>();
  /** Its snapshot is to be published after the message being handled. */
  boolean dirty;
  /** Made when first asked for; groups are never removed, so a change of size is a change. */
  private List<String> childPaths;

  GroupNode(String path, GroupNode parent, GroupSpec spec) {
    this.path = path;
    this.parent = parent;
    this.spec = spec;
  }

  /** @return the paths of its child groups, in order; the same list until a child is added */
  List<String> childPaths() {
    if (childPaths == null || childPaths.size() != children.size()) {
      List<String> paths = new java.util.ArrayList<>();
      for (GroupNode child : children.values()) {
        paths.add(child.path);
      }
      childPaths = List.copyOf(paths);
    }
    return childPaths;
  }

  /** @return the last segment of the path, the key in the parent's children */
  String segment() {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? path : path.substring(slash + 1);
  }

  @Override
  public String toString() {
    return "group '" + path + "'";
  }
}
