package dev.supervisor.webconsole;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who may read and who may act.
 *
 * <p>Users come from a file in the format of Karaf's {@code users.properties}: one
 * {@code name = password,role,role} per line. Without a file everyone who reaches the page is an anonymous
 * viewer and no write is allowed (the HTTP service of {@code ./run.sh} listens on 127.0.0.1 only). With a
 * file every request must authenticate with HTTP Basic; a user with the role {@code admin} may act, every
 * other user only reads. The file is read again when it changes.
 *
 * <p>Writes also need a CSRF token: an HMAC of the user name under a key made at random when this bundle
 * starts, so that another site in the same browser (which sends the Basic credentials along) cannot forge a
 * POST: it cannot read the token, which the page gets from {@code /supervisor/api/session}.
 */
final class Access {
  static final String ADMIN_ROLE = "admin";

  /** Who is asking: {@code name} null for an anonymous viewer. */
  record User(String name, boolean admin) {
    static final User ANONYMOUS = new User(null, false);
  }

  private record Entry(String password, Set<String> roles) {}

  private final Path usersFile;
  private final byte[] csrfKey = new byte[32];
  private Map<String, Entry> users = Map.of();
  private FileTime loaded;

  /** @param usersFile the users file, or null for anonymous read-only access */
  Access(Path usersFile) {
    this.usersFile = usersFile;
    new SecureRandom().nextBytes(csrfKey);
  }

  /** @return whether requests must authenticate */
  boolean requiresLogin() {
    return usersFile != null;
  }

  /**
   * @param authorization the request's {@code Authorization} header, or null
   * @return the user, {@link User#ANONYMOUS} when no users are configured, or null when the credentials are
   *     missing or wrong
   */
  User authenticate(String authorization) {
    if (usersFile == null) {
      return User.ANONYMOUS;
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String name = decoded.substring(0, colon);
    Entry entry = users().get(name);
    byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
    // compare even for an unknown user, in constant time, so that timing does not tell which names exist
    byte[] expected = (entry == null ? "\u0000unknown" : entry.password()).getBytes(StandardCharsets.UTF_8);
    boolean same = MessageDigest.isEqual(given, expected);
    return entry != null && same ? new User(name, entry.roles().contains(ADMIN_ROLE)) : null;
  }

  /** @return the CSRF token of a user (anonymous users get one too, though they cannot write) */
  String csrfToken(User user) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(csrfKey, "HmacSHA256"));
      byte[] tag = mac.doFinal(("csrf:" + (user.name() == null ? "" : user.name())).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  boolean validCsrf(User user, String token) {
    return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
        csrfToken(user).getBytes(StandardCharsets.UTF_8));
  }

  private synchronized Map<String, Entry> users() {
    try {
      FileTime modified = Files.getLastModifiedTime(usersFile);
      if (!modified.equals(loaded)) {
        users = read(usersFile);
        loaded = modified;
      }
    } catch (IOException e) {
      users = Map.of(); // unreadable: nobody gets in (fail closed)
      loaded = null;
    }
    return users;
  }

  private static Map<String, Entry> read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    }
    Map<String, Entry> users = new HashMap<>();
    for (String name : p.stringPropertyNames()) {
      if (name.startsWith("_g_:")) {
        continue; // Karaf's group lines: not supported here
      }
      String[] parts = p.getProperty(name).split(",");
      Set<String> roles = new java.util.HashSet<>();
      for (int i = 1; i < parts.length; i++) {
        roles.add(parts[i].trim());
      }
      users.put(name, new Entry(parts[0].trim(), Set.copyOf(roles)));
    }
    return users;
  }
}
