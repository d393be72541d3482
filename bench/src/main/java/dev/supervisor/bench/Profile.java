package dev.supervisor.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from the JDK's own tools: a Flight Recorder method-sampling profile of a piece of
 * work (which methods the sampled threads were in, counted once per sample however deep), and the bytes
 * and CPU time of the supervisor's threads. Used after the measured rounds, never during them.
 */
final class Profile {
  private Profile() {}

  /** Samples every thread each millisecond while {@code work} runs, then counts the frames of matching threads. */
  static List<String> sample(Path file, Predicate<String> threadName, int top, ThrowingRunnable work) throws Exception {
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1)).withStackTrace();
      recording.setToDisk(true);
      recording.start();
      work.run();
      recording.stop();
      java.nio.file.Files.createDirectories(file.getParent());
      recording.dump(file);
    }
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
        continue;
      }
      String thread = event.getThread("sampledThread") == null ? "" : event.getThread("sampledThread").getJavaName();
      if (thread == null || !threadName.test(thread)) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String method = frame.getMethod().getType().getName().replaceFirst("^.*\\.", "") + "."
            + frame.getMethod().getName();
        if (seen.add(method)) {
          inclusive.merge(method, 1, Integer::sum);
        }
      }
      if (!frames.isEmpty()) {
        RecordedFrame leaf = frames.get(0);
        self.merge(leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(), 1, Integer::sum);
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(samples + " samples");
    final int total = Math.max(1, samples);
    inclusive.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .filter(e -> !e.getKey().startsWith("Thread.") && !e.getKey().contains("ThreadPoolExecutor")
            && !e.getKey().equals("Engine.controlLoop") && !e.getKey().matches("^[0-9].*")
            && !e.getKey().contains("MethodHandle") && !e.getKey().contains("Lambda"))
        .filter(e -> 100 * e.getValue() / total >= 1)
        .limit(top)
        .forEach(e -> lines.add(String.format("in %s: %d%%", e.getKey(), 100 * e.getValue() / total)));
    self.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .filter(e -> 100 * e.getValue() / total >= 1).limit(top / 2)
        .forEach(e -> lines.add(String.format("leaf %s: %d%%", e.getKey(), 100 * e.getValue() / total)));
    return lines;
  }

  /** @return bytes allocated so far by the live threads whose names match */
  static long allocated(Predicate<String> threadName) {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (threadName.test(thread.getName())) {
        long bytes = threads.getThreadAllocatedBytes(thread.getId());
        sum += Math.max(0, bytes);
      }
    }
    return sum;
  }

  /**
   * @return CPU nanoseconds used since {@code before} (from {@link #cpuByThread()}) by the live threads whose
   *     names match; a thread started since counts from zero, one that ended since is lost (a short window
   *     loses little)
   */
  static long cpuSince(Map<Long, long[]> before, Predicate<String> threadName) {
    var threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (threadName.test(thread.getName())) {
        long now = threads.getThreadCpuTime(thread.getId());
        long then = before.containsKey(thread.getId()) ? before.get(thread.getId())[0] : 0;
        sum += Math.max(0, now - Math.max(0, then));
      }
    }
    return sum;
  }

  /** @return CPU nanoseconds used so far by the live threads whose names match */
  static long cpu(Predicate<String> threadName) {
    var threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (threadName.test(thread.getName())) {
        sum += Math.max(0, threads.getThreadCpuTime(thread.getId()));
      }
    }
    return sum;
  }

  /** @return CPU nanoseconds used so far by each live thread, by thread id */
  static Map<Long, long[]> cpuByThread() {
    var threads = ManagementFactory.getThreadMXBean();
    Map<Long, long[]> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      cpu.put(id, new long[] {threads.getThreadCpuTime(id)});
    }
    return cpu;
  }

  /** @return the threads that used most CPU since {@code before}: "name ms", at most {@code top} */
  static List<String> topThreadsSince(Map<Long, long[]> before, int top) {
    var threads = ManagementFactory.getThreadMXBean();
    List<Map.Entry<String, Long>> used = new ArrayList<>();
    for (long id : threads.getAllThreadIds()) {
      long now = threads.getThreadCpuTime(id);
      long then = before.containsKey(id) ? before.get(id)[0] : 0;
      var info = threads.getThreadInfo(id);
      if (info != null && now > then) {
        used.add(Map.entry(info.getThreadName(), now - then));
      }
    }
    used.sort(Map.Entry.<String, Long>comparingByValue().reversed());
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Long> entry : used.subList(0, Math.min(top, used.size()))) {
      lines.add(String.format("%s %.1f ms", entry.getKey(), entry.getValue() / 1e6));
    }
    return lines;
  }

  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }

}
