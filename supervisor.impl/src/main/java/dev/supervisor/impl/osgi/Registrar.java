package dev.supervisor.impl.osgi;

import dev.supervisor.api.ServiceInfo;
import dev.supervisor.api.ServiceSpec;
import dev.supervisor.api.SupervisorException;
import dev.supervisor.impl.engine.Engine;
import dev.supervisor.impl.engine.Escalator;
import dev.supervisor.impl.engine.SpecProperties;
import dev.supervisor.impl.engine.WorkerSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Turns the properties of something to supervise (a worker service, a DS component) into an engine
 * registration: the spec with the configured defaults and its derived dependencies, or a rejected
 * registration whose failure names the service, the property and the value. Keeps what it registered, so
 * a configuration change can re-read every spec, and so derived dependencies follow providers as they come
 * and go.
 */
final class Registrar {
  /** What a registration was made from: enough to read its spec again. */
  record Origin(Map<String, Object> properties, String owner, UnaryOperator<ServiceSpec> adjust) {}

  private final Engine engine;
  private final OsgiLog log;
  private final DependencyDeriver deriver = new DependencyDeriver();
  private final Map<Long, Origin> origins = new ConcurrentHashMap<>();
  /** The validated defaults of the configuration in force; replaced whole. */
  private volatile Map<String, Object> defaults = Map.of();

  Registrar(Engine engine, OsgiLog log) {
    this.engine = engine;
    this.log = log;
  }

  void defaults(Map<String, Object> newDefaults) {
    defaults = newDefaults;
  }

  /**
   * Registers without waiting for the engine's control thread (this runs in the registering bundle's service
   * event): what it can check here, the properties, it checks here, and a bad one is shown rejected at once,
   * as before; a refusal only the control thread can make (the name is taken, the declared dependencies close
   * a cycle) shows the registration refused under the id returned, with the engine's message, and undoes
   * what this class kept for it.
   *
   * @param properties the service's properties, {@code supervisor.name} included
   * @param source where its worker instances come from
   * @param owner who registered it, for messages
   * @param unnamed how to call it in a rejection when it has no usable name (e.g. its service.id)
   * @param interfaces what it provides to others, for derived dependencies
   * @param needs its mandatory DS references, for derived dependencies
   * @param adjust applied to the parsed spec (a DS component's readiness, say)
   * @param escalator what its restarts running out escalates to (its bundle's refresher)
   * @return the registration id, accepted, rejected or still to be decided; -1 if the supervisor has stopped
   */
  long register(Map<String, Object> properties, WorkerSource source, String owner, String unnamed,
      List<String> interfaces, List<DependencyDeriver.Need> needs, UnaryOperator<ServiceSpec> adjust,
      Escalator escalator) {
    ServiceSpec spec;
    Set<String> derived;
    try {
      ServiceSpec parsed = adjust.apply(SpecProperties.parse(properties, defaults,
          warning -> log.warn(warning + " (from " + owner + ")", null)));
      derived = deriver.derive(parsed.name(), needs);
      spec = parsed.toBuilder().derivedDependsOn(derived).build();
    } catch (SupervisorException rejected) {
      return reject(properties.get(ServiceSpec.NAME), owner, unnamed, rejected);
    }
    Engine.PendingAdd pending;
    try {
      // Derived dependencies that would close a cycle are left out by the engine (see Engine.add).
      pending = engine.addWithoutWaiting(spec, source, owner, escalator);
    } catch (SupervisorException stopped) {
      return -1;
    }
    long id = pending.id();
    // One copy serves both: re-reading the spec later and matching reference targets against it.
    Map<String, Object> kept = Map.copyOf(properties);
    origins.put(id, new Origin(kept, owner, adjust));
    deriver.put(id, new DependencyDeriver.Provider(spec.name(), interfaces, kept), needs, derived);
    // Chained after the puts: a refusal that came first runs this at once, on this thread, and finds them.
    pending.refusal().thenRun(() -> refused(id));
    applyDerivedChanges();
    return id;
  }

  /** Shows a registration whose properties were refused here; @return its id, or -1 if the supervisor has stopped */
  private long reject(Object name, String owner, String unnamed, SupervisorException rejected) {
    if (rejected.kind() == SupervisorException.Kind.SUPERVISOR_STOPPED) {
      return -1;
    }
    // Without a usable name, the label and the owner are what identify the registration.
    boolean nameUnusable = rejected.property().map(ServiceSpec.NAME::equals).orElse(false);
    SupervisorException shown = rejected.serviceName().isPresent() && !nameUnusable ? rejected
        : new SupervisorException(rejected.kind(), null, unnamed + " from " + owner + ": " + rejected.getMessage(),
            rejected);
    try {
      return engine.reject(name instanceof String text ? text : unnamed, owner, shown);
    } catch (SupervisorException stopped) {
      return -1;
    }
  }

  /**
   * The engine refused a registration after {@link #register} returned: it provides nothing to others and has
   * no spec to re-read. Its id stays its owner's until unregistered (the engine shows it as refused under it).
   */
  private void refused(long id) {
    origins.remove(id);
    deriver.remove(id);
    applyDerivedChanges();
  }

  void unregister(long id) {
    origins.remove(id);
    deriver.remove(id);
    try {
      engine.remove(id);
    } catch (SupervisorException goneOrClosed) {
      // removed already, or the supervisor is shutting down and stops it anyway
    }
    applyDerivedChanges();
  }

  /**
   * Reads every registration's spec again with the defaults in force, keeping its derived dependencies.
   *
   * @return the ids whose new spec the engine refused (their owners register them afresh)
   */
  List<Long> respecAll() {
    List<Long> refused = new java.util.ArrayList<>();
    for (Map.Entry<Long, Origin> entry : origins.entrySet()) {
      long id = entry.getKey();
      Origin origin = entry.getValue();
      try {
        ServiceSpec spec = origin.adjust().apply(SpecProperties.parse(origin.properties(), defaults, w -> { }));
        ServiceSpec current = infoOf(id).map(ServiceInfo::spec).orElse(null);
        if (current != null) {
          engine.updateSpec(id, spec.toBuilder().derivedDependsOn(current.derivedDependsOn()).build());
        }
      } catch (SupervisorException e) {
        if (e.kind() != SupervisorException.Kind.SUPERVISOR_STOPPED) {
          refused.add(id);
        }
      }
    }
    return refused;
  }

  private Optional<ServiceInfo> infoOf(long id) {
    Origin origin = origins.get(id);
    return origin == null ? Optional.empty()
        : engine.info((String) origin.properties().get(ServiceSpec.NAME)).filter(info -> info.id() == id);
  }

  /** Providers came or went: hand each affected registration its new derived dependencies, live. */
  private void applyDerivedChanges() {
    for (Map.Entry<Long, Set<String>> change : deriver.changes().entrySet()) {
      long id = change.getKey();
      infoOf(id).ifPresent(info -> {
        try {
          engine.updateSpec(id, info.spec().toBuilder().derivedDependsOn(change.getValue()).build());
          log.info("service '" + info.name() + "': derived dependencies now " + change.getValue());
        } catch (SupervisorException e) {
          if (e.kind() != SupervisorException.Kind.SUPERVISOR_STOPPED) {
            log.warn("service '" + info.name() + "': derived dependencies " + change.getValue()
                + " not applied: " + e.getMessage(), null);
          }
        }
      });
      // Applied or refused, this is what stands: do not try the same set again until providers change.
      deriver.given(id, change.getValue());
    }
  }
}
