package dev.supervisor.impl.osgi;

import dev.supervisor.api.Readiness;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.State;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.WorkerSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Finds the DS components that opted in to supervision and keeps one engine registration per component:
 * a component opts in with the component property {@code supervisor.component=true} (its other
 * {@code supervisor.*} properties are its spec, {@code supervisor.name} defaulting to the component's name),
 * or by being named in the configuration ({@code supervised.components} of PID {@code dev.supervisor}).
 *
 * <p>It looks again whenever a bundle starts or stops, SCR's change count moves, the configuration
 * changes, and once a second while any component is supervised (SCR tells nobody when a component is
 * enabled by hand), on its own thread. A component whose bundle
 * stops is removed before SCR takes it down (synchronous bundle listener): that is never a failure.
 */
final class SupervisedComponents {
  /** Configuration key (PID dev.supervisor): names of components to supervise without touching them. */
  static final String CONFIGURED = "supervised.components";
  /**
   * A component waits for its references as long as DS does: it has no ready timeout unless it sets
   * {@code supervisor.readyTimeout}. (The spec needs some duration; this one is never reached.)
   */
  static final Duration NO_READY_TIMEOUT = Duration.ofDays(365L * 100);
  private static final Duration RESCAN = Duration.ofSeconds(1);

  private record Key(long bundleId, String component) {}

  private record Supervision(long id, String name, ComponentWorker worker) {}

  private final BundleContext context;
  private final ServiceComponentRuntime scr;
  private final Registrar registrar;
  private final Engine engine;
  private final BundleRefresher refresher;
  private final OsgiLog log;
  private final ScheduledExecutorService scanner;
  /** Owned by the scanner thread, except removals from the synchronous bundle listener (hence the lock). */
  private final Map<Key, Supervision> supervised = new HashMap<>();
  private final SynchronousBundleListener bundleListener = this::bundleChanged;
  private final ServiceListener scrListener = event -> {
    if (event.getType() == ServiceEvent.MODIFIED || event.getType() == ServiceEvent.REGISTERED) {
      scanSoon();
    }
  };
  private volatile Set<String> configured = Set.of();
  private volatile boolean closed;
  /** Scanner thread only: one periodic scan is pending, so event-driven scans do not multiply them. */
  private boolean periodicScheduled;

  SupervisedComponents(BundleContext context, ServiceComponentRuntime scr, Registrar registrar, Engine engine,
      BundleRefresher refresher, OsgiLog log) {
    this.context = context;
    this.scr = scr;
    this.registrar = registrar;
    this.engine = engine;
    this.refresher = refresher;
    this.log = log;
    this.scanner = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "supervisor-components"));
  }

  void open() {
    context.addBundleListener(bundleListener);
    try {
      context.addServiceListener(scrListener, "(objectClass=" + ServiceComponentRuntime.class.getName() + ")");
    } catch (org.osgi.framework.InvalidSyntaxException impossible) {
      throw new AssertionError(impossible);
    }
    scanSoon();
  }

  /**
   * While components are supervised, look again every {@link #RESCAN}: SCR tells nobody when a component is
   * enabled by hand. With none supervised, only events wake the scanner, so an idle supervisor stays idle.
   */
  private boolean rescanLater() {
    boolean any;
    synchronized (supervised) {
      any = !supervised.isEmpty();
    }
    if (!any || closed) {
      return false;
    }
    try {
      scanner.schedule(this::periodicScan, RESCAN.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException closing) {
      return false;
    }
  }

  private void periodicScan() {
    periodicScheduled = false;
    scan();
  }

  /**
   * @param value the configuration's {@code supervised.components}: a String, String[] or collection
   * @throws SupervisorException naming the key and the value when it is of another type
   */
  static Set<String> parseConfigured(Object value) {
    if (value == null) {
      return Set.of();
    }
    List<?> names;
    if (value instanceof String text) {
      names = Arrays.asList(text.split(",", -1));
    } else if (value instanceof String[] array) {
      names = Arrays.asList(array);
    } else if (value instanceof java.util.Collection<?> collection) {
      names = new ArrayList<>(collection); // not List.copyOf: a null entry is reported, not thrown as NPE
    } else {
      throw SupervisorException.invalidProperty(null, CONFIGURED, value,
          "must be component names (a String, comma-separated, or a String[])");
    }
    Set<String> result = new java.util.TreeSet<>();
    for (Object name : names) {
      if (!(name instanceof String text) || text.isBlank()) {
        throw SupervisorException.invalidProperty(null, CONFIGURED, value,
            "every entry must be a non-empty component name; found " + (name == null ? "null" : "'" + name + "'"));
      }
      result.add(text.strip());
    }
    return Set.copyOf(result);
  }

  void configured(Set<String> names) {
    configured = names;
    scanSoon();
  }

  void close() {
    closed = true;
    context.removeBundleListener(bundleListener);
    context.removeServiceListener(scrListener);
    scanner.shutdownNow();
    try {
      scanner.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void scanSoon() {
    try {
      scanner.execute(this::scan);
    } catch (RejectedExecutionException closing) {
      // closed meanwhile
    }
  }

  /** On the scanner thread: registers components that opted in, removes those gone or opted out. */
  private void scan() {
    if (closed) {
      return;
    }
    try {
      Map<Key, ComponentDescriptionDTO> wanted = new HashMap<>();
      for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
        if (optedIn(description)) {
          wanted.put(new Key(description.bundle.id, description.name), description);
        }
      }
      List<Key> gone = new ArrayList<>();
      synchronized (supervised) {
        for (Key key : supervised.keySet()) {
          if (!wanted.containsKey(key)) {
            gone.add(key);
          }
        }
      }
      gone.forEach(this::remove);
      for (Map.Entry<Key, ComponentDescriptionDTO> entry : wanted.entrySet()) {
        Supervision known;
        synchronized (supervised) {
          known = supervised.get(entry.getKey());
        }
        if (known == null) {
          add(entry.getKey(), entry.getValue());
        } else {
          resumeIfEnabledByHand(known);
        }
      }
    } catch (RuntimeException e) {
      if (!closed) {
        log.error("scanning DS components for supervision failed; trying again on the next bundle event", e);
      }
    }
    if (!periodicScheduled) {
      periodicScheduled = rescanLater();
    }
  }

  private boolean optedIn(ComponentDescriptionDTO description) {
    if (configured.contains(description.name)) {
      return true;
    }
    Object flag = description.properties == null ? null : description.properties.get(ServiceSpec.COMPONENT);
    return Boolean.TRUE.equals(flag) || "true".equalsIgnoreCase(String.valueOf(flag));
  }

  private void add(Key key, ComponentDescriptionDTO description) {
    Bundle bundle = context.getBundle(key.bundleId());
    if (bundle == null || (bundle.getState() & (Bundle.ACTIVE | Bundle.STARTING)) == 0) {
      return;
    }
    Map<String, Object> properties = new HashMap<>(description.properties);
    properties.putIfAbsent(ServiceSpec.NAME, description.name);
    boolean timeoutGiven = properties.containsKey(ServiceSpec.READY_TIMEOUT);
    ComponentWorker worker = new ComponentWorker(scr, () -> context.getBundle(key.bundleId()), description.name);
    String owner = SupervisorComponent.ownerOf(bundle);
    long id = registrar.register(properties, WorkerSource.of(worker), owner, "component " + description.name,
        Arrays.asList(description.serviceInterfaces),
        DependencyDeriver.needsOf(description, warning -> log.warn(warning, null)),
        spec -> componentSpec(spec, timeoutGiven, description), refresher.forBundle(bundle));
    if (id < 0) {
      return;
    }
    synchronized (supervised) {
      supervised.put(key, new Supervision(id, (String) properties.get(ServiceSpec.NAME), worker));
    }
    log.info("supervising DS component " + description.name + " of " + owner);
  }

  /**
   * A component is ready when DS has satisfied it, so its readiness is always explicit (see ComponentWorker).
   * A factory component has no configuration of its own to watch (its instances come from newInstance):
   * it is refused, visibly, rather than left STARTING for ever.
   */
  private static ServiceSpec componentSpec(ServiceSpec spec, boolean timeoutGiven,
      ComponentDescriptionDTO description) {
    if (description.factory != null) {
      throw SupervisorException.invalidProperty(spec.name(), ServiceSpec.COMPONENT, true, "component "
          + description.name
          + " is a factory component (factory " + description.factory
          + "): it has no configuration of its own to supervise");
    }
    ServiceSpec.Builder builder = spec.toBuilder().readiness(Readiness.EXPLICIT);
    if (!timeoutGiven) {
      builder.readyTimeout(NO_READY_TIMEOUT);
    }
    return builder.build();
  }

  private void remove(Key key) {
    Supervision gone;
    synchronized (supervised) {
      gone = supervised.remove(key);
    }
    if (gone != null) {
      registrar.unregister(gone.id());
    }
  }

  /** Someone disabled the component (the service STOPPED, not counted) and has now enabled it again. */
  private void resumeIfEnabledByHand(Supervision known) {
    if (!known.worker().enabledAgainByHand()) {
      return;
    }
    engine.info(known.name()).filter(info -> info.id() == known.id() && info.state() == State.STOPPED)
        .ifPresent(info -> {
          try {
            engine.start(info.name());
          } catch (SupervisorException e) {
            log.warn("could not resume service '" + info.name() + "': " + e.getMessage(), null);
          }
        });
  }

  /** Synchronous: a stopping bundle's components leave supervision before SCR deactivates them. */
  private void bundleChanged(BundleEvent event) {
    if (closed) {
      return;
    }
    switch (event.getType()) {
      case BundleEvent.STOPPING -> {
        List<Key> leaving = new ArrayList<>();
        synchronized (supervised) {
          for (Key key : supervised.keySet()) {
            if (key.bundleId() == event.getBundle().getBundleId()) {
              leaving.add(key);
            }
          }
        }
        leaving.forEach(this::remove);
      }
      case BundleEvent.STARTED, BundleEvent.STOPPED -> scanSoon();
      default -> { }
    }
  }
}
