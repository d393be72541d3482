package dev.supervisor.shell;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code supervisor:graph} output: the dependency graph in Graphviz DOT. A node per service, filled by
 * state; an edge {@code a -> b} when a depends on b; dashed nodes for dependencies that are not
 * registered; each supervision group a cluster (nested as the groups nest). Pure functions of the
 * snapshots. Render it with {@code dot -Tsvg}.
 */
final class DependencyDot {
  private DependencyDot() {}

  /**
   * @param services every service
   * @return the DOT text of digraph "supervisor"
   */
  static String format(List<ServiceInfo> services) {
    StringBuilder out = new StringBuilder();
    out.append("digraph supervisor {\n");
    out.append("  // an edge a -> b: a depends on b (b starts first, a stops first)\n");
    out.append("  rankdir=RL;\n");
    out.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    Map<String, List<ServiceInfo>> byGroup = new TreeMap<>();
    services.forEach(info -> byGroup.computeIfAbsent(info.group(), g -> new ArrayList<>()).add(info));
    TreeSet<String> groups = new TreeSet<>(byGroup.keySet());
    for (String path : new ArrayList<>(groups)) {
      for (String p = path; !p.isEmpty(); p = SupervisionTree.parent(p)) {
        groups.add(p);
      }
    }
    groups.remove("");
    // Paths in sorted order visit a group right before its descendants: open and close clusters as a stack.
    List<String> open = new ArrayList<>();
    byGroup.getOrDefault("", List.of()).forEach(info -> node(out, "  ", info));
    int cluster = 0;
    for (String path : groups) {
      while (!open.isEmpty() && !path.startsWith(open.get(open.size() - 1) + "/")) {
        open.remove(open.size() - 1);
        out.append("  ".repeat(open.size() + 1)).append("}\n");
      }
      String indent = "  ".repeat(open.size() + 1);
      out.append(indent).append("subgraph ").append(quote("cluster_" + cluster++)).append(" {\n");
      out.append(indent).append("  label=").append(quote(path)).append(";\n");
      open.add(path);
      byGroup.getOrDefault(path, List.of()).forEach(info -> node(out, indent + "  ", info));
    }
    while (!open.isEmpty()) {
      open.remove(open.size() - 1);
      out.append("  ".repeat(open.size() + 1)).append("}\n");
    }
    TreeSet<String> missing = new TreeSet<>();
    services.forEach(info -> missing.addAll(info.missingDependencies()));
    for (String name : missing) {
      out.append("  ").append(quote(name)).append(" [style=\"rounded,dashed\", label=")
          .append(quote(name + "\n(missing)")).append("];\n");
    }
    for (ServiceInfo info : services) {
      for (String dependency : info.dependencies()) {
        boolean derived = !info.spec().dependsOn().contains(dependency);
        out.append("  ").append(quote(info.name())).append(" -> ").append(quote(dependency))
            .append(derived ? " [style=dashed, label=\"derived\"]" : "").append(";\n");
      }
    }
    out.append("}\n");
    return out.toString();
  }

  private static void node(StringBuilder out, String indent, ServiceInfo info) {
    out.append(indent).append(quote(info.name())).append(" [label=").append(quote(info.name() + "\n" + info.state()))
        .append(", fillcolor=").append(quote(color(info.state()))).append("];\n");
  }

  /** @return the fill colour of a state: green running, yellow on the way, orange backing off, red failed */
  static String color(State state) {
    switch (state) {
      case RUNNING: return "palegreen";
      case STARTING: case WAITING: return "lightyellow";
      case BACKOFF: return "orange";
      case FAILED: return "salmon";
      default: return "lightgrey";
    }
  }

  /** @return the text as a DOT string: in double quotes, with quote and backslash escaped, line breaks as \n */
  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "\\n") + "\"";
  }
}
