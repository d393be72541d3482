package dev.supervisor.shell;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code supervisor:tree} view: the supervision groups as a tree, the root first; under each group its
 * services (by name, with state and dependencies) and then its child groups. ASCII only, so that it reads
 * the same in any terminal encoding. Pure functions of the snapshots.
 *
 * <pre>
 * (root) [RUNNING] ONE_FOR_ONE
 * |-- demo.config [RUNNING]
 * |-- demo.store [RUNNING] -&gt; demo.config
 * `-- ingest/ [RUNNING] ONE_FOR_ALL, maxRestarts 3 in PT1M
 *     `-- parser [WAITING] -&gt; kafka.client (missing)
 * </pre>
 */
final class SupervisionTree {
  private SupervisionTree() {}

  /**
   * @param groups every group (any order; the root may be missing, it is shown anyway)
   * @param services every service
   * @return the tree, one node per line
   */
  static String format(List<GroupInfo> groups, List<ServiceInfo> services) {
    Map<String, GroupInfo> byPath = new TreeMap<>();
    groups.forEach(group -> byPath.put(group.path(), group));
    Map<String, TreeSet<String>> childGroups = new TreeMap<>();
    Map<String, List<ServiceInfo>> members = new TreeMap<>();
    // Every group a service or a group path names exists in the tree, even if the snapshot lacks it.
    TreeSet<String> paths = new TreeSet<>(byPath.keySet());
    services.forEach(info -> paths.add(info.group()));
    paths.add("");
    for (String path : new ArrayList<>(paths)) {
      for (String p = path; !p.isEmpty(); p = parent(p)) {
        paths.add(p);
      }
    }
    for (String path : paths) {
      if (!path.isEmpty()) {
        childGroups.computeIfAbsent(parent(path), p -> new TreeSet<>()).add(path);
      }
    }
    services.stream().sorted((a, b) -> a.name().compareTo(b.name()))
        .forEach(info -> members.computeIfAbsent(info.group(), p -> new ArrayList<>()).add(info));

    StringBuilder out = new StringBuilder();
    out.append(groupLine("", byPath.get(""))).append('\n');
    // Iterative walk (groups may nest deeply): each frame is a node and the prefix of its line.
    Deque<Frame> work = new ArrayDeque<>();
    pushChildren(work, "", "", members, childGroups);
    while (!work.isEmpty()) {
      Frame frame = work.pop();
      out.append(frame.prefix).append(frame.last ? "`-- " : "|-- ");
      if (frame.service != null) {
        out.append(serviceLine(frame.service)).append('\n');
      } else {
        out.append(groupLine(frame.group, byPath.get(frame.group))).append('\n');
        pushChildren(work, frame.group, frame.prefix + (frame.last ? "    " : "|   "), members, childGroups);
      }
    }
    return out.toString();
  }

  private record Frame(String prefix, boolean last, ServiceInfo service, String group) {}

  private static void pushChildren(Deque<Frame> work, String path, String prefix,
      Map<String, List<ServiceInfo>> members, Map<String, TreeSet<String>> childGroups) {
    List<Frame> children = new ArrayList<>();
    for (ServiceInfo info : members.getOrDefault(path, List.of())) {
      children.add(new Frame(prefix, false, info, null));
    }
    for (String child : childGroups.getOrDefault(path, new TreeSet<>())) {
      children.add(new Frame(prefix, false, null, child));
    }
    for (int i = children.size() - 1; i >= 0; i--) {
      Frame f = children.get(i);
      work.push(new Frame(f.prefix, i == children.size() - 1, f.service, f.group));
    }
  }

  static String serviceLine(ServiceInfo info) {
    StringBuilder line = new StringBuilder(info.name()).append(" [").append(info.state()).append(']');
    if (!info.dependencies().isEmpty()) {
      line.append(" -> ");
      List<String> deps = new ArrayList<>();
      for (String dependency : info.dependencies()) {
        String shown = Names.dependency(info, dependency);
        deps.add(info.missingDependencies().contains(dependency) ? shown + " (missing)" : shown);
      }
      line.append(String.join(", ", deps));
    }
    info.lastFailure().ifPresent(f -> {
      if (info.state() == State.FAILED || info.state() == State.BACKOFF) {
        line.append("  ! ").append(Names.cut(Names.failure(f), ServiceTable.ERROR_WIDTH));
      }
    });
    return line.toString();
  }

  static String groupLine(String path, GroupInfo group) {
    String name = path.isEmpty() ? Names.ROOT : path + "/";
    if (group == null) {
      return name;
    }
    GroupSpec spec = group.spec();
    StringBuilder line = new StringBuilder(name).append(" [").append(group.state()).append("] ")
        .append(spec.strategy());
    if (spec.maxRestarts() > 0) {
      line.append(", maxRestarts ").append(spec.maxRestarts()).append(" in ").append(spec.restartWindow());
    }
    if (group.escalations() > 0) {
      line.append(", escalations ").append(group.escalations());
    }
    group.backoffUntil().ifPresent(until -> line.append(", paused until ").append(until));
    return line.toString();
  }

  /** @return the parent path: "ingest" for "ingest/kafka", "" for "ingest" */
  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash);
  }
}
