package dev.supervisor.impl.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.supervisor.api.SupervisorException;
import dev.supervisor.impl.osgi.RemovalRule.AddedBy;
import org.junit.jupiter.api.Test;

class RemovalRuleTest {
  private static final String CALLER = "com.acme.mine [12]";
  private static final String OWNER = "com.acme.theirs [42]";

  @Test
  void aBundleRemovesWhatItAdded() {
    assertNull(RemovalRule.refusal("w", CALLER, AddedBy.THE_CALLER, CALLER));
  }

  @Test
  void aBundleDoesNotRemoveAnotherBundlesService() {
    SupervisorException refused = RemovalRule.refusal("w", OWNER, AddedBy.ANOTHER_BUNDLE, CALLER);
    assertEquals(SupervisorException.Kind.NOT_OWNER, refused.kind());
    assertEquals("cannot remove service 'w': bundle com.acme.theirs [42] added it, not com.acme.mine [12]; a "
        + "bundle removes only what it added; nothing was removed", refused.getMessage());
  }

  @Test
  void anOperatorRemovesWhatAnyBundleAdded() {
    assertNull(RemovalRule.refusal("w", OWNER, AddedBy.ANOTHER_BUNDLE, null));
  }

  @Test
  void nobodyRemovesAnOsgiServiceRegistrationByName() {
    for (String caller : new String[] {CALLER, null}) {
      SupervisorException refused = RemovalRule.refusal("w", OWNER, AddedBy.AN_OSGI_SERVICE, caller);
      assertEquals(SupervisorException.Kind.NOT_OWNER, refused.kind());
      assertEquals("cannot remove service 'w': it is registered as an OSGi service (or component) by bundle "
          + "com.acme.theirs [42], which it belongs to; unregister it there (or stop that bundle), or stop it with "
          + "stop; nothing was removed", refused.getMessage());
    }
  }
}
