package dev.supervisor.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * The live heap by class, as {@code jcmd GC.class_histogram} gives it (the JDK's DiagnosticCommand MBean: a
 * full GC first, so only what is reachable counts). Two histograms taken around a change, divided by the
 * number of workers it added, give the retained bytes per worker and which classes they are made of.
 */
final class Histogram {
  private final Map<String, long[]> byClass;
  private final long totalBytes;

  private Histogram(Map<String, long[]> byClass, long totalBytes) {
    this.byClass = byClass;
    this.totalBytes = totalBytes;
  }

  static Histogram take() throws Exception {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Map<String, long[]> byClass = new HashMap<>();
    long total = 0;
    for (String line : text.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length >= 4 && fields[0].endsWith(":")) {
        byClass.put(fields[3], new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])});
      } else if (fields.length == 3 && fields[0].equals("Total")) {
        total = Long.parseLong(fields[2]);
      }
    }
    return new Histogram(byClass, total);
  }

  /** @return bytes retained since {@code before}, per unit */
  double bytesSince(Histogram before, int units) {
    return (double) (totalBytes - before.totalBytes) / units;
  }

  /** @return the classes that grew most since {@code before}: "class: bytes per unit (instances per unit)" */
  List<String> topSince(Histogram before, int units, int top) {
    List<Map.Entry<String, Long>> grown = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : byClass.entrySet()) {
      long[] old = before.byClass.getOrDefault(entry.getKey(), new long[2]);
      grown.add(Map.entry(entry.getKey(), entry.getValue()[1] - old[1]));
    }
    grown.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Long> entry : grown.subList(0, Math.min(top, grown.size()))) {
      long[] now = byClass.get(entry.getKey());
      long[] old = before.byClass.getOrDefault(entry.getKey(), new long[2]);
      lines.add(String.format("%s %.0f B (%.2f objects)", entry.getKey(), (double) entry.getValue() / units,
          (double) (now[0] - old[0]) / units));
    }
    return lines;
  }
}
