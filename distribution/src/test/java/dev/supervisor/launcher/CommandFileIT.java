package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell without a terminal ({@code COMMANDS=file ./run.sh}, i.e. {@code -Dlauncher.commands}), and the
 * README's Felix shell example as real output: the commands of that example (its {@code g! } lines) run from a
 * file in the packaged launcher with the demo; the transcript goes to {@code target/felix-shell-transcript.txt}
 * (paste it into the README when the output changes) and is compared with the README's block: the same
 * number of services, the same nodes in the graph, and the same lines where nothing depends on time or chance.
 */
class CommandFileIT {
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String MARKER = "and in the Felix Gogo shell of `./run.sh`";

  @TempDir
  Path temp;

  /** Ended after each test (SIGTERM, so the framework stops; then by force): see {@link LauncherProcess#close()}. */
  @AutoClose
  private LauncherProcess launcher;

  @Test
  void theReadmeShellExampleRunsFromACommandFile() throws Exception {
    Path root = Path.of(System.getProperty("repository.root", "..")).toAbsolutePath();
    Path target = LauncherProcess.target();
    String readme = Files.readString(root.resolve("README.md"));
    int at = readme.indexOf(MARKER);
    assertTrue(at >= 0, "README has the Felix shell example after: " + MARKER);
    int from = readme.indexOf("```\n", at) + 4;
    String block = readme.substring(from, readme.indexOf("```", from));
    List<String> commands = block.lines().filter(line -> line.startsWith(CommandFile.PROMPT))
        .map(line -> line.substring(CommandFile.PROMPT.length())).collect(Collectors.toList());
    assertTrue(commands.size() >= 3 && commands.get(commands.size() - 1).equals("stop 0"),
        "the example's commands end with stop 0: " + commands);
    Path file = temp.resolve("commands.gosh");
    Files.write(file, commands);

    launcher = LauncherProcess.start("CommandFileIT", temp, List.of(
        "-Dlauncher.bundles=" + target.resolve("bundles"),
        "-Dlauncher.storage=" + temp.resolve("felix-cache"),
        "-Dlauncher.etc=" + temp.resolve("etc"),
        "-Dlauncher.deploy=" + temp.resolve("deploy"),
        "-Djmx.port=" + LauncherProcess.freePort(),
        "-Ddemo.http.port=0",
        "-Dgosh.args=--nointeractive",
        "-Dlauncher.commands=" + file));
    assertTrue(launcher.process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS),
        () -> "the launcher did not stop (the file ends with stop 0) within " + DEADLINE + ":\n" + launcher.printed());
    String printed = launcher.printed();
    assertEquals(0, launcher.process.exitValue(), printed);

    // the commands' lines, without what workers and the log print meanwhile
    String transcript = printed.lines().dropWhile(line -> !line.startsWith(CommandFile.PROMPT))
        .filter(line -> !line.startsWith("[") && !line.startsWith("launcher: ")
            && !line.matches("(INFO|WARN|ERROR|DEBUG) .*"))
        .collect(Collectors.joining("\n")) + "\n";
    Path saved = target.resolve("felix-shell-transcript.txt");
    Files.writeString(saved, transcript);
    System.out.println("CommandFileIT: transcript (" + saved + "):\n" + transcript);

    Map<String, String> expected = sections(block);
    Map<String, String> actual = sections(transcript);
    assertEquals(expected.keySet(), actual.keySet(), "the commands ran, each once, in order");
    for (Map.Entry<String, String> section : actual.entrySet()) {
      String command = section.getKey();
      String real = section.getValue();
      String shown = expected.get(command);
      if (command.startsWith("supervisor:list")) {
        assertEquals(total(real), total(shown), "the README's count of services after " + command);
        assertTrue(real.startsWith("NAME "), real);
      } else if (command.equals("supervisor:graph")) {
        assertEquals(nodes(real), nodes(shown), "the graph's nodes");
      } else if (command.startsWith("supervisor:stop ")) {
        assertEquals(real.replaceAll("\\(was \\w+\\)", ""), shown.replaceAll("\\(was \\w+\\)", ""), command);
      } else {
        assertEquals(real, shown, "the README's output of " + command);
      }
    }
    assertFalse(printed.contains("cannot run the commands"), printed);
  }

  /** @return command -> output, from prompt lines and output lines */
  private static Map<String, String> sections(String transcript) {
    Map<String, String> sections = new LinkedHashMap<>();
    String command = null;
    List<String> output = new ArrayList<>();
    for (String line : (transcript + CommandFile.PROMPT + "(end)\n").split("\n")) {
      if (line.startsWith(CommandFile.PROMPT)) {
        if (command != null) {
          sections.put(command, String.join("\n", output).strip());
        }
        command = line.substring(CommandFile.PROMPT.length());
        output.clear();
      } else {
        output.add(line);
      }
    }
    return sections;
  }

  private static String total(String list) {
    Matcher total = Pattern.compile("(?m)^(?:\\d+ of )?(\\d+) services").matcher(list);
    return total.find() ? total.group(1) : "(no count in: " + list + ")";
  }

  private static Set<String> nodes(String graph) {
    Set<String> nodes = new TreeSet<>();
    Matcher node = Pattern.compile("(?m)^\\s+\"([^\"]+)\" \\[label=").matcher(graph);
    while (node.find()) {
      nodes.add(node.group(1));
    }
    return nodes;
  }
}
