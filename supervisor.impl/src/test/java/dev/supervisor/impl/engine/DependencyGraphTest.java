package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyGraphTest {

  @Test
  void findsACycleClosedFromEitherEnd() {
    DependencyGraph graph = new DependencyGraph();
    graph.link("a", List.of("b"));
    graph.link("b", List.of("c"));
    // c -> a closes a -> b -> c -> a; found by the downward search (c's dependency a leads back to c).
    assertEquals(List.of("c", "a", "b", "c"), graph.findCycle("c", List.of("a")));
  }

  @Test
  void findsACycleThroughDependentsWhenTheDownwardSideIsLarger() {
    DependencyGraph graph = new DependencyGraph();
    // x depends on a long chain; y depends on x. Adding "n0" depending on y closes n0 <- ... <- x <- y <- n0.
    graph.link("x", List.of("n99"));
    for (int i = 99; i > 0; i--) {
      graph.link("n" + i, List.of("n" + (i - 1)));
    }
    graph.link("y", List.of("x"));
    List<String> cycle = graph.findCycle("n0", List.of("y"));
    assertEquals("n0", cycle.get(0));
    assertEquals("y", cycle.get(1));
    assertEquals("x", cycle.get(2));
    assertEquals("n0", cycle.get(cycle.size() - 1));
    assertEquals(103, cycle.size(), "n0, y, x, n99 down to n1, n0");
  }

  @Test
  void noCycleThroughUnregisteredNamesOrUnlinkedServices() {
    DependencyGraph graph = new DependencyGraph();
    graph.link("a", List.of("missing"));
    graph.link("b", List.of("a"));
    assertNull(graph.findCycle("c", List.of("b", "missing")));
    graph.unlink("b");
    assertEquals(Set.of(), graph.dependentsOf("a"));
    assertNull(graph.findCycle("a2", List.of()));
  }

  @Test
  void dependentsAreKeptByName() {
    DependencyGraph graph = new DependencyGraph();
    graph.link("api", List.of("db"));
    graph.link("web", List.of("db", "api"));
    assertEquals(Set.of("api", "web"), graph.dependentsOf("db"));
    graph.unlink("web");
    assertEquals(Set.of("api"), graph.dependentsOf("db"));
  }
}
