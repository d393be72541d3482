package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** launcher.wait's reading (ISO-8601 or seconds, 0 or more; anything else named with the property), and no supervisor. */
class BootWaitTest {

  @Test
  void durationsAndSeconds() {
    assertEquals(Duration.ofSeconds(60), BootWait.parse("launcher.wait", "PT60S"));
    assertEquals(Duration.ofMinutes(2), BootWait.parse("launcher.wait", "pt2m"));
    assertEquals(Duration.ofSeconds(90), BootWait.parse("launcher.wait", " 90 "));
    assertEquals(Duration.ZERO, BootWait.parse("launcher.wait", "0"));
  }

  /** In a bare framework: no Supervisor service within the time is said on the console, not thrown. */
  @Test
  void noSupervisorWithinTheTimeIsReported() throws Exception {
    Framework framework = ServiceLoader
        .load(FrameworkFactory.class).findFirst().orElseThrow()
        .newFramework(Map.of(Constants.FRAMEWORK_STORAGE,
            Files.createTempDirectory("bootwait").toString()));
    framework.start();
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BootWait.run(framework.getBundleContext(), Duration.ofMillis(50), new PrintStream(out, true));
      assertEquals("launcher: waiting up to PT0.05S for start-up to settle (launcher.wait)\n"
          + "launcher: no boot report: no dev.supervisor.api.Supervisor service within PT0.05S\n",
          out.toString().replace("\r", ""));
    } finally {
      framework.stop();
      framework.waitForStop(10_000);
    }
  }

  @Test
  void badValuesNameThePropertyAndTheValue() {
    assertEquals("launcher.wait='soon' is not a duration: use ISO-8601 (PT60S) or seconds (60)",
        assertThrows(IllegalArgumentException.class, () -> BootWait.parse("launcher.wait", "soon")).getMessage());
    assertEquals("launcher.wait='-5' is not a duration: use ISO-8601 (PT60S) or seconds (60)",
        assertThrows(IllegalArgumentException.class, () -> BootWait.parse("launcher.wait", "-5")).getMessage());
    assertEquals("launcher.wait='PT-1S' is negative: give 0 or more",
        assertThrows(IllegalArgumentException.class, () -> BootWait.parse("launcher.wait", "PT-1S")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> BootWait.parse("launcher.wait", "99999999999999999999"));
  }
}
