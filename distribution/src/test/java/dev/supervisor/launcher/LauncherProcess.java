package dev.supervisor.launcher;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged launcher in a JVM of its own, as {@code ./run.sh} starts it (the jars of {@code target/lib} and
 * {@code target/launcher.jar}), for the end-to-end tests: no terminal on its input, its output in a file, and a
 * shutdown hook that kills it should the test JVM end first. {@link #close()} ends it as Ctrl-C would (SIGTERM,
 * so the framework stops), then by force if it has to.
 */
final class LauncherProcess implements AutoCloseable {
  final Process process;
  final Path output;
  private final Thread reaper;

  private LauncherProcess(Process process, Path output, String test) {
    this.process = process;
    this.output = output;
    this.reaper = new Thread(process::destroyForcibly, test + "-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * @param test the test's name, for the reaper thread
   * @param workingDirectory its working directory; the output goes to {@code launcher-output.txt} there
   * @param jvmOptions options before the class path: {@code -D...}, {@code -javaagent:...}
   * @return the started launcher
   */
  static LauncherProcess start(String test, Path workingDirectory, List<String> jvmOptions) throws IOException {
    Path target = target();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(target.resolve("lib").resolve("*") + File.pathSeparator + target.resolve("launcher.jar"));
    command.add(Main.class.getName());
    Path output = workingDirectory.resolve("launcher-output.txt");
    Process process = new ProcessBuilder(command)
        .directory(workingDirectory.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    return new LauncherProcess(process, output, test);
  }

  /** @return the module's build folder (the packaged launcher, its lib/ and bundles/) */
  static Path target() {
    return Path.of(System.getProperty("distribution.target", "target")).toAbsolutePath();
  }

  /** @return a free TCP port on the loopback address */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** @return what the launcher printed so far, or why it cannot be read */
  String printed() {
    try {
      return Files.readString(output);
    } catch (IOException e) {
      return "(cannot read " + output + ": " + e + ")";
    }
  }

  /** Ends the launcher (SIGTERM, then by force after 30 s). @throws AssertionError if it is still alive then */
  @Override
  public void close() throws InterruptedException {
    Runtime.getRuntime().removeShutdownHook(reaper);
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (process.isAlive()) {
      throw new AssertionError("the launcher (pid " + process.pid() + ") did not end");
    }
  }
}
