package dev.supervisor.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class ObjectNamesTest {

  /** Every character an ObjectName treats specially, and some it does not. */
  static final List<String> AWKWARD = List.of("plain", "with space", "quote\"inside", "\"leading quote",
      "comma,inside", "colon:inside", "equals=inside", "star*", "question?", "back\\slash", "new\nline",
      "tab\tinside", "ünïcødé ✓ 日本", "a,b=c:d\"e*f?g\\h\ni", "\"", "*", "?", "=", ",", ":", "trailing\\");

  @Test
  void everyNameRoundTrips() {
    for (String name : AWKWARD) {
      ObjectName objectName = ObjectNames.service(name);
      assertFalse(objectName.isPattern(), () -> objectName + " must not be a pattern");
      assertEquals(ObjectNames.DOMAIN, objectName.getDomain());
      assertEquals("Service", objectName.getKeyProperty("type"));
      assertEquals(name, nameOf(objectName), () -> "round trip of " + objectName);
      // and through the canonical text, as a remote client sees it
      assertEquals(name, nameOf(parse(objectName.getCanonicalName())));
    }
  }

  @Test
  void plainNamesStayUnquoted() {
    assertEquals("dev.supervisor:type=Service,name=demo.poller",
        ObjectNames.service("demo.poller").toString());
    assertEquals("dev.supervisor:type=Service,name=with space ünïcødé",
        ObjectNames.service("with space ünïcødé").toString());
  }

  @Test
  void newlineIsQuotedAndEscaped() {
    String value = ObjectNames.service("new\nline").getKeyProperty("name");
    assertEquals("\"new\\nline\"", value);
    assertFalse(value.contains("\n"));
  }

  @Test
  void aNameStartingWithAQuoteIsAlwaysQuoted() {
    // so that "starts with a quote" tells a client whether to unquote
    for (String name : AWKWARD) {
      String value = ObjectNames.service(name).getKeyProperty("name");
      assertTrue(value.equals(name) != value.startsWith("\""), () -> name + " -> " + value);
    }
  }

  @Test
  void theSupervisorName() {
    assertEquals("dev.supervisor:type=Supervisor", ObjectNames.supervisor().toString());
  }

  /** What a client does: unquote if quoted. */
  static String nameOf(ObjectName objectName) {
    String value = objectName.getKeyProperty("name");
    return value.startsWith("\"") ? ObjectName.unquote(value) : value;
  }

  private static ObjectName parse(String text) {
    try {
      return new ObjectName(text);
    } catch (Exception e) {
      throw new AssertionError(text, e);
    }
  }
}
