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
