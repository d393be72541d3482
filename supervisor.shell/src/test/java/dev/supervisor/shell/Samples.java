package dev.supervisor.shell;

import static dev.supervisor.shell.Fakes.group;
import static dev.supervisor.shell.Fakes.service;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.GroupSpec;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.Strategy;
import java.time.Duration;
import java.util.List;

/** The example tree of the README as snapshots (print() shows every view, for a look by eye). */
final class Samples {
  private Samples() {}

  static List<ServiceInfo> services() {
    return List.of(
        service(1, "http", State.RUNNING, ""),
        service(2, "kafka.client", State.RUNNING, "ingest/kafka").withDependents("kafka.consumer", "parser"),
        service(3, "kafka.consumer", State.BACKOFF, "ingest/kafka", "kafka.client")
            .withFailure(Fakes.failure("broker went away\nreconnecting"), 3),
        service(4, "parser", State.WAITING, "ingest", "kafka.client", "schema.registry").withMissing("schema.registry"));
  }

  static List<GroupInfo> groups() {
    return List.of(
        group(GroupSpec.builder("").build(), List.of("http"), List.of("ingest")),
        group(GroupSpec.builder("ingest").strategy(Strategy.ONE_FOR_ALL).maxRestarts(3)
            .restartWindow(Duration.ofMinutes(1)).build(), List.of("parser"), List.of("ingest/kafka")),
        group(GroupSpec.builder("ingest/kafka").strategy(Strategy.REST_FOR_ONE).maxRestarts(5)
            .restartWindow(Duration.ofSeconds(10)).build(), List.of("kafka.client", "kafka.consumer"), List.of()));
  }

  static void print(String[] args) {
    System.out.println(ServiceTable.format(services(), 4, Fakes.NOW));
    System.out.println(ServiceDetails.format(services().get(2), true));
    System.out.println(SupervisionTree.format(groups(), services()));
    System.out.println(DependencyDot.format(services()));
  }
}
