package dev.supervisor.demo;

import static dev.supervisor.demo.DemoLog.log;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.supervisor.api.Readiness;
import dev.supervisor.api.RunContext;
import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.Supervised;
import dev.supervisor.api.Supervisor;
import dev.supervisor.api.annotations.SupervisedService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code demo.http}: a small HTTP endpoint on 127.0.0.1 that serves the store and the supervisor's view
 * of every service. Ready once the port is bound; a port in use is a failed start, retried with backoff.
 *
 * <pre>
 * GET    /             this help
 * GET    /store        every key=value, sorted
 * GET    /store/KEY    one value
 * PUT    /store/KEY    store the request body
 * DELETE /store/KEY    remove a key
 * GET    /status       state of every supervised service
 * </pre>
 *
 * <p>The port comes from the {@code demo.http.port} framework or system property (default 8080, 0 picks a
 * free port); the bound port is logged. Requests are handled on the server's own dispatcher thread: they
 * are tiny.
 */
@Component(service = Supervised.class)
@SupervisedService(name = HttpWorker.NAME, dependsOn = StoreWorker.NAME, readiness = Readiness.EXPLICIT,
    restartDelay = "PT1S", maxRestartDelay = "PT30S", stopTimeout = "PT5S")
public class HttpWorker implements Supervised {
  static final String NAME = "demo.http";
  /** Framework (or system) property: the TCP port, 0 for any free one. */
  static final String PORT_PROPERTY = "demo.http.port";
  private static final int DEFAULT_PORT = 8080;
  private static final String HELP = """
      demo.http, served by a supervised worker
      GET    /             this help
      GET    /store        every key=value, sorted
      GET    /store/KEY    one value
      PUT    /store/KEY    store the request body
      DELETE /store/KEY    remove a key
      GET    /status       state of every supervised service
      """;

  @Reference
  private DemoState state;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile Supervisor supervisor;

  private int port;
  private final AtomicReference<HttpServer> server = new AtomicReference<>();

  @Activate
  void activate(BundleContext context) {
    String configured = context.getProperty(PORT_PROPERTY);
    port = configured == null || configured.isBlank() ? DEFAULT_PORT : Integer.parseInt(configured.trim());
  }

  @Override
  public void run(RunContext ctx) throws Exception {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    http.createContext("/", this::handle);
    server.set(http);
    try {
      http.start();
      log(NAME, "listening on http://127.0.0.1:%d/ (attempt %d)", http.getAddress().getPort(), ctx.attempt());
      ctx.ready();
      ctx.awaitStop();
    } finally {
      close();
    }
  }

  /** Closes the listening socket at once, so that the port is free when the stop completes. */
  @Override
  public void stop() {
    close();
  }

  /**
   * Synchronized: run's finally and stop() (on another thread) may both get here, and whichever comes second
   * must wait until the port is closed, else run returns while stop() still closes it and the next run's
   * bind fails with "Address already in use".
   */
  private synchronized void close() {
    HttpServer http = server.getAndSet(null); // close once
    if (http != null) {
      http.stop(0);
      log(NAME, "closed port %d", http.getAddress().getPort());
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Reply reply;
      try {
        reply = route(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestBody());
      } catch (RuntimeException e) {
        reply = new Reply(500, e + "\n");
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private record Reply(int status, String body) {}

  private Reply route(String method, String path, InputStream requestBody) throws IOException {
    if (path.equals("/")) {
      return method.equals("GET") ? new Reply(200, HELP) : new Reply(405, "use GET\n");
    }
    if (path.equals("/status")) {
      return method.equals("GET") ? status() : new Reply(405, "use GET\n");
    }
    if (path.equals("/store") || path.startsWith("/store/")) {
      Optional<ConcurrentMap<String, String>> store = state.store();
      if (store.isEmpty()) {
        return new Reply(503, StoreWorker.NAME + " is not running\n");
      }
      String key = path.length() > "/store/".length() ? path.substring("/store/".length()) : "";
      return key.isEmpty() ? listStore(method, store.get()) : entry(method, key, store.get(), requestBody);
    }
    return new Reply(404, "no such resource: " + path + "\n");
  }

  private static Reply listStore(String method, Map<String, String> store) {
    if (!method.equals("GET")) {
      return new Reply(405, "use GET\n");
    }
    StringBuilder text = new StringBuilder();
    new TreeMap<>(store).forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return new Reply(200, text.toString());
  }

  private static Reply entry(String method, String key, Map<String, String> store, InputStream requestBody)
      throws IOException {
    switch (method) {
      case "GET": {
        String value = store.get(key);
        return value == null ? new Reply(404, "no key " + key + "\n") : new Reply(200, value + "\n");
      }
      case "PUT": {
        String value = new String(requestBody.readAllBytes(), StandardCharsets.UTF_8).strip();
        store.put(key, value);
        return new Reply(200, key + "=" + value + "\n");
      }
      case "DELETE":
        return store.remove(key) == null ? new Reply(404, "no key " + key + "\n") : new Reply(200, "removed " + key + "\n");
      default:
        return new Reply(405, "use GET, PUT or DELETE\n");
    }
  }

  private Reply status() {
    Supervisor current = supervisor;
    if (current == null) {
      return new Reply(503, "no Supervisor service\n");
    }
    StringBuilder text = new StringBuilder();
    for (ServiceInfo info : current.services()) {
      text.append(String.format("%-14s %-9s for %-8s starts=%d failures=%d",
          info.name(), info.state(), shortDuration(Duration.between(info.stateSince(), info.takenAt())),
          info.startCount(), info.failureCount()));
      if (!info.missingDependencies().isEmpty()) {
        text.append(" waiting for ").append(String.join(", ", info.missingDependencies()));
      }
      info.lastFailure().ifPresent(failure -> text.append(" last failure: ").append(failure));
      text.append('\n');
    }
    return new Reply(200, text.toString());
  }

  private static String shortDuration(Duration duration) {
    return duration.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase();
  }
}
