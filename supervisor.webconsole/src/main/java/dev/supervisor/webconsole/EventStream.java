package dev.supervisor.webconsole;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.Supervisor;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Server-sent events for the page: {@code event: services} with the fresh rows of the services that changed,
 * at most one event per {@link #PERIOD_MS} (a crash storm of 10,000 services becomes a few events a second,
 * not 10,000), {@code event: reload} when more than {@link #MAX_BATCH} changed at once (the page reloads its
 * current view), and a comment every 15 s to keep proxies from closing the stream.
 *
 * <p>Threads: {@link #changed} is called on the supervisor's dispatcher and only marks names; one thread of
 * this class builds the payload (reading the supervisor's snapshots) and writes it to every client (async
 * servlet requests, so a waiting client holds no servlet thread). A client whose write fails is dropped.
 */
final class EventStream {
  static final long PERIOD_MS = 250;
  static final int MAX_BATCH = 500;
  static final int MAX_CLIENTS = 64;
  private static final long HEARTBEAT_MS = 15_000;

  private final Supervisor supervisor;
  private final List<AsyncContext> clients = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "supervisor.webconsole events");
    t.setDaemon(true);
    return t;
  });
  /** Guarded by itself: names changed since the last flush. */
  private final Set<String> dirty = new LinkedHashSet<>();
  /** Guarded by dirty. */
  private boolean overflow;
  private long lastWrite = System.nanoTime();

  EventStream(Supervisor supervisor) {
    this.supervisor = supervisor;
    thread.scheduleWithFixedDelay(() -> {
      try {
        flush();
      } catch (RuntimeException e) {
        // a snapshot that could not be read (supervisor going away): the next period tries again
      }
    }, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
  }

  void changed(String name) {
    synchronized (dirty) {
      if (overflow) {
        return;
      }
      dirty.add(name);
      if (dirty.size() > MAX_BATCH) {
        overflow = true;
        dirty.clear();
      }
    }
  }

  /** @return false if there are too many clients already (the caller answers 503) */
  boolean open(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (clients.size() >= MAX_CLIENTS) {
      return false;
    }
    resp.setContentType("text/event-stream");
    resp.setCharacterEncoding("UTF-8");
    resp.setHeader("Cache-Control", "no-store");
    AsyncContext ctx = req.startAsync();
    ctx.setTimeout(0);
    ctx.addListener(new AsyncListener() {
      @Override public void onComplete(AsyncEvent e) { clients.remove(ctx); }
      @Override public void onTimeout(AsyncEvent e) { clients.remove(ctx); }
      @Override public void onError(AsyncEvent e) { clients.remove(ctx); }
      @Override public void onStartAsync(AsyncEvent e) {}
    });
    PrintWriter w = ctx.getResponse().getWriter();
    synchronized (ctx) {
      w.write("retry: 2000\nevent: hello\ndata: {}\n\n");
      w.flush();
    }
    clients.add(ctx);
    return true;
  }

  int clientCount() {
    return clients.size();
  }

  void close() {
    thread.shutdownNow();
    for (AsyncContext ctx : clients) {
      try {
        ctx.complete();
      } catch (RuntimeException alreadyDone) {
        // the container may have completed it already
      }
    }
    clients.clear();
  }

  private void flush() {
    List<String> names;
    boolean reload;
    synchronized (dirty) {
      names = new ArrayList<>(dirty);
      reload = overflow;
      dirty.clear();
      overflow = false;
    }
    if (clients.isEmpty()) {
      return;
    }
    String event;
    if (reload) {
      event = "event: reload\ndata: {}\n\n";
    } else if (!names.isEmpty()) {
      Json json = new Json().beginObject().name("services").beginArray();
      List<String> removed = new ArrayList<>();
      for (String name : names) {
        Optional<ServiceInfo> info = supervisor.info(name);
        if (info.isPresent()) {
          Views.service(json, info.get());
        } else {
          removed.add(name);
        }
      }
      json.endArray().member("removed", removed).endObject();
      event = "event: services\ndata: " + json + "\n\n";
    } else if (System.nanoTime() - lastWrite > TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_MS)) {
      event = ": ping\n\n";
    } else {
      return;
    }
    lastWrite = System.nanoTime();
    for (AsyncContext ctx : clients) {
      boolean failed;
      try {
        synchronized (ctx) {
          PrintWriter w = ctx.getResponse().getWriter();
          w.write(event);
          w.flush();
          failed = w.checkError();
        }
      } catch (IOException | RuntimeException e) {
        failed = true;
      }
      if (failed) {
        clients.remove(ctx);
        try {
          ctx.complete();
        } catch (RuntimeException ignored) {
          // already completed by the container
        }
      }
    }
  }
}
