package dev.supervisor.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** launcher.wait's reading: ISO-8601 or seconds, 0 or more; anything else named with the property. */
class BootWaitTest {

  @Test
  void durationsAndSeconds() {
    assertEquals(Duration.ofSeconds(60), BootWait.parse("launcher.wait", "PT60S"));
    assertEquals(Duration.ofMinutes(2), BootWait.parse("launcher.wait", "pt2m"));
    assertEquals(Duration.ofSeconds(90), BootWait.parse("launcher.wait", " 90 "));
    assertEquals(Duration.ZERO, BootWait.parse("launcher.wait", "0"));
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
