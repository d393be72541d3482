package dev.supervisor.webconsole;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.webconsole.GraphLayout.Edge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GraphLayoutTest {

  @Test
  void layersAreLongestPathsFromTheDependencies() {
    // 0 <- 1 <- 2, and 3 depends on 0 and 2: layer 3 (longest path), not 1
    List<Edge> edges = List.of(new Edge(1, 0, false), new Edge(2, 1, false), new Edge(3, 0, false), new Edge(3, 2, true));
    assertArrayEquals(new int[] {0, 1, 2, 3}, GraphLayout.layers(4, edges));
  }

  @Test
  void aLongEdgeIsRoutedThroughOneSlotPerLayerItCrosses() {
    List<Edge> edges = List.of(new Edge(1, 0, false), new Edge(2, 1, false), new Edge(3, 2, false), new Edge(3, 0, false));
    GraphLayout.Result r = GraphLayout.layout(4, edges);
    // 3 -> 0 spans layers 3..0: two dummies, so 2 + 2 * 2 points of 2 coordinates
    assertEquals(12, r.edgePoints().get(3).length);
    // it starts at the dependent's left side and ends at the dependency's right side
    assertEquals(r.x()[3], r.edgePoints().get(3)[0]);
    assertEquals(r.x()[0] + GraphLayout.NODE_WIDTH, r.edgePoints().get(3)[10]);
    // no dummy shares a slot with a node: in layers 1 and 2 the dummy is below or above the node
    assertTrue(r.edgePoints().get(3)[3] != r.y()[2] + GraphLayout.NODE_HEIGHT / 2);
  }

  @Test
  void barycenterSweepsRemoveCrossingsThatTheNameOrderMakes() {
    // layer 0: a0 a1 a2; layer 1: b0 -> a2, b1 -> a1, b2 -> a0: in name order every pair crosses (3 crossings)
    List<Edge> edges = List.of(new Edge(3, 2, false), new Edge(4, 1, false), new Edge(5, 0, false));
    GraphLayout.Result r = GraphLayout.layout(6, edges);
    assertEquals(0, r.crossings());
    assertTrue(r.y()[5] < r.y()[4] && r.y()[4] < r.y()[3], "b2 moved next to a0, b0 next to a2");
  }

  @Test
  void crossingsAreCountedExactly() {
    // two layers, segments (0->1), (1->0): one crossing; plus a shared end point that does not count
    List<List<Integer>> order = List.of(new ArrayList<>(List.of(0, 1)), new ArrayList<>(List.of(2, 3)));
    int[] pos = {0, 1, 0, 1};
    int[][] right = {{3}, {2, 3}, {}, {}};
    assertEquals(1, GraphLayout.crossings(order, pos, right));
  }

  @Test
  void aTenThousandDeepChainIsLaidOutWithoutRecursionAndQuickly() {
    int n = 10_000;
    List<Edge> edges = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      edges.add(new Edge(i, i - 1, false));
    }
    GraphLayout.Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> GraphLayout.layout(n, edges));
    assertEquals(n - 1, r.layer()[n - 1]);
  }

  @Test
  void aRandomDagOfTenThousandNodesFinishes() {
    Random random = new Random(17);
    int n = 10_000;
    List<Edge> edges = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      for (int k = 0; k < 2; k++) {
        edges.add(new Edge(i, Math.max(0, i - 1 - random.nextInt(50)), random.nextBoolean()));
      }
    }
    GraphLayout.Result r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> GraphLayout.layout(n, edges));
    assertEquals(n, r.x().length);
  }

  @Test
  void aCycleDoesNotHang() {
    List<Edge> edges = List.of(new Edge(0, 1, false), new Edge(1, 0, false), new Edge(2, 0, false));
    GraphLayout.Result r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> GraphLayout.layout(3, edges));
    assertEquals(3, r.edgePoints().size());
  }
}
