package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run.sh --wait} ({@code -Dlauncher.wait}) in the packaged launcher with the demo: the launcher blocks
 * until start-up has settled, prints the boot report, and only then runs the command file (here
 * {@code stop 0}, so the launcher ends by itself); a value that is not a duration ends it with status 2
 * before the framework starts.
 */
class BootWaitIT {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir
  Path temp;

  @AutoClose
  private LauncherProcess launcher;

  @Test
  void printsTheBootReportOnceSettledThenRunsTheCommands() throws Exception {
    Path commands = temp.resolve("stop.gosh");
    Files.writeString(commands, "stop 0\n");
    launcher = start("PT60S", List.of("-Dlauncher.commands=" + commands));
    assertTrue(launcher.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS),
        () -> "the launcher did not stop within " + DEADLINE + ":\n" + launcher.printed());
    String printed = launcher.printed();
    assertEquals(0, launcher.process.exitValue(), printed);
    int report = printed.indexOf("launcher: boot report\nstart-up settled: ");
    assertTrue(report >= 0, () -> "a settled boot report:\n" + printed);
    assertTrue(printed.indexOf("g! stop 0") > report, () -> "the commands run after the report:\n" + printed);
    String table = printed.substring(report);
    for (String service : List.of("demo.store", "demo.http", "demo.poller")) {
      assertTrue(table.matches("(?s).*\n  " + service.replace(".", "\\.") + " +[A-Z]+ .*"),
          () -> service + " in the report:\n" + printed);
    }
  }

  @Test
  void aWaitThatIsNotADurationEndsTheLauncherNamingIt() throws Exception {
    launcher = start("soon", List.of());
    assertTrue(launcher.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS), launcher::printed);
    assertEquals(2, launcher.process.exitValue(), launcher::printed);
    assertTrue(launcher.printed().contains("launcher.wait='soon' is not a duration"), launcher::printed);
  }

  private LauncherProcess start(String wait, List<String> more) throws Exception {
    Path target = LauncherProcess.target();
    List<String> options = new java.util.ArrayList<>(List.of(
        "-Dlauncher.bundles=" + target.resolve("bundles"),
        "-Dlauncher.storage=" + temp.resolve("felix-cache"),
        "-Dlauncher.etc=" + temp.resolve("etc"),
        "-Dlauncher.deploy=" + temp.resolve("deploy"),
        "-Djmx.port=" + LauncherProcess.freePort(),
        "-Ddemo.http.port=0",
        "-Dorg.osgi.service.http.port=0",
        "-Dgosh.args=--nointeractive",
        "-Dlauncher.wait=" + wait));
    options.addAll(more);
    return LauncherProcess.start("BootWaitIT", temp, options);
  }
}
