package dev.supervisor.shell;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code supervisor:list} table: one line per service with its name, group, state, how long it has been
 * in that state, its restarts and its last error. Pure functions of the snapshots.
 */
final class ServiceTable {
  static final List<String> HEADERS = List.of("NAME", "GROUP", "STATE", "SINCE", "RESTARTS", "LAST ERROR");
  /** The last error is cut to this many characters: {@code info} shows it whole. */
  static final int ERROR_WIDTH = 72;

  private ServiceTable() {}

  /**
   * @param services snapshots, in the order to show
   * @param total how many services exist (more than shown when a filter applies)
   * @param now the time the ages are counted to
   * @return the table, a header line first, and a summary line ("3 services: 2 RUNNING, 1 STOPPED")
   */
  static String format(List<ServiceInfo> services, int total, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (ServiceInfo info : services) {
      rows.add(List.of(
          info.name(),
          Names.group(info.group()),
          info.state().name(),
          Durations.compact(Duration.between(info.stateSince(), now)) + " ago",
          String.valueOf(info.restartCount()),
          info.lastFailure().map(f -> Names.cut(Names.failure(f), ERROR_WIDTH)).orElse(Names.NONE)));
    }
    return align(rows) + summary(services, total) + "\n";
  }

  /**
   * @param services every snapshot
   * @param states the states to keep; empty keeps all
   * @param group a group path: keeps the services of that group and its child groups; "" keeps all
   * @return the services that pass both filters, in their order
   */
  static List<ServiceInfo> filter(List<ServiceInfo> services, Set<State> states, String group) {
    return services.stream()
        .filter(info -> states.isEmpty() || states.contains(info.state()))
        .filter(info -> Names.inSubtree(info.group(), group))
        .collect(Collectors.toList());
  }

  /**
   * @param text state names separated by commas or spaces, in any letter case; "" for none
   * @return the states
   * @throws IllegalArgumentException naming the bad state and the valid ones
   */
  static Set<State> states(String text) {
    Set<State> states = EnumSet.noneOf(State.class);
    for (String part : text.split("[,\\s]+")) {
      if (part.isEmpty()) {
        continue;
      }
      try {
        states.add(State.valueOf(part.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown state '" + part + "'; the states are "
            + Arrays.stream(State.values()).map(Enum::name).collect(Collectors.joining(", ")));
      }
    }
    return states;
  }

  private static String summary(List<ServiceInfo> services, int total) {
    Map<State, Integer> counts = new EnumMap<>(State.class);
    services.forEach(info -> counts.merge(info.state(), 1, Integer::sum));
    String shown = services.size() == total ? plural(total, "service")
        : services.size() + " of " + plural(total, "service");
    if (counts.isEmpty()) {
      return shown;
    }
    return shown + ": " + counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
        .collect(Collectors.joining(", "));
  }

  static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /** @return the rows as lines, each column padded to its widest cell (the last one is not padded) */
  static String align(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        line.append(row.get(c));
        if (c < columns - 1) {
          line.append(" ".repeat(widths[c] - row.get(c).length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
