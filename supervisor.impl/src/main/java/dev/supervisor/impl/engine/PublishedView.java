package dev.supervisor.impl.engine;

import dev.supervisor.api.FailureKind;
import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.ServiceInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What callers read without waiting for the control thread: the snapshots the {@link Publisher} keeps up
 * to date after each message, seen at the moment of reading (uptimes and windows move on).
 */
final class PublishedView {
  final ConcurrentHashMap<String, Snapshot> services = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, GroupSnapshot> groups = new ConcurrentHashMap<>();
  private final Scheduler clock;

  PublishedView(Scheduler clock) {
    this.clock = clock;
  }

  Optional<ServiceInfo> service(String name) {
    Snapshot snapshot = name == null ? null : services.get(name);
    return snapshot == null ? Optional.empty() : Optional.of(snapshot.at(clock.now(), clock.nanoTime()));
  }

  List<ServiceInfo> services() {
    Instant now = clock.now();
    long nowNanos = clock.nanoTime();
    List<ServiceInfo> all = new ArrayList<>();
    for (Snapshot snapshot : services.values()) {
      all.add(snapshot.at(now, nowNanos));
    }
    all.sort(Comparator.comparing(ServiceInfo::name));
    return all;
  }

  Optional<GroupInfo> group(String path) {
    GroupSnapshot snapshot = path == null ? null : groups.get(path);
    if (snapshot == null) {
      return Optional.empty();
    }
    return Optional.of(snapshot.at(clock.now(), clock.nanoTime(), membersByGroup().getOrDefault(path, List.of())));
  }

  List<GroupInfo> groups() {
    Instant now = clock.now();
    long nowNanos = clock.nanoTime();
    Map<String, List<String>> members = membersByGroup();
    List<GroupInfo> all = new ArrayList<>();
    for (GroupSnapshot snapshot : groups.values()) {
      all.add(snapshot.at(now, nowNanos, members.getOrDefault(snapshot.path(), List.of())));
    }
    all.sort(Comparator.comparing(GroupInfo::path));
    return all;
  }

  /** Group members come from the service snapshots when asked, so a join never republishes the group. */
  private Map<String, List<String>> membersByGroup() {
    Map<String, List<String>> members = new HashMap<>();
    // Rejected registrations belong to no group: they never run.
    services.values().stream()
        .filter(snapshot -> snapshot.lastFailure().map(failure -> failure.kind() != FailureKind.REJECTED).orElse(true))
        .sorted(Comparator.comparingLong(Snapshot::id))
        .forEach(snapshot -> members.computeIfAbsent(snapshot.group(), g -> new ArrayList<>()).add(snapshot.name()));
    return members;
  }
}
