package dev.supervisor.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.supervisor.api.SupervisorException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the configuration key supervised.components is read; its errors name the key and the value. */
class SupervisedComponentsTest {

  @Test
  void namesComeAsTextArrayOrCollection() {
    assertEquals(Set.of(), SupervisedComponents.parseConfigured(null));
    assertEquals(Set.of("a", "b"), SupervisedComponents.parseConfigured(" a , b,a"));
    assertEquals(Set.of("a", "b"), SupervisedComponents.parseConfigured(new String[] {"a", "b", "b"}));
    assertEquals(Set.of("com.acme.Mail"), SupervisedComponents.parseConfigured(List.of("com.acme.Mail")));
    assertEquals(Set.of(), SupervisedComponents.parseConfigured(new String[0]));
  }

  @Test
  void emptyNullAndForeignEntriesAreRefusedWithTheKeyAndValue() {
    for (Object bad : new Object[] {"a,,b", new String[] {"a", null}, Arrays.asList("a", 3), Arrays.asList("a", null), 42, new String[] {" "}}) {
      SupervisorException error = assertThrows(SupervisorException.class,
          () -> SupervisedComponents.parseConfigured(bad));
      assertEquals(SupervisorException.Kind.INVALID_PROPERTY, error.kind());
      assertTrue(error.getMessage().contains("supervised.components"), error.getMessage());
    }
  }
}
