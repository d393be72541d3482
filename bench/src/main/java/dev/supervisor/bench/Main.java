package dev.supervisor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs every benchmark suite, each in a fresh JVM (so that one suite's threads, garbage and JIT state do not
 * reach the next one's figures), and writes BENCHMARKS.md: the machine, the JDK, the command, each suite's
 * tables, and the targets with their verdicts.
 *
 * <p>System properties: {@code bench.out} (the Markdown file), {@code bench.work} (results and Felix
 * storage), {@code bench.quick} (one short round of everything, to check the harness), {@code bench.only}
 * (comma-separated suite names, to run a subset), {@code bench.jdk25} (the home of the JDK the virtual-thread
 * suite runs on).
 */
public final class Main {
  static final String COMMAND = "mvn -B -q -Pbench -pl bench -am -DskipTests package";

  /**
   * Suite name, main class, JVM options, and the java executable to run it with when not this JVM's own (if
   * that one is absent, the suite runs on this JVM with {@code bench.skip} saying why, and reports itself
   * skipped).
   */
  private record Suite(String name, Class<?> main, List<String> jvmOptions, Optional<Path> java) {
    Suite(String name, Class<?> main, List<String> jvmOptions) {
      this(name, main, jvmOptions, Optional.empty());
    }
  }

  private static final List<Suite> SUITES = List.of(
      new Suite("footprint", Footprint.class, List.of("-Xms1g", "-Xmx1g")),
      new Suite("restart", RestartLatency.class, List.of("-Xms512m", "-Xmx512m")),
      new Suite("start", StartOrder.class, List.of("-Xms2g", "-Xmx2g")),
      new Suite("felix", FelixStart.class, List.of("-Xms1g", "-Xmx1g")),
      new Suite("storm", Storm.class, List.of("-Xms2g", "-Xmx2g")),
      new Suite("virtual", VirtualThreads.class, List.of("-Xms3g", "-Xmx3g"), Optional.of(VirtualThreads.java())));

  private Main() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(System.getProperty("bench.out", "BENCHMARKS.md")).toAbsolutePath().normalize();
    Path work = Report.work().toAbsolutePath();
    String only = System.getProperty("bench.only", "");
    long began = System.nanoTime();
    String loadBefore = Report.load();
    // A run of some suites (bench.only) keeps what the file says of the others, each marked with its date.
    EarlierRun earlier = EarlierRun.read(out);
    List<String> sections = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    List<String> measured = new ArrayList<>();
    String today = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    for (Suite suite : SUITES) {
      if (!only.isEmpty() && !List.of(only.split(",")).contains(suite.name())) {
        if (earlier.has(suite.name())) {
          sections.add(earlier.section(suite.name()));
          targets.addAll(earlier.targets(suite.name()));
          loads.add(earlier.load(suite.name()));
        }
        continue;
      }
      measured.add(suite.name());
      Files.deleteIfExists(work.resolve(suite.name() + ".md"));
      String loadAtStart = Report.load();
      long suiteBegan = System.nanoTime();
      int status = fork(suite, work);
      Duration took = Duration.ofNanos(System.nanoTime() - suiteBegan);
      loads.add("| " + suite.name() + " | " + today + " | " + seconds(took) + " | " + loadAtStart + " | "
          + Report.load() + " |");
      Path section = work.resolve(suite.name() + ".md");
      if (status != 0 || !Files.exists(section)) {
        sections.add(EarlierRun.wrap(suite.name(), "## " + suite.name() + "\n\nThe suite failed (exit status "
            + status + "); see the console.\n"));
        continue;
      }
      sections.add(EarlierRun.wrap(suite.name(), Files.readString(section)));
      for (String target : Files.readAllLines(work.resolve(suite.name() + ".targets"))) {
        targets.add(target + "\t" + suite.name());
      }
    }
    Duration total = Duration.ofNanos(System.nanoTime() - began);
    Files.writeString(out, document(sections, targets, loads, loadBefore, total, measured));
    System.out.println("bench: wrote " + out + " in " + seconds(total));
  }

  private static int fork(Suite suite, Path work) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    Path own = Path.of(System.getProperty("java.home"), "bin", "java");
    Path java = suite.java().orElse(own);
    String skip = null;
    if (!Files.isExecutable(java)) {
      skip = java + " is not there (or not executable)";
      java = own;
    }
    command.add(java.toString());
    command.addAll(suite.jvmOptions());
    if (skip != null) {
      command.add("-Dbench.skip=" + skip);
    }
    command.add("-Xss1m");
    command.add("-Dbench.quick=" + Report.quick());
    command.add("-Dbench.work=" + work);
    command.add("-classpath");
    command.add(System.getProperty("java.class.path"));
    command.add(suite.main().getName());
    System.out.println("bench: suite " + suite.name() + (java.equals(own) ? "" : " on " + java) + " (load "
        + Report.load() + ")");
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  private static String document(List<String> sections, List<String> targets, List<String> loads,
      String loadBefore, Duration total, List<String> measured) throws IOException {
    StringBuilder doc = new StringBuilder();
    doc.append("# Benchmarks\n\n");
    doc.append("Written by the `bench` module (issue 5). Every figure is the median over repeated runs, with the ")
        .append("lowest and highest run in brackets; every comparison is measured in the same JVM, its rounds ")
        .append("interleaved with ours. Benchmarks never run in `mvn -B verify` (it only compiles them). A plain ")
        .append("harness with warm-up rounds rather than JMH: every figure is a duration across threads (timed inside ")
        .append("the worker, or around an asynchronous start), and every ratio needs both sides from the same JVM and ")
        .append("round.\n\n");
    doc.append("| | |\n| --- | --- |\n");
    doc.append("| command | `").append(COMMAND).append("` (from the repository root")
        .append(Report.quick() ? "; **this file is from a quick run, `-Dbench.quick=true`: not meaningful**" : "")
        .append(") |\n");
    doc.append("| written | ").append(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")))
        .append(", whole run ").append(seconds(total)).append("; suites measured in this run: ")
        .append(String.join(", ", measured)).append(" (any other suite is as an earlier run wrote it: see the ")
        .append("dates under Load while measuring) |\n");
    doc.append("| machine | ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores available, ").append(memory()).append(", ").append(System.getProperty("os.name"))
        .append(' ').append(System.getProperty("os.version")).append(" (shared: other builds may run; load below) |\n");
    doc.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append(" (").append(System.getProperty("java.vendor"))
        .append("), default GC, each suite in a fresh JVM with `-Xss1m` (the virtual suite on the JDK its section ")
        .append("names) |\n");
    doc.append("| load average (1, 5, 15 min) at the start | ").append(loadBefore).append(" |\n\n");
    doc.append("## Targets\n\n| target | measured | verdict | suite |\n| --- | --- | --- | --- |\n");
    for (String target : targets) {
      doc.append("| ").append(target.replace("\t", " | ")).append(" |\n");
    }
    doc.append('\n');
    for (String section : sections) {
      doc.append(section).append('\n');
    }
    doc.append("## Load while measuring\n\n| suite | measured | wall time | load at its start | load at its end |\n")
        .append("| --- | --- | --- | --- | --- |\n");
    loads.forEach(line -> doc.append(line).append('\n'));
    return doc.toString();
  }

  private static String seconds(Duration duration) {
    return String.format("%.0f s", duration.toMillis() / 1000.0);
  }

  private static String cpu() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the architecture will do
    }
    return System.getProperty("os.arch");
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("\\D", ""));
          return (kib / 1024 / 1024) + " GiB RAM";
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return "? RAM";
  }
}
