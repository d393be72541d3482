package dev.supervisor.webconsole;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A layered (Sugiyama-style) layout of a dependency graph, computed here so that the page needs no graph
 * library: dependencies on the left, dependents to the right.
 *
 * <ol>
 *   <li>Layers by longest path: a node with no dependency is in layer 0, any other one layer right of its
 *       deepest dependency (Kahn's order, iterative: a 10,000-deep chain needs no stack).
 *   <li>An edge that spans several layers gets one dummy vertex per layer it crosses, so that it is routed
 *       through a free slot instead of across the nodes in between (capped: beyond {@link #MAX_DUMMIES}
 *       long edges are drawn straight).
 *   <li>Crossing reduction: barycenter sweeps, alternately left to right and right to left; the order with
 *       the fewest crossings (counted exactly with a Fenwick tree) is kept.
 *   <li>Coordinates: a column per layer, a row per slot, each column centred vertically.
 * </ol>
 *
 * <p>Cost: O(sweeps x (V + E) log V) with V counting the dummies. The caller keeps V small enough to read
 * (the page shows a neighbourhood beyond a limit); the layout itself does not degrade beyond linear-log.
 * A cycle (the supervisor rejects them, so only a defensive case) does not hang it: nodes left over by Kahn's
 * order are put one layer right of what was placed, and their back edges are drawn straight.
 */
final class GraphLayout {
  static final double NODE_WIDTH = 190;
  static final double NODE_HEIGHT = 26;
  static final double LAYER_GAP = 80;
  static final double ROW_PITCH = 36;
  static final double MARGIN = 10;
  static final int MAX_DUMMIES = 20_000;
  private static final int SWEEPS = 8;

  /** An edge from a dependent to one of its dependencies (indexes into the node list). */
  record Edge(int dependent, int dependency, boolean derived) {}

  /**
   * The layout.
   *
   * @param layer per node
   * @param x per node: left side
   * @param y per node: top side
   * @param edgePoints per edge, in input order: x0, y0, x1, y1, ... from the dependent to the dependency
   * @param width of the whole drawing
   * @param height of the whole drawing
   * @param crossings edge crossings between adjacent layers in the chosen order
   */
  record Result(int[] layer, double[] x, double[] y, List<double[]> edgePoints, double width, double height,
      long crossings) {}

  private GraphLayout() {}

  static Result layout(int nodes, List<Edge> edges) {
    int[] layer = layers(nodes, edges);
    int layerCount = 0;
    for (int l : layer) {
      layerCount = Math.max(layerCount, l + 1);
    }

    // Vertices: the nodes, then the dummies. chain[e] lists the vertices of edge e from the dependency
    // (lower layer) up to the dependent, or is null when the edge is not drawn through slots.
    List<Integer> vertexLayer = new ArrayList<>(nodes);
    for (int l : layer) {
      vertexLayer.add(l);
    }
    int[][] chain = new int[edges.size()][];
    int dummies = 0;
    for (int e = 0; e < edges.size(); e++) {
      Edge edge = edges.get(e);
      int from = layer[edge.dependency()];
      int to = layer[edge.dependent()];
      if (to <= from || dummies + (to - from - 1) > MAX_DUMMIES) {
        continue;
      }
      int[] c = new int[to - from + 1];
      c[0] = edge.dependency();
      for (int l = from + 1; l < to; l++) {
        c[l - from] = vertexLayer.size();
        vertexLayer.add(l);
        dummies++;
      }
      c[c.length - 1] = edge.dependent();
      chain[e] = c;
    }
    int vertices = vertexLayer.size();

    // Segments between adjacent layers, as adjacency lists both ways.
    int[] leftCount = new int[vertices];
    int[] rightCount = new int[vertices];
    for (int[] c : chain) {
      if (c != null) {
        for (int i = 0; i + 1 < c.length; i++) {
          rightCount[c[i]]++;
          leftCount[c[i + 1]]++;
        }
      }
    }
    int[][] left = new int[vertices][];
    int[][] right = new int[vertices][];
    for (int v = 0; v < vertices; v++) {
      left[v] = new int[leftCount[v]];
      right[v] = new int[rightCount[v]];
    }
    Arrays.fill(leftCount, 0);
    Arrays.fill(rightCount, 0);
    for (int[] c : chain) {
      if (c != null) {
        for (int i = 0; i + 1 < c.length; i++) {
          right[c[i]][rightCount[c[i]]++] = c[i + 1];
          left[c[i + 1]][leftCount[c[i + 1]]++] = c[i];
        }
      }
    }

    // Initial order: vertices in creation order (the caller sorts the nodes by name).
    List<List<Integer>> order = new ArrayList<>(layerCount);
    for (int l = 0; l < layerCount; l++) {
      order.add(new ArrayList<>());
    }
    for (int v = 0; v < vertices; v++) {
      order.get(vertexLayer.get(v)).add(v);
    }
    int[] pos = new int[vertices];
    positions(order, pos);
    long best = crossings(order, pos, right);
    int[][] bestOrder = snapshot(order);
    for (int sweep = 0; sweep < SWEEPS && best > 0; sweep++) {
      boolean rightwards = sweep % 2 == 0;
      if (rightwards) {
        for (int l = 1; l < layerCount; l++) {
          reorder(order.get(l), left, pos);
        }
      } else {
        for (int l = layerCount - 2; l >= 0; l--) {
          reorder(order.get(l), right, pos);
        }
      }
      long now = crossings(order, pos, right);
      if (now < best) {
        best = now;
        bestOrder = snapshot(order);
      }
    }
    for (int l = 0; l < layerCount; l++) {
      order.get(l).clear();
      for (int v : bestOrder[l]) {
        order.get(l).add(v);
      }
    }
    positions(order, pos);

    // Coordinates.
    int tallest = 0;
    for (List<Integer> vs : order) {
      tallest = Math.max(tallest, vs.size());
    }
    double[] vx = new double[vertices];
    double[] vy = new double[vertices];
    for (int l = 0; l < layerCount; l++) {
      List<Integer> vs = order.get(l);
      double offset = (tallest - vs.size()) / 2.0;
      for (int i = 0; i < vs.size(); i++) {
        int v = vs.get(i);
        vx[v] = MARGIN + l * (NODE_WIDTH + LAYER_GAP);
        vy[v] = MARGIN + (offset + i) * ROW_PITCH;
      }
    }
    List<double[]> points = new ArrayList<>(edges.size());
    for (int e = 0; e < edges.size(); e++) {
      Edge edge = edges.get(e);
      int[] c = chain[e];
      if (c == null) {
        points.add(new double[] {vx[edge.dependent()], vy[edge.dependent()] + NODE_HEIGHT / 2,
            vx[edge.dependency()] + NODE_WIDTH, vy[edge.dependency()] + NODE_HEIGHT / 2});
        continue;
      }
      // From the dependent's left side, through each dummy slot (its right then left end), to the
      // dependency's right side.
      double[] p = new double[4 + 4 * (c.length - 2)];
      int k = 0;
      p[k++] = vx[c[c.length - 1]];
      p[k++] = vy[c[c.length - 1]] + NODE_HEIGHT / 2;
      for (int i = c.length - 2; i >= 1; i--) {
        p[k++] = vx[c[i]] + NODE_WIDTH;
        p[k++] = vy[c[i]] + NODE_HEIGHT / 2;
        p[k++] = vx[c[i]];
        p[k++] = vy[c[i]] + NODE_HEIGHT / 2;
      }
      p[k++] = vx[c[0]] + NODE_WIDTH;
      p[k] = vy[c[0]] + NODE_HEIGHT / 2;
      points.add(p);
    }
    double width = 2 * MARGIN + Math.max(1, layerCount) * (NODE_WIDTH + LAYER_GAP) - LAYER_GAP;
    double height = 2 * MARGIN + Math.max(1, tallest) * ROW_PITCH;
    return new Result(layer, Arrays.copyOf(vx, nodes), Arrays.copyOf(vy, nodes), points, width, height, best);
  }

  /** Longest-path layers by Kahn's order; nodes on a cycle go one layer right of everything placed. */
  static int[] layers(int nodes, List<Edge> edges) {
    int[] waitingOn = new int[nodes];
    int[] dependentCount = new int[nodes];
    for (Edge e : edges) {
      if (e.dependent() != e.dependency()) {
        waitingOn[e.dependent()]++;
        dependentCount[e.dependency()]++;
      }
    }
    int[][] dependents = new int[nodes][];
    for (int v = 0; v < nodes; v++) {
      dependents[v] = new int[dependentCount[v]];
    }
    Arrays.fill(dependentCount, 0);
    for (Edge e : edges) {
      if (e.dependent() != e.dependency()) {
        dependents[e.dependency()][dependentCount[e.dependency()]++] = e.dependent();
      }
    }
    int[] layer = new int[nodes];
    boolean[] placed = new boolean[nodes];
    ArrayDeque<Integer> ready = new ArrayDeque<>();
    for (int v = 0; v < nodes; v++) {
      if (waitingOn[v] == 0) {
        ready.add(v);
      }
    }
    int deepest = -1;
    while (!ready.isEmpty()) {
      int v = ready.poll();
      placed[v] = true;
      deepest = Math.max(deepest, layer[v]);
      for (int d : dependents[v]) {
        layer[d] = Math.max(layer[d], layer[v] + 1);
        if (--waitingOn[d] == 0) {
          ready.add(d);
        }
      }
    }
    for (int v = 0; v < nodes; v++) {
      if (!placed[v]) {
        layer[v] = deepest + 1;
      }
    }
    return layer;
  }

  private static void reorder(List<Integer> vs, int[][] neighbours, int[] pos) {
    int n = vs.size();
    double[] key = new double[n];
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      int v = vs.get(i);
      idx[i] = i;
      int[] nb = neighbours[v];
      if (nb.length == 0) {
        key[i] = i; // no neighbour on that side: keep its place
      } else {
        double sum = 0;
        for (int u : nb) {
          sum += pos[u];
        }
        key[i] = sum / nb.length;
      }
    }
    Arrays.sort(idx, Comparator.comparingDouble(i -> key[i]));
    List<Integer> sorted = new ArrayList<>(n);
    for (Integer i : idx) {
      sorted.add(vs.get(i));
    }
    for (int i = 0; i < n; i++) {
      vs.set(i, sorted.get(i));
      pos[sorted.get(i)] = i;
    }
  }

  private static void positions(List<List<Integer>> order, int[] pos) {
    for (List<Integer> vs : order) {
      for (int i = 0; i < vs.size(); i++) {
        pos[vs.get(i)] = i;
      }
    }
  }

  private static int[][] snapshot(List<List<Integer>> order) {
    int[][] copy = new int[order.size()][];
    for (int l = 0; l < order.size(); l++) {
      copy[l] = order.get(l).stream().mapToInt(Integer::intValue).toArray();
    }
    return copy;
  }

  /** Crossings between every pair of adjacent layers: inversions of the segments' right ends, sorted by left end. */
  static long crossings(List<List<Integer>> order, int[] pos, int[][] right) {
    long total = 0;
    for (int l = 0; l + 1 < order.size(); l++) {
      List<Integer> vs = order.get(l);
      int rightSize = order.get(l + 1).size();
      long[] tree = new long[rightSize + 1];
      long seen = 0;
      for (int v : vs) { // in left order
        int[] ends = right[v].clone();
        for (int i = 0; i < ends.length; i++) {
          ends[i] = pos[ends[i]];
        }
        Arrays.sort(ends);
        // Segments from the same left vertex do not cross each other; count against earlier vertices first.
        for (int end : ends) {
          total += seen - prefix(tree, end + 1);
        }
        for (int end : ends) {
          add(tree, end + 1);
          seen++;
        }
      }
    }
    return total;
  }

  private static long prefix(long[] tree, int i) {
    long s = 0;
    for (; i > 0; i -= i & -i) {
      s += tree[i];
    }
    return s;
  }

  private static void add(long[] tree, int i) {
    for (; i < tree.length; i += i & -i) {
      tree[i]++;
    }
  }
}
