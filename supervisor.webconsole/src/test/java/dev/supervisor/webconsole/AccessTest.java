package dev.supervisor.webconsole;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTest {
  @TempDir Path dir;

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void withoutAUsersFileEveryoneIsAnAnonymousViewer() {
    Access access = new Access(null);
    Access.User user = access.authenticate(null);
    assertEquals(Access.User.ANONYMOUS, user);
    assertFalse(user.admin());
  }

  @Test
  void usersFileGivesRolesAndWrongPasswordsAreRefused() throws Exception {
    Path file = dir.resolve("users.properties");
    Files.writeString(file, "admin = secret,admin\nviewer = look,viewer\n_g_\\:admingroup = group,admin\n");
    Access access = new Access(file);
    assertTrue(access.authenticate(basic("admin", "secret")).admin());
    Access.User viewer = access.authenticate(basic("viewer", "look"));
    assertEquals("viewer", viewer.name());
    assertFalse(viewer.admin());
    assertNull(access.authenticate(basic("admin", "wrong")));
    assertNull(access.authenticate(basic("nobody", "secret")));
    assertNull(access.authenticate(null));
    assertNull(access.authenticate("Basic !!!"));
  }

  @Test
  void csrfTokensArePerUserAndPerStart() throws Exception {
    Path file = dir.resolve("users.properties");
    Files.writeString(file, "a = x,admin\nb = y,admin\n");
    Access access = new Access(file);
    Access.User a = access.authenticate(basic("a", "x"));
    Access.User b = access.authenticate(basic("b", "y"));
    assertTrue(access.validCsrf(a, access.csrfToken(a)));
    assertFalse(access.validCsrf(a, access.csrfToken(b)));
    assertFalse(access.validCsrf(a, null));
    assertNotEquals(access.csrfToken(a), new Access(file).csrfToken(a));
  }
}
