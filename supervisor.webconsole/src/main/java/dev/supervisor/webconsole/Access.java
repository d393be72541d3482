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
 * <p>In Karaf (or wherever a JAAS realm is configured) the users are the realm's instead: with
 * {@code jaas.realm} set, Basic credentials are checked by a JAAS login in that realm, and the user may act
 * when the login gives a role principal (a principal whose class is named {@code RolePrincipal}, as Karaf's
 * {@code org.apache.karaf.jaas.boot.principal.RolePrincipal}) named {@code admin} (or the configured role).
 * A successful login is remembered for {@link #JAAS_CACHE_MILLIS} (the page polls and streams; a login
 * module may read a file or ask a server each time), keyed by a hash of the credentials.
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

  static final long JAAS_CACHE_MILLIS = 30_000;
  private static final int JAAS_CACHE_SIZE = 64;

  private final Path usersFile;
  private final String jaasRealm;
  private final String adminRole;
  private final javax.security.auth.login.Configuration jaasConfiguration;
  /** Guarded by itself: recent successful JAAS logins by a hash of the credentials. */
  private final Map<String, Cached> jaasLogins = new java.util.LinkedHashMap<>();

  private record Cached(User user, long until) {}
  private final byte[] csrfKey = new byte[32];
  private Map<String, Entry> users = Map.of();
  private FileTime loaded;

  /** @param usersFile the users file, or null for anonymous read-only access */
  Access(Path usersFile) {
    this(usersFile, null, ADMIN_ROLE, null);
  }

  /**
   * @param usersFile the users file, or null
   * @param jaasRealm a JAAS realm (Karaf: {@code karaf}) that checks the credentials instead of a file, or null
   * @param adminRole the role that may act
   * @param jaasConfiguration the JAAS configuration, or null for the JVM's (Karaf installs its own)
   */
  Access(Path usersFile, String jaasRealm, String adminRole, javax.security.auth.login.Configuration jaasConfiguration) {
    this.usersFile = usersFile;
    this.jaasRealm = jaasRealm;
    this.adminRole = adminRole == null || adminRole.isBlank() ? ADMIN_ROLE : adminRole;
    this.jaasConfiguration = jaasConfiguration;
    new SecureRandom().nextBytes(csrfKey);
  }

  /** @return whether requests must authenticate */
  boolean requiresLogin() {
    return usersFile != null || jaasRealm != null;
  }

  /** @return the role that may act */
  String adminRole() {
    return adminRole;
  }

  /**
   * @param authorization the request's {@code Authorization} header, or null
   * @return the user, {@link User#ANONYMOUS} when no users are configured, or null when the credentials are
   *     missing or wrong
   */
  User authenticate(String authorization) {
    if (!requiresLogin()) {
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
    if (jaasRealm != null) {
      return jaas(name, decoded.substring(colon + 1));
    }
    Entry entry = users().get(name);
    byte[] given = decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
    // compare even for an unknown user, in constant time, so that timing does not tell which names exist
    byte[] expected = (entry == null ? "\u0000unknown" : entry.password()).getBytes(StandardCharsets.UTF_8);
    boolean same = MessageDigest.isEqual(given, expected);
    return entry != null && same ? new User(name, entry.roles().contains(adminRole)) : null;
  }

  private User jaas(String name, String password) {
    String key = hash(name + '\u0000' + password);
    long now = System.currentTimeMillis();
    synchronized (jaasLogins) {
      Cached cached = jaasLogins.get(key);
      if (cached != null && cached.until() > now) {
        return cached.user();
      }
    }
    javax.security.auth.callback.CallbackHandler callbacks = all -> {
      for (javax.security.auth.callback.Callback c : all) {
        if (c instanceof javax.security.auth.callback.NameCallback n) {
          n.setName(name);
        } else if (c instanceof javax.security.auth.callback.PasswordCallback p) {
          p.setPassword(password.toCharArray());
        } else {
          throw new javax.security.auth.callback.UnsupportedCallbackException(c);
        }
      }
    };
    // LoginContext loads the realm's login modules through the context class loader; in Karaf they are
    // proxies on the system class path (lib/boot), which a servlet thread's loader need not see.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    if (jaasConfiguration == null) {
      thread.setContextClassLoader(ClassLoader.getSystemClassLoader());
    }
    try {
      javax.security.auth.Subject subject = new javax.security.auth.Subject();
      javax.security.auth.login.LoginContext login = jaasConfiguration == null
          ? new javax.security.auth.login.LoginContext(jaasRealm, subject, callbacks)
          : new javax.security.auth.login.LoginContext(jaasRealm, subject, callbacks, jaasConfiguration);
      login.login();
      boolean admin = subject.getPrincipals().stream()
          .anyMatch(p -> p.getClass().getSimpleName().equals("RolePrincipal") && adminRole.equals(p.getName()));
      login.logout();
      User user = new User(name, admin);
      synchronized (jaasLogins) {
        if (jaasLogins.size() >= JAAS_CACHE_SIZE) {
          jaasLogins.remove(jaasLogins.keySet().iterator().next());
        }
        jaasLogins.put(key, new Cached(user, now + JAAS_CACHE_MILLIS));
      }
      return user;
    } catch (javax.security.auth.login.LoginException e) {
      return null;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private String hash(String s) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(csrfKey, "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(("login:" + s).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
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
