package dev.supervisor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one suite found: a Markdown section (tables and notes) and its target verdicts. A suite runs in a
 * JVM of its own and leaves both in the work folder, where {@link Main} collects them.
 */
final class Report {
  private final String suite;
  private final StringBuilder section = new StringBuilder();
  private final List<String> targets = new ArrayList<>();

  Report(String suite, String title) {
    this.suite = suite;
    section.append("## ").append(title).append("\n\n");
  }

  Report line(String text) {
    section.append(text).append('\n');
    return this;
  }

  Report blank() {
    section.append('\n');
    return this;
  }

  /**
   * @param target what we aim at, as the issue words it
   * @param measured the figure that decides it
   * @param met whether it is met
   */
  Report target(String target, String measured, boolean met) {
    return target(target, measured, met ? "met" : "**missed**");
  }

  /**
   * A target row whose verdict is neither met nor missed: "not measured" (the suite could not run), or "for
   * information" (a figure the issue asks to see beside the targets).
   */
  Report target(String target, String measured, String verdict) {
    targets.add(target + "\t" + measured + "\t" + verdict);
    return this;
  }

  void write(Path work) {
    try {
      Files.createDirectories(work);
      Files.writeString(work.resolve(suite + ".md"), section.toString());
      Files.write(work.resolve(suite + ".targets"), targets);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println(section);
  }

  static Path work() {
    return Path.of(System.getProperty("bench.work", "target/bench"));
  }

  static boolean quick() {
    return Boolean.getBoolean("bench.quick");
  }

  /** @return the 1-minute load average, as /proc/loadavg has it, or "?" */
  static String load() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** Collects the garbage of earlier rounds, so one round's GC does not land in the next one's figure. */
  static void settle() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
