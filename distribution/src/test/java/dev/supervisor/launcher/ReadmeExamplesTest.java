package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "Your first worker bundle" shows exactly the files of {@code examples/first-worker}, which the
 * build compiles and packages as a module of its own (and {@code FileInstallIT} runs): so the snippet cannot
 * rot without the build failing.
 */
class ReadmeExamplesTest {
  private static final Path ROOT = Path.of(System.getProperty("repository.root", "..")).toAbsolutePath();

  @Test
  void theFirstWorkerBundleOfTheReadmeIsTheOneTheBuildCompiles() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Path example = ROOT.resolve("examples/first-worker");
    String[][] files = {
        {"xml", "pom.xml"},
        {"java", "src/main/java/com/example/ticker/Ticker.java"}};
    for (String[] file : files) {
      String text = Files.readString(example.resolve(file[1]));
      assertTrue(readme.contains("```" + file[0] + "\n" + text + "```\n"),
          () -> "README.md shows examples/first-worker/" + file[1] + " as it is, in a ```" + file[0] + " block:\n" + text);
    }
  }
}
