package dev.supervisor.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;
import org.junit.jupiter.api.Test;

/** Logins through a real JAAS LoginContext, with a login module that gives principals the way Karaf's do. */
class JaasAccessTest {
  static final AtomicInteger LOGINS = new AtomicInteger();

  /** Named like Karaf's org.apache.karaf.jaas.boot.principal.RolePrincipal, which is what Access looks for. */
  public record RolePrincipal(String getName) implements Principal {}

  public record UserPrincipal(String getName) implements Principal {}

  /** karaf/karaf has the role admin (as Karaf's admingroup gives it); viewer/look has the role viewer. */
  public static final class KarafLikeLoginModule implements LoginModule {
    private Subject subject;
    private CallbackHandler handler;
    private List<Principal> principals = List.of();

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> shared, Map<String, ?> options) {
      this.subject = subject;
      this.handler = handler;
    }

    @Override
    public boolean login() throws LoginException {
      LOGINS.incrementAndGet();
      NameCallback name = new NameCallback("user");
      PasswordCallback password = new PasswordCallback("password", false);
      try {
        handler.handle(new Callback[] {name, password});
      } catch (Exception e) {
        throw new LoginException(e.toString());
      }
      String pair = name.getName() + "/" + new String(password.getPassword());
      principals = switch (pair) {
        case "karaf/karaf" -> List.of(new UserPrincipal("karaf"), new RolePrincipal("admin"), new RolePrincipal("manager"));
        case "viewer/look" -> List.of(new UserPrincipal("viewer"), new RolePrincipal("viewer"));
        default -> throw new FailedLoginException("wrong user or password");
      };
      return true;
    }

    @Override
    public boolean commit() {
      subject.getPrincipals().addAll(principals);
      return true;
    }

    @Override
    public boolean abort() {
      return true;
    }

    @Override
    public boolean logout() {
      subject.getPrincipals().removeAll(principals);
      return true;
    }
  }

  static final Configuration KARAF = new Configuration() {
    @Override
    public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
      return "karaf".equals(name) ? new AppConfigurationEntry[] {new AppConfigurationEntry(KarafLikeLoginModule.class.getName(),
          AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of())} : null;
    }
  };

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theRealmDecidesWhoIsWhoAndTheAdminRoleMayAct() {
    Access access = new Access(null, "karaf", "admin", KARAF);
    assertTrue(access.requiresLogin());
    Access.User karaf = access.authenticate(basic("karaf", "karaf"));
    assertEquals("karaf", karaf.name());
    assertTrue(karaf.admin());
    Access.User viewer = access.authenticate(basic("viewer", "look"));
    assertFalse(viewer.admin());
    assertNull(access.authenticate(basic("karaf", "wrong")));
    assertNull(access.authenticate(null));
  }

  @Test
  void anotherRoleCanBeTheOneThatActs() {
    assertTrue(new Access(null, "karaf", "manager", KARAF).authenticate(basic("karaf", "karaf")).admin());
    assertFalse(new Access(null, "karaf", "viewer-admin", KARAF).authenticate(basic("karaf", "karaf")).admin());
  }

  @Test
  void aSuccessfulLoginIsRememberedAWhileAndAFailedOneIsNot() {
    Access access = new Access(null, "karaf", "admin", KARAF);
    int before = LOGINS.get();
    access.authenticate(basic("karaf", "karaf"));
    access.authenticate(basic("karaf", "karaf"));
    assertEquals(before + 1, LOGINS.get(), "the second request did not log in again");
    access.authenticate(basic("karaf", "nope"));
    access.authenticate(basic("karaf", "nope"));
    assertEquals(before + 3, LOGINS.get(), "wrong passwords are checked every time");
  }

  @Test
  void anUnknownRealmLetsNobodyIn() {
    assertNull(new Access(null, "no-such-realm", "admin", KARAF).authenticate(basic("karaf", "karaf")));
  }
}
