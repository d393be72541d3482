package dev.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What BENCHMARKS.md says of each suite, so that a run of some suites ({@code bench.only}) keeps the others'
 * sections, target rows and load rows as they were measured. A suite's section sits between two HTML comments
 * that name it; its target and load rows name it in a column of their own.
 */
final class EarlierRun {
  private static final Pattern SECTION =
      Pattern.compile("<!-- suite:([a-z]+) -->\n(.*?)<!-- /suite:\\1 -->\n", Pattern.DOTALL);

  private final Map<String, String> sections = new HashMap<>();
  private final Map<String, List<String>> targets = new HashMap<>();
  private final Map<String, String> loads = new HashMap<>();

  static EarlierRun read(Path file) throws IOException {
    EarlierRun earlier = new EarlierRun();
    if (!Files.exists(file)) {
      return earlier;
    }
    String text = Files.readString(file);
    Matcher section = SECTION.matcher(text);
    while (section.find()) {
      earlier.sections.put(section.group(1), section.group(0));
    }
    boolean inTargets = false;
    boolean inLoads = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("## ")) {
        inTargets = line.equals("## Targets");
        inLoads = line.equals("## Load while measuring");
        continue;
      }
      if (!line.startsWith("| ") || line.startsWith("| ---")) {
        continue;
      }
      String[] cells = line.substring(2, line.length() - 2).split(" \\| ", -1);
      if (inTargets && cells.length == 4) {
        earlier.targets.computeIfAbsent(cells[3], s -> new ArrayList<>())
            .add(cells[0] + "\t" + cells[1] + "\t" + cells[2] + "\t" + cells[3]);
      } else if (inLoads && cells.length == 5) {
        earlier.loads.put(cells[0], line);
      }
    }
    return earlier;
  }

  static String wrap(String suite, String section) {
    return "<!-- suite:" + suite + " -->\n" + section + "<!-- /suite:" + suite + " -->\n";
  }

  boolean has(String suite) {
    return sections.containsKey(suite) && loads.containsKey(suite);
  }

  String section(String suite) {
    return sections.get(suite);
  }

  List<String> targets(String suite) {
    return targets.getOrDefault(suite, List.of());
  }

  String load(String suite) {
    return loads.get(suite);
  }
}
