package dev.supervisor.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorException.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClientErrorsTest {

  @Test
  void supervisorExceptionsBecomeJdkExceptionsWithTheMessage() {
    RuntimeException unknown = ClientErrors.forClient(
        new SupervisorException(Kind.UNKNOWN_SERVICE, "db", "no service 'db'", new RuntimeException("inner")));
    assertEquals(IllegalArgumentException.class, unknown.getClass());
    assertEquals("no service 'db' [UNKNOWN_SERVICE]", unknown.getMessage());
    assertNull(unknown.getCause(), "a cause could carry a product class to the client");

    IllegalStateException failed = assertThrows(IllegalStateException.class, () -> ClientErrors.run(() -> {
      throw new SupervisorException(Kind.ILLEGAL_STATE, "db", "service 'db' is FAILED; reset it");
    }));
    assertTrue(failed.getMessage().contains("service 'db' is FAILED; reset it"), failed.getMessage());
  }

  /** The refusals of removal by name, and a missing group or argument, are the client's mistake, not a state. */
  @Test
  void everyKindHasItsSide() {
    java.util.Set<Kind> stateRefused = java.util.EnumSet.of(Kind.ILLEGAL_STATE, Kind.START_FAILURE,
        Kind.STOP_FAILURE, Kind.SUPERVISOR_STOPPED);
    for (Kind kind : Kind.values()) {
      RuntimeException client = ClientErrors.forClient(new SupervisorException(kind, "w", "about 'w'"));
      assertEquals(stateRefused.contains(kind) ? IllegalStateException.class : IllegalArgumentException.class,
          client.getClass(), kind::name);
      assertEquals("about 'w' [" + kind + "]", client.getMessage());
    }
  }

  @Test
  void jdkExceptionsPassUnchanged() {
    IllegalStateException plain = new IllegalStateException("plain");
    assertSame(plain, ClientErrors.forClient(plain));
  }

  @Test
  void otherProductExceptionsAreReplaced() {
    RuntimeException wrapped = ClientErrors.forClient(new IllegalStateException("outer",
        new SupervisorException(Kind.START_FAILURE, "db", "inner")));
    assertEquals(IllegalStateException.class, wrapped.getClass());
    assertNull(wrapped.getCause());
  }

  @Test
  void durationsInWords() {
    assertEquals("0s", ServiceBean.text(Duration.ZERO));
    assertEquals("0.005s", ServiceBean.text(Duration.ofMillis(5)));
    assertEquals("3.250s", ServiceBean.text(Duration.ofMillis(3250)));
    assertEquals("2m 03.250s", ServiceBean.text(Duration.ofMillis(123_250)));
    assertEquals("1h 02m 03s", ServiceBean.text(Duration.ofSeconds(3723)));
    assertEquals("3d 04h 05m", ServiceBean.text(Duration.ofDays(3).plusHours(4).plusMinutes(5)));
  }
}
