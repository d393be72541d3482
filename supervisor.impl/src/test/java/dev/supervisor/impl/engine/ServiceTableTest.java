package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table's queries: registered neighbours only, missing ones named, nothing allocated for none. */
class ServiceTableTest {
  private final ServiceTable table = new ServiceTable();
  private long ids;

  private ServiceEntry add(String name, String... dependsOn) {
    return add(name, false, dependsOn);
  }

  private ServiceEntry add(String name, boolean rejected, String... dependsOn) {
    ServiceEntry entry = new ServiceEntry(++ids, ServiceSpec.builder(name).dependsOn(dependsOn).build(), null,
        "test", Escalator.NONE, Instant.EPOCH, rejected);
    table.add(entry);
    return entry;
  }

  @Test
  void neighboursAreTheRegisteredOnesAndMissingOnesAreNamed() {
    ServiceEntry db = add("db");
    ServiceEntry api = add("api", "db", "cache");
    ServiceEntry web = add("web", "api");
    assertEquals(List.of(api), table.dependentsOf(db));
    assertEquals(List.of(db), table.dependenciesOf(api), "cache is not registered");
    assertEquals(List.of("cache"), table.missingDependencies(api));
    assertEquals(List.of("web"), table.dependentNames(api));
    assertTrue(table.hasDependents(api));
    assertFalse(table.hasDependents(web));
    assertSame(List.of(), table.dependentsOf(web), "no dependents: the shared empty list");

    ServiceEntry cache = add("cache", true);
    assertEquals(List.of("cache"), table.missingDependencies(api), "a rejected registration does not count");
    table.remove(cache);
    table.remove(db);
    assertNull(table.byName("db"));
    assertNull(table.byId(db.id));
    assertEquals(List.of(), table.dependenciesOf(api));
    assertEquals(List.of("db", "cache"), table.missingDependencies(api));
  }

  @Test
  void anAbandonedRunIsKeptByNameUntilItReturns() {
    ServiceEntry stubborn = add("stubborn");
    Run run = new Run(stubborn, 1, message -> { });
    stubborn.abandoned = run;
    table.remove(stubborn);
    assertTrue(table.hasAbandonedRun("stubborn"));
    ServiceEntry again = add("stubborn");
    assertTrue(table.isCurrent(again));
    assertFalse(table.isCurrent(stubborn));
    table.abandonedRunReturned("stubborn", run);
    assertFalse(table.hasAbandonedRun("stubborn"));
  }

  @Test
  void relinkingFollowsTheNewDependencies() {
    ServiceEntry a = add("a");
    ServiceEntry b = add("b");
    ServiceEntry c = add("c", "a");
    table.relink(c, List.of("b"));
    assertEquals(List.of(), table.dependentsOf(a));
    assertEquals(List.of(c), table.dependentsOf(b));
    assertEquals(List.of("b", "c", "b"), table.findCycle("b", List.of("c")), "b on c would close a cycle now");
    assertNull(table.findCycle("a", List.of("c")), "a is free of c");
  }
}
