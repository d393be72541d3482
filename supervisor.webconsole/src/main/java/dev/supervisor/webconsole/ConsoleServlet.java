package dev.supervisor.webconsole;

import dev.supervisor.api.GroupInfo;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.State;
import dev.supervisor.api.StatusUpdate;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.api.SupervisorListener;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The web console: a page and its JSON endpoints under {@code /supervisor} on the HTTP Whiteboard.
 *
 * <pre>
 * GET  /supervisor/                    the page (tree, graph, timeline, live)
 * GET  /supervisor/api/session         who you are, whether you may act, the CSRF token for writes
 * GET  /supervisor/api/services        ?q= &amp;state= &amp;group= &amp;offset= &amp;limit= (paged, group then name); ?name= one service
 * GET  /supervisor/api/groups          every group; ?path= one group with its members
 * GET  /supervisor/api/graph           ?focus= &amp;depth= &amp;limit= the laid-out dependency graph
 * GET  /supervisor/api/timeline        ?since=start|PT5M|2026-01-01T00:00:00Z &amp;offset= &amp;limit=
 * GET  /supervisor/api/timeline.svg    the same as a standalone SVG (?download=1 to save it)
 * GET  /supervisor/api/events          server-sent events (services that changed)
 * POST /supervisor/api/control         target=service|group|all, name=, action=start|stop|restart|reset, csrf=
 * </pre>
 *
 * <p>It reads only the {@link Supervisor} service. What it keeps: a bounded record of transitions for the
 * timeline ({@link TransitionLog}: the API has no history) and the open event streams.
 *
 * <p>Users (see {@link Access}), each from a component property (Config Admin PID
 * {@code dev.supervisor.webconsole}) or else a framework property: {@code users.file}
 * ({@code supervisor.webconsole.users}), a users file; {@code jaas.realm}
 * ({@code supervisor.webconsole.jaas.realm}), a JAAS realm instead (Karaf: {@code karaf}); {@code admin.role}
 * ({@code supervisor.webconsole.admin.role}, default {@code admin}), the role that may act; {@code http.realm}
 * ({@code supervisor.webconsole.realm}, default {@code supervisor}), the realm of the Basic challenge: the same
 * as a web console's makes a browser reuse that login for the page (Karaf's feature sets {@code karaf}, the
 * realm of Karaf's web console, so its Supervisor tab asks for no second login).
 */
@Component(service = Servlet.class, configurationPid = "dev.supervisor.webconsole", property = {
    "osgi.http.whiteboard.servlet.pattern=/supervisor/*",
    "osgi.http.whiteboard.servlet.name=supervisor.webconsole",
    "osgi.http.whiteboard.servlet.asyncSupported:Boolean=true"})
public final class ConsoleServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String USERS_PROPERTY = "supervisor.webconsole.users";
  static final String JAAS_REALM_PROPERTY = "supervisor.webconsole.jaas.realm";
  static final String ADMIN_ROLE_PROPERTY = "supervisor.webconsole.admin.role";
  static final String REALM_PROPERTY = "supervisor.webconsole.realm";
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;

  private final transient Supervisor supervisor;
  private final transient Access access;
  private final transient TransitionLog transitions = new TransitionLog();
  private final transient EventStream events;
  private final transient ExecutorService control = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "supervisor.webconsole control");
    t.setDaemon(true);
    return t;
  });
  private final transient SupervisorListener listener = new SupervisorListener() {
    @Override
    public void statusChanged(StatusUpdate update) {
      transitions.record(update);
      events.changed(update.serviceName());
    }

    @Override
    public void serviceRemoved(long serviceId, String serviceName) {
      transitions.removed(serviceId, serviceName);
      events.changed(serviceName);
    }
  };
  private final transient Map<String, byte[]> files;
  private final transient Instant frameworkStart;
  private final transient String challenge;

  @Activate
  public ConsoleServlet(BundleContext context, @Reference(name = "supervisor") Supervisor supervisor,
      Map<String, Object> properties) {
    this.supervisor = supervisor;
    String users = setting(properties, context, "users.file", USERS_PROPERTY);
    String realm = setting(properties, context, "jaas.realm", JAAS_REALM_PROPERTY);
    String role = setting(properties, context, "admin.role", ADMIN_ROLE_PROPERTY);
    this.access = new Access(users == null ? null : Path.of(users), realm, role, null);
    String challengeRealm = setting(properties, context, "http.realm", REALM_PROPERTY);
    // Only characters that need no quoting in the header: a configured realm cannot break it.
    this.challenge = "Basic realm=\"" + (challengeRealm == null ? "supervisor" : challengeRealm.replaceAll("[^\\w .:-]", ""))
        + "\", charset=\"UTF-8\"";
    this.files = Map.of(
        "index.html", resource("index.html"),
        "console.js", resource("console.js"),
        "console.css", resource("console.css"));
    this.frameworkStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    this.events = new EventStream(supervisor);
    // Listen first, then reconstruct what exists: a service is either in the list or in an update.
    supervisor.addListener(listener);
    for (ServiceInfo info : supervisor.services()) {
      transitions.catchUp(info);
    }
  }

  @Deactivate
  void deactivate() {
    supervisor.removeListener(listener);
    events.close();
    control.shutdownNow();
  }

  // ------------------------------------------------------------------------------------------- GET

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    securityHeaders(resp);
    String path = req.getPathInfo();
    if (path == null) {
      resp.sendRedirect(req.getContextPath() + req.getServletPath() + "/");
      return;
    }
    Access.User user = access.authenticate(req.getHeader("Authorization"));
    if (user == null) {
      challenge(resp);
      return;
    }
    switch (path) {
      case "/", "/index.html" -> file(resp, "index.html", "text/html");
      case "/console.js" -> file(resp, "console.js", "text/javascript");
      case "/console.css" -> file(resp, "console.css", "text/css");
      case "/api/session" -> json(resp, 200, new Json().beginObject()
          .member("user", user.name())
          .member("admin", user.admin())
          .member("csrf", access.csrfToken(user))
          .member("loginRequired", access.requiresLogin())
          .endObject().toString());
      case "/api/services" -> services(req, resp);
      case "/api/groups" -> groups(req, resp);
      case "/api/graph" -> graph(req, resp);
      case "/api/timeline" -> timeline(req, resp, false);
      case "/api/timeline.svg" -> timeline(req, resp, true);
      case "/api/events" -> {
        if (!events.open(req, resp)) {
          error(resp, 503, "too many open event streams; poll /supervisor/api/services instead");
        }
      }
      case "/api/control" -> {
        resp.setHeader("Allow", "POST");
        error(resp, 405, "control is POST only");
      }
      default -> error(resp, 404, "no such page: " + path);
    }
  }

  private void services(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String name = req.getParameter("name");
    if (name != null) {
      Optional<ServiceInfo> info = supervisor.info(name);
      if (info.isEmpty()) {
        error(resp, 404, "no service named " + name);
        return;
      }
      Json json = new Json();
      Views.service(json, info.get());
      json(resp, 200, json.toString());
      return;
    }
    String q = lower(req.getParameter("q"));
    String group = req.getParameter("group");
    if (group != null && !group.isEmpty() && supervisor.group(group).isEmpty()) {
      error(resp, 404, "no group with path " + group);
      return;
    }
    State state;
    try {
      String s = req.getParameter("state");
      state = s == null || s.isEmpty() ? null : State.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      error(resp, 400, "no such state: " + req.getParameter("state"));
      return;
    }
    int offset = intParam(req, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(req, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
    List<ServiceInfo> all = supervisor.services();
    int[] counts = new int[State.values().length];
    List<ServiceInfo> matched = new ArrayList<>();
    for (ServiceInfo info : all) {
      counts[info.state().ordinal()]++;
      if ((state == null || info.state() == state)
          && (group == null || info.group().equals(group) || info.group().startsWith(group + "/") || group.isEmpty())
          && (q == null || info.name().toLowerCase(Locale.ROOT).contains(q))) {
        matched.add(info);
      }
    }
    // the tree's order: by group path, then by name (services() is sorted by name already: a stable sort)
    matched.sort(Comparator.comparing(ServiceInfo::group));
    int from = Math.min(offset, matched.size());
    List<ServiceInfo> page = matched.subList(from, Math.min(matched.size(), from + limit));
    json(resp, 200, Views.services(page, all.size(), matched.size(), from, limit, counts));
  }

  private void groups(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getParameter("path");
    if (path != null) {
      Optional<GroupInfo> g = supervisor.group(path);
      if (g.isEmpty()) {
        error(resp, 404, "no group with path " + path);
        return;
      }
      Json json = new Json();
      Views.group(json, g.get(), true);
      json(resp, 200, json.toString());
      return;
    }
    Json json = new Json().beginObject().name("groups").beginArray();
    for (GroupInfo g : supervisor.groups()) {
      Views.group(json, g, false);
    }
    json(resp, 200, json.endArray().endObject().toString());
  }

  private void graph(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String focus = req.getParameter("focus");
    if (focus != null && focus.isEmpty()) {
      focus = null;
    }
    int depth = intParam(req, "depth", 2, 0, 50);
    int limit = intParam(req, "limit", GraphView.DEFAULT_LIMIT, 1, 2000);
    String body = GraphView.json(supervisor.services(), focus, depth, limit);
    if (body == null) {
      error(resp, 404, "no service named " + focus);
      return;
    }
    json(resp, 200, body);
  }

  private void timeline(HttpServletRequest req, HttpServletResponse resp, boolean svg) throws IOException {
    Instant now = Instant.now();
    Instant since;
    String s = req.getParameter("since");
    try {
      if (s == null || s.isEmpty() || s.equals("start")) {
        since = frameworkStart;
      } else if (s.startsWith("P") || s.startsWith("p")) {
        since = now.minus(Duration.parse(s));
      } else {
        since = Instant.parse(s);
      }
    } catch (DateTimeException | ArithmeticException e) {
      // unparsable, or a duration that reaches before the epoch's range
      error(resp, 400, "since: 'start', a duration such as PT5M, or an instant such as 2026-01-01T00:00:00Z; not " + s);
      return;
    }
    int offset = intParam(req, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = intParam(req, "limit", TimelineView.DEFAULT_LIMIT, 1, TimelineView.MAX_LIMIT);
    TimelineView.Model model = TimelineView.model(transitions.copy(), since, now, offset, limit);
    if (svg) {
      resp.setContentType("image/svg+xml");
      resp.setCharacterEncoding("UTF-8");
      resp.setHeader("Cache-Control", "no-store");
      if (req.getParameter("download") != null) {
        resp.setHeader("Content-Disposition", "attachment; filename=\"supervisor-timeline.svg\"");
      }
      resp.getWriter().write(TimelineView.svg(model));
    } else {
      json(resp, 200, TimelineView.json(model));
    }
  }

  // ------------------------------------------------------------------------------------------ POST

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    securityHeaders(resp);
    if (!"/api/control".equals(req.getPathInfo())) {
      error(resp, 404, "no such endpoint: " + req.getPathInfo());
      return;
    }
    Access.User user = access.authenticate(req.getHeader("Authorization"));
    if (user == null) {
      challenge(resp);
      return;
    }
    if (!user.admin()) {
      error(resp, 403, user.name() == null
          ? "read-only: no admin user is configured (" + USERS_PROPERTY + ")"
          : "read-only: " + user.name() + " does not have the role " + access.adminRole());
      return;
    }
    String token = req.getHeader("X-CSRF-Token");
    if (token == null) {
      token = req.getParameter("csrf");
    }
    if (!access.validCsrf(user, token)) {
      error(resp, 403, "missing or wrong CSRF token: reload the page");
      return;
    }
    String target = req.getParameter("target");
    String name = req.getParameter("name");
    String action = req.getParameter("action");
    if (action == null || !List.of("start", "stop", "restart", "reset").contains(action)) {
      error(resp, 400, "action: start, stop, restart or reset; not " + action);
      return;
    }
    try {
      switch (target == null ? "" : target) {
        case "service" -> {
          if (name == null || supervisor.info(name).isEmpty()) {
            error(resp, 404, "no service named " + name);
            return;
          }
          switch (action) {
            case "start" -> supervisor.start(name);
            case "stop" -> supervisor.stop(name);
            case "restart" -> supervisor.restart(name);
            default -> supervisor.reset(name);
          }
        }
        case "group" -> {
          if (name == null || supervisor.group(name).isEmpty()) {
            error(resp, 404, "no group with path " + name);
            return;
          }
          switch (action) {
            case "start" -> {
              error(resp, 400, "a group has restart, stop and reset");
              return;
            }
            case "stop" -> {
              // stopGroup waits for the group's stop timeout: not on a request thread
              control.execute(() -> {
                try {
                  supervisor.stopGroup(name);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                  // the group went away meanwhile: nothing to report to a finished request
                }
              });
              json(resp, 202, new Json().beginObject().member("accepted", true).endObject().toString());
              return;
            }
            case "restart" -> supervisor.restartGroup(name);
            default -> supervisor.resetGroup(name);
          }
        }
        case "all" -> {
          switch (action) {
            case "start" -> supervisor.startAll();
            case "stop" -> supervisor.stopAll();
            case "restart" -> supervisor.restartAll();
            default -> supervisor.resetAll();
          }
        }
        default -> {
          error(resp, 400, "target: service, group or all; not " + target);
          return;
        }
      }
    } catch (SupervisorException e) {
      int status = switch (e.kind()) {
        case UNKNOWN_SERVICE, UNKNOWN_GROUP -> 404;
        case ILLEGAL_STATE -> 409;
        case SUPERVISOR_STOPPED -> 503;
        default -> 400;
      };
      error(resp, status, e.getMessage());
      return;
    }
    json(resp, 200, new Json().beginObject().member("ok", true).member("action", action)
        .member("target", target).member("name", name).endObject().toString());
  }

  // ------------------------------------------------------------------------------------------ helpers

  private static void securityHeaders(HttpServletResponse resp) {
    // No script but our own files, no inline script or style, not framed by other sites.
    resp.setHeader("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setHeader("Referrer-Policy", "no-referrer");
  }

  private void challenge(HttpServletResponse resp) throws IOException {
    resp.setHeader("WWW-Authenticate", challenge);
    error(resp, 401, "log in: this console requires a user");
  }

  private void file(HttpServletResponse resp, String name, String type) throws IOException {
    resp.setContentType(type);
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-cache");
    resp.getOutputStream().write(files.get(name));
  }

  static void json(HttpServletResponse resp, int status, String body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.getWriter().write(body);
  }

  static void error(HttpServletResponse resp, int status, String message) throws IOException {
    json(resp, status, new Json().beginObject().member("status", status).member("error", message).endObject().toString());
  }

  /** A component property (Config Admin), else a framework property; null when blank or unset. */
  private static String setting(Map<String, Object> properties, BundleContext context, String key, String property) {
    Object value = properties.get(key);
    String s = value != null ? value.toString() : context.getProperty(property);
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static int intParam(HttpServletRequest req, String name, int dflt, int min, int max) {
    String s = req.getParameter(name);
    if (s == null || s.isEmpty()) {
      return dflt;
    }
    try {
      return Math.max(min, Math.min(max, Integer.parseInt(s.trim())));
    } catch (NumberFormatException e) {
      return dflt;
    }
  }

  private static String lower(String s) {
    return s == null || s.isEmpty() ? null : s.toLowerCase(Locale.ROOT);
  }

  private static byte[] resource(String name) {
    try (InputStream in = ConsoleServlet.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        throw new IllegalStateException("static/" + name + " is missing from the bundle");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read static/" + name, e);
    }
  }
}
