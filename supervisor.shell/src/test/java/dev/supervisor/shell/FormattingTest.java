package dev.supervisor.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FormattingTest {

  @Test
  void listIsATableWithASummary() {
    assertEquals(""
        + "NAME            GROUP         STATE    SINCE       RESTARTS  LAST ERROR\n"
        + "http            (root)        RUNNING  1m 30s ago  0         -\n"
        + "kafka.client    ingest/kafka  RUNNING  1m 30s ago  0         -\n"
        + "kafka.consumer  ingest/kafka  BACKOFF  1m 30s ago  3         EXCEPTION IOException: broker went away reconnecting\n"
        + "parser          ingest        WAITING  1m 30s ago  0         -\n"
        + "4 services: 1 WAITING, 2 RUNNING, 1 BACKOFF\n",
        ServiceTable.format(Samples.services(), 4, Fakes.NOW));
  }

  @Test
  void emptyListSaysSo() {
    assertEquals("NAME  GROUP  STATE  SINCE  RESTARTS  LAST ERROR\n0 services\n",
        ServiceTable.format(List.of(), 0, Fakes.NOW));
  }

  @Test
  void filtersByStateAndGroupSubtree() {
    List<ServiceInfo> all = Samples.services();
    assertEquals(List.of("http", "kafka.client"), names(ServiceTable.filter(all, EnumSet.of(State.RUNNING), "")));
    assertEquals(List.of("kafka.client", "kafka.consumer", "parser"), names(ServiceTable.filter(all, Set.of(), "ingest")));
    assertEquals(List.of("kafka.consumer"),
        names(ServiceTable.filter(all, EnumSet.of(State.BACKOFF, State.FAILED), "ingest/kafka")));
    assertEquals(List.of(), names(ServiceTable.filter(all, Set.of(), "ingest/kaf")), "a path prefix is not a group");
    assertEquals(4, ServiceTable.filter(all, Set.of(), "/").size(), "/ is the root: everything");
    String table = ServiceTable.format(ServiceTable.filter(all, EnumSet.of(State.RUNNING), ""), all.size(), Fakes.NOW);
    assertTrue(table.endsWith("\n2 of 4 services: 2 RUNNING\n"), table);
  }

  @Test
  void statesAreReadInAnyCaseAndABadOneIsNamed() {
    assertEquals(EnumSet.of(State.RUNNING, State.BACKOFF), ServiceTable.states("running, Backoff"));
    assertEquals(EnumSet.noneOf(State.class), ServiceTable.states(""));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServiceTable.states("RUNING"));
    assertEquals("unknown state 'RUNING'; the states are IDLE, WAITING, STARTING, RUNNING, STOPPING, STOPPED, "
        + "BACKOFF, FAILED", e.getMessage());
  }

  @Test
  void longErrorsAreCutToOneLine() {
    ServiceInfo info = Fakes.service(9, "x", State.FAILED, "").withFailure(Fakes.failure("y".repeat(200)), 1);
    String line = ServiceTable.format(List.of(info), 1, Fakes.NOW).lines().skip(1).findFirst().orElseThrow();
    assertTrue(line.endsWith("EXCEPTION IOException: " + "y".repeat(ServiceTable.ERROR_WIDTH - 26) + "..."), line);
  }

  @Test
  void infoShowsEveryMetricAndTheSpec() {
    String page = ServiceDetails.format(Samples.services().get(2), true);
    List<String> lines = page.lines().collect(Collectors.toList());
    assertEquals("kafka.consumer", lines.get(0));
    assertEquals("  state                 BACKOFF since 2026-01-02T09:58:30Z (1m 30s ago)", lines.get(1));
    for (String label : List.of("id", "group", "owner", "created", "starts", "failures", "successes", "restarts",
        "consecutive failures", "restarts in window", "bundle refreshes", "last failure", "last failure at",
        "last start", "last stop",
        "current uptime", "total uptime", "average uptime", "time to ready", "current delay", "next restart at",
        "dependencies", "dependents", "missing dependencies", "overdue dependencies")) {
      assertTrue(lines.stream().anyMatch(l -> l.matches("  " + label + " +\\S.*")), label + " in\n" + page);
    }
    assertTrue(page.contains("\n  last failure          EXCEPTION IOException: broker went away reconnecting\n"), page);
    assertTrue(page.contains("\n  restarts              3\n"), page);
    assertTrue(page.contains("\n  bundle refreshes      0 (supervisor.escalate NONE)\n"), page);
    assertTrue(page.contains("\n  time to ready         0.012s\n"), page);
    assertTrue(page.contains("\n  spec\n    supervisor.name                    kafka.consumer\n"
        + "    supervisor.dependsOn               kafka.client\n"), page);
    assertTrue(page.contains("\n    supervisor.restartDelay            PT0.1S\n"), page);
    assertTrue(page.contains("\n    supervisor.group                   ingest/kafka\n"), page);
    assertTrue(page.contains("\n    supervisor.missingDependencyGrace  PT30S\n"), page);
    assertTrue(page.contains("\n  last failure's stack trace\n    java.io.IOException: broker went away\n"), page);
    assertEquals(18, ServiceDetails.properties(Samples.services().get(0).spec()).size(), "every supervisor.* key");
    assertTrue(ServiceDetails.format(Samples.services().get(0), false).contains("    supervisor.group                   \"\"\n"));
    assertTrue(!ServiceDetails.format(Samples.services().get(2), false).contains("stack trace"));
  }

  @Test
  void treeShowsGroupsServicesAndDependencies() {
    assertEquals(""
        + "(root) [RUNNING] ONE_FOR_ONE\n"
        + "|-- http [RUNNING]\n"
        + "`-- ingest/ [RUNNING] ONE_FOR_ALL, maxRestarts 3 in PT1M\n"
        + "    |-- parser [WAITING] -> kafka.client, schema.registry (missing)\n"
        + "    `-- ingest/kafka/ [RUNNING] REST_FOR_ONE, maxRestarts 5 in PT10S\n"
        + "        |-- kafka.client [RUNNING]\n"
        + "        `-- kafka.consumer [BACKOFF] -> kafka.client  ! EXCEPTION IOException: broker went away reconnecting\n",
        SupervisionTree.format(Samples.groups(), Samples.services()));
  }

  @Test
  void treeShowsGroupsMissingFromTheSnapshot() {
    assertEquals("(root)\n`-- a/\n    `-- a/b/\n        `-- s [RUNNING]\n",
        SupervisionTree.format(List.of(), List.of(Fakes.service(1, "s", State.RUNNING, "a/b"))));
  }

  @Test
  void deepGroupsDoNotOverflowTheStack() {
    String path = "g" + "/g".repeat(4999);
    String tree = SupervisionTree.format(List.of(), List.of(Fakes.service(1, "s", State.RUNNING, path)));
    assertEquals(5002, tree.lines().count());
  }

  @Test
  void graphIsDotWithClustersPerGroup() {
    assertEquals(""
        + "digraph supervisor {\n"
        + "  // an edge a -> b: a depends on b (b starts first, a stops first)\n"
        + "  rankdir=RL;\n"
        + "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n"
        + "  \"http\" [label=\"http\\nRUNNING\", fillcolor=\"palegreen\"];\n"
        + "  subgraph \"cluster_0\" {\n"
        + "    label=\"ingest\";\n"
        + "    \"parser\" [label=\"parser\\nWAITING\", fillcolor=\"lightyellow\"];\n"
        + "    subgraph \"cluster_1\" {\n"
        + "      label=\"ingest/kafka\";\n"
        + "      \"kafka.client\" [label=\"kafka.client\\nRUNNING\", fillcolor=\"palegreen\"];\n"
        + "      \"kafka.consumer\" [label=\"kafka.consumer\\nBACKOFF\", fillcolor=\"orange\"];\n"
        + "    }\n"
        + "  }\n"
        + "  \"schema.registry\" [style=\"rounded,dashed\", label=\"schema.registry\\n(missing)\"];\n"
        + "  \"kafka.consumer\" -> \"kafka.client\";\n"
        + "  \"parser\" -> \"kafka.client\";\n"
        + "  \"parser\" -> \"schema.registry\";\n"
        + "}\n",
        DependencyDot.format(Samples.services()));
  }

  @Test
  void graphClosesSiblingClusters() {
    String dot = DependencyDot.format(List.of(Fakes.service(1, "x", State.STOPPED, "a/b"),
        Fakes.service(2, "y", State.FAILED, "c")));
    assertEquals(dot.chars().filter(c -> c == '{').count(), dot.chars().filter(c -> c == '}').count(), dot);
    assertTrue(dot.contains("  }\n  subgraph \"cluster_2\" {\n    label=\"c\";\n"), dot);
  }

  @Test
  void derivedDependenciesAreMarkedApartFromDeclaredOnes() {
    ServiceSpec spec = ServiceSpec.builder("reporter").dependsOn("config").derivedDependsOn(List.of("store")).build();
    Fakes.Info base = Fakes.service(1, "reporter", State.RUNNING, "");
    Fakes.Info reporter = new Fakes.Info(base.id(), base.name(), base.state(), base.stateSince(), base.takenAt(), spec,
        base.group(), base.owner(), base.createdAt(), 1, 0, 0, 0, 0, 0, Optional.empty(), base.lastStartTime(),
        Optional.empty(), base.currentUptime(), base.totalUptime(), base.averageUptime(), base.timeToReady(),
        Duration.ZERO, Optional.empty(), spec.allDependencies(), List.of(), List.of());

    assertTrue(ServiceDetails.format(reporter, false).contains("config, store (derived)"),
        ServiceDetails.format(reporter, false));
    assertTrue(SupervisionTree.serviceLine(reporter).endsWith("-> config, store (derived)"),
        SupervisionTree.serviceLine(reporter));
    String dot = DependencyDot.format(List.of(reporter));
    assertTrue(dot.contains("\"reporter\" -> \"config\";"), dot);
    assertTrue(dot.contains("\"reporter\" -> \"store\" [style=dashed, label=\"derived\"];"), dot);
  }

  @Test
  void dotQuotesNames() {
    assertEquals("\"a \\\"b\\\" \\\\ c\"", DependencyDot.quote("a \"b\" \\ c"));
  }

  @Test
  void durationsInWords() {
    assertEquals("0s", Durations.compact(Duration.ZERO));
    assertEquals("0s", Durations.compact(Duration.ofMillis(-5)));
    assertEquals("4.2s", Durations.compact(Duration.ofMillis(4_250)));
    assertEquals("59s", Durations.compact(Duration.ofSeconds(59)));
    assertEquals("2m 03s", Durations.compact(Duration.ofSeconds(123)));
    assertEquals("1h 02m", Durations.compact(Duration.ofSeconds(3_723)));
    assertEquals("3d 04h", Durations.compact(Duration.ofHours(76).plusMinutes(5)));
    assertEquals("0.012s", Durations.precise(Duration.ofMillis(12)));
    assertEquals("2m 03.250s", Durations.precise(Duration.ofMillis(123_250)));
    assertEquals("1h 02m 03s", Durations.precise(Duration.ofSeconds(3_723)));
  }

  @Test
  void unknownNamesGetSuggestions() {
    List<ServiceInfo> services = Samples.services();
    assertEquals("no service named 'kafka'; did you mean kafka.client, kafka.consumer?",
        SupervisorCommands.unknown("kafka", services));
    assertEquals("no service named 'nope'; the services are http, kafka.client, kafka.consumer, parser",
        SupervisorCommands.unknown("nope", services));
    assertEquals("no service named 'nope'; no service is supervised", SupervisorCommands.unknown("nope", List.of()));
  }

  private static List<String> names(List<ServiceInfo> services) {
    return services.stream().map(ServiceInfo::name).collect(Collectors.toList());
  }
}
