package dev.supervisor.impl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.supervisor.api.SupervisorException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code supervisor.threads} as PID {@code dev.supervisor} gives it: the forms of every enum key, and errors. */
class RunThreadModePropertyTest {

  private static RunThreadMode read(Object value) {
    return RunThreadModeProperty.read("dev.supervisor", Map.of(RunThreadModeProperty.KEY, value));
  }

  @Test
  void unsetIsPlatform() {
    assertEquals(RunThreadMode.PLATFORM, RunThreadModeProperty.read("dev.supervisor", Map.of("other", "x")));
  }

  @Test
  void readsTheNamesInAnyLetterCaseAndTheFormsOfEveryEnumKey() {
    assertEquals(RunThreadMode.VIRTUAL, read("VIRTUAL"));
    assertEquals(RunThreadMode.VIRTUAL, read(" virtual\t"));
    assertEquals(RunThreadMode.PLATFORM, read("Platform"));
    assertEquals(RunThreadMode.VIRTUAL, read(RunThreadMode.VIRTUAL));
    assertEquals(RunThreadMode.VIRTUAL, read(new String[] {"virtual"}));
    assertEquals(RunThreadMode.PLATFORM, read(new String[0]), "an empty array is no value");
  }

  @Test
  void aBadValueIsRefusedNamingThePidTheKeyTheValueAndTheAcceptedValues() {
    SupervisorException bad = assertThrows(SupervisorException.class, () -> read("GREEN"));
    assertEquals(SupervisorException.Kind.INVALID_PROPERTY, bad.kind());
    assertEquals("configuration 'dev.supervisor': property supervisor.threads = \"GREEN\" (String): "
        + "must be one of [PLATFORM, VIRTUAL]", bad.getMessage());
    for (Object value : List.of("", 21, true, List.of("VIRTUAL", "PLATFORM"))) {
      SupervisorException error = assertThrows(SupervisorException.class, () -> read(value), value::toString);
      assertEquals(SupervisorException.Kind.INVALID_PROPERTY, error.kind());
    }
  }
}
