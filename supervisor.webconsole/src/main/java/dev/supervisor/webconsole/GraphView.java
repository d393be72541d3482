package dev.supervisor.webconsole;

import dev.supervisor.api.ServiceInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The dependency graph as the page draws it: every service (or, beyond a limit, the neighbourhood of a
 * chosen one), declared edges and derived edges apart, and missing dependencies as ghost nodes; laid out by
 * {@link GraphLayout}. Built from one {@code services()} snapshot per request: nothing is kept.
 */
final class GraphView {
  /** Past this many nodes the whole graph is not drawn: the page asks for a service to centre on. */
  static final int DEFAULT_LIMIT = 300;

  private GraphView() {}

  /**
   * @param services the supervisor's snapshot
   * @param focus a service to centre on, or null for the whole graph
   * @param depth how many edges away from the focus to include (either direction)
   * @param limit the most nodes to lay out
   * @return the graph as JSON, or null if the focus is not a service
   */
  static String json(List<ServiceInfo> services, String focus, int depth, int limit) {
    Map<String, ServiceInfo> byName = new HashMap<>(services.size() * 2);
    for (ServiceInfo info : services) {
      byName.put(info.name(), info);
    }
    if (focus != null && !byName.containsKey(focus)) {
      return null;
    }
    // Undirected neighbourhood (dependencies and dependents), breadth first, capped at the limit.
    Map<String, List<String>> dependents = new HashMap<>();
    for (ServiceInfo info : services) {
      for (String dep : info.spec().allDependencies()) {
        dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(info.name());
      }
    }
    Set<String> chosen;
    boolean truncated = false;
    if (focus == null) {
      if (services.size() > limit) {
        return truncatedJson(services, limit);
      }
      chosen = new TreeSet<>(byName.keySet());
    } else {
      chosen = new LinkedHashSet<>();
      chosen.add(focus);
      ArrayDeque<String> frontier = new ArrayDeque<>(List.of(focus));
      for (int d = 0; d < depth && !frontier.isEmpty() && !truncated; d++) {
        ArrayDeque<String> next = new ArrayDeque<>();
        for (String name : frontier) {
          ServiceInfo info = byName.get(name);
          List<String> around = new ArrayList<>();
          if (info != null) {
            around.addAll(info.spec().allDependencies());
          }
          around.addAll(dependents.getOrDefault(name, List.of()));
          for (String n : around) {
            if (byName.containsKey(n) && !chosen.contains(n)) {
              if (chosen.size() >= limit) {
                truncated = true;
                break;
              }
              chosen.add(n);
              next.add(n);
            }
          }
          if (truncated) {
            break;
          }
        }
        frontier = next;
      }
      chosen = new TreeSet<>(chosen);
    }

    // Nodes: the chosen services by name, then ghosts for their missing dependencies.
    List<String> names = new ArrayList<>(chosen);
    Set<String> ghosts = new TreeSet<>();
    for (String name : chosen) {
      for (String dep : byName.get(name).spec().allDependencies()) {
        if (!byName.containsKey(dep)) {
          ghosts.add(dep);
        }
      }
    }
    names.addAll(ghosts);
    Map<String, Integer> index = new HashMap<>(names.size() * 2);
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    List<GraphLayout.Edge> edges = new ArrayList<>();
    for (String name : chosen) {
      ServiceInfo info = byName.get(name);
      Set<String> declared = new HashSet<>(info.spec().dependsOn());
      for (String dep : info.spec().allDependencies()) {
        Integer to = index.get(dep);
        if (to != null) {
          edges.add(new GraphLayout.Edge(index.get(name), to, !declared.contains(dep)));
        }
      }
    }
    GraphLayout.Result layout = GraphLayout.layout(names.size(), edges);

    Json json = new Json().beginObject()
        .member("total", services.size())
        .member("shown", chosen.size())
        .member("truncated", truncated)
        .member("focus", focus)
        .member("depth", depth)
        .member("width", layout.width())
        .member("height", layout.height())
        .member("nodeWidth", GraphLayout.NODE_WIDTH)
        .member("nodeHeight", GraphLayout.NODE_HEIGHT)
        .member("crossings", layout.crossings());
    json.name("nodes").beginArray();
    for (int i = 0; i < names.size(); i++) {
      ServiceInfo info = byName.get(names.get(i));
      json.beginObject()
          .member("name", names.get(i))
          .member("state", info == null ? "MISSING" : info.state().name())
          .member("ghost", info == null)
          .member("layer", layout.layer()[i])
          .member("x", layout.x()[i])
          .member("y", layout.y()[i])
          .endObject();
    }
    json.endArray().name("edges").beginArray();
    for (int e = 0; e < edges.size(); e++) {
      GraphLayout.Edge edge = edges.get(e);
      json.beginObject()
          .member("from", names.get(edge.dependent()))
          .member("to", names.get(edge.dependency()))
          .member("kind", edge.derived() ? "derived" : "declared")
          .member("missing", !byName.containsKey(names.get(edge.dependency())));
      json.name("points").beginArray();
      for (double p : layout.edgePoints().get(e)) {
        json.value(p);
      }
      json.endArray().endObject();
    }
    return json.endArray().endObject().toString();
  }

  /** Too many services to draw: say so, and suggest where to look (services not RUNNING first). */
  private static String truncatedJson(List<ServiceInfo> services, int limit) {
    Json json = new Json().beginObject()
        .member("total", services.size())
        .member("shown", 0)
        .member("truncated", true)
        .member("limit", limit);
    json.name("suggestions").beginArray();
    int n = 0;
    for (ServiceInfo info : services) {
      if (n < 20 && info.state() != dev.supervisor.api.State.RUNNING) {
        json.value(info.name());
        n++;
      }
    }
    for (ServiceInfo info : services) {
      if (n >= 20) {
        break;
      }
      if (info.state() == dev.supervisor.api.State.RUNNING) {
        json.value(info.name());
        n++;
      }
    }
    return json.endArray().name("nodes").beginArray().endArray().name("edges").beginArray().endArray()
        .endObject().toString();
  }
}
